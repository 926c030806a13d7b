"""The team digest sent to a Slack or Microsoft Teams incoming webhook.

The webhook URL is typed by a person and fetched by the server, so it is a way into internal
hosts (SSRF) unless the host is checked: only https, on port 443, to Slack's or Microsoft's
webhook hosts or to a host an operator added to DIGEST_WEBHOOK_HOSTS. Redirects are not
followed (a redirect could point anywhere). All requests go through `webhook_post`.
"""

import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# Exact hosts, and suffixes of hosts ("*.webhook.office.com": one per Microsoft 365 tenant).
DEFAULT_HOSTS = ("hooks.slack.com",)
DEFAULT_SUFFIXES = (".webhook.office.com",)


class WebhookError(Exception):
    """A webhook that could not be delivered; `permanent` when trying again will not help (a
    URL the channel's owner removed answers 404 or 410)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _host_allowed(host: str) -> bool:
    extra = {name.lower() for name in getattr(settings, "DIGEST_WEBHOOK_HOSTS", [])}
    return host in DEFAULT_HOSTS or host.endswith(DEFAULT_SUFFIXES) or host in extra


def webhook_url_check(*, url: str) -> None:
    """Refuse any URL the server must not call: not https, credentials or another port in
    it, or a host that is not a known webhook host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise ValidationError(_("Use the https:// URL the webhook's app gave you."), code="scheme")
    if port not in (None, 443) or not _host_allowed(host):
        raise ValidationError(
            _(
                "Only Slack (hooks.slack.com) and Microsoft Teams (*.webhook.office.com) "
                "webhooks are accepted; an administrator can allow other hosts."
            ),
            code="host",
        )


def webhook_post(*, url: str, payload: dict[str, Any]) -> None:
    """POST the JSON payload; raises WebhookError on any failure."""
    try:
        webhook_url_check(url=url)
    except ValidationError as error:
        raise WebhookError(str(error.messages[0]), permanent=True) from None
    try:
        response = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS, allow_redirects=False)
    except requests.RequestException as error:
        raise WebhookError(f"request failed: {error.__class__.__name__}") from None
    if response.status_code in (404, 410):
        raise WebhookError(f"HTTP {response.status_code}: webhook removed", permanent=True)
    if not 200 <= response.status_code < 300:
        raise WebhookError(f"HTTP {response.status_code}")


def _slack_escape(text: str) -> str:
    # Slack reads &, < and > as markup in mrkdwn and plain text alike:
    # https://api.slack.com/reference/surfaces/formatting#escaping
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(digest: dict[str, Any]) -> dict[str, Any]:
    """Block Kit message with `text` as the notification fallback:
    https://api.slack.com/messaging/webhooks"""
    facts = "\n".join(
        f"*{_slack_escape(fact['label'])}*: {_slack_escape(fact['value'])}"
        for fact in digest["facts"]
    )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": digest["subject"][:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": facts}},
    ]
    for heading, lines in digest["sections"]:
        if lines:
            body = "\n".join(f"• {_slack_escape(line)}" for line in lines)
            blocks.append(
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"*{_slack_escape(heading)}*\n{body}"},
                }
            )
    blocks.append(
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"<{digest['dashboard_url']}|{_slack_escape(_('Open the dashboard'))}>",
            },
        }
    )
    return {"text": digest["subject"], "blocks": blocks}


def teams_payload(digest: dict[str, Any]) -> dict[str, Any]:
    """A legacy actionable MessageCard, what Office 365 connector webhooks accept:
    https://learn.microsoft.com/en-us/outlook/actionable-messages/message-card-reference"""
    sections: list[dict[str, Any]] = [
        {"facts": [{"name": fact["label"], "value": fact["value"]} for fact in digest["facts"]]}
    ]
    for heading, lines in digest["sections"]:
        if lines:
            sections.append({"activityTitle": heading, "text": "\n\n".join(lines)})
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": digest["subject"],
        "title": digest["subject"],
        "sections": sections,
        "potentialAction": [
            {
                "@type": "OpenUri",
                "name": _("Open the dashboard"),
                "targets": [{"os": "default", "uri": digest["dashboard_url"]}],
            }
        ],
    }
