"""Markdown for the policy page. Raw HTML is not allowed (it is escaped, not rendered) and
markdown-it refuses javascript:, vbscript:, file: and data: links (except images)."""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


def render_markdown(text: str) -> SafeString:
    return mark_safe(str(_md.render(text)))  # noqa: S308 - html is off; see the module docstring
