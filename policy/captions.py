"""Caption checks: guidance with its reason and the policy section it comes from.

Principle 2: only the hard rules block (over the network's limit, a blocked term, the missing
disclosure, a link the policy does not allow); everything else is advice.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from advocacy.models import Network
from advocacy.networks.rules import NETWORK_RULES
from advocacy.networks.x.text import extract_links, strip_links
from policy.models import PolicyVersion
from policy.normalise import phrase_in_text, terms_in_text

BAD_SCHEME_RE = re.compile(r"(?i)\b(javascript|data|vbscript|file)\s*:")
# Written with a scheme, an address is a link on LinkedIn even where twitter-text sees none (an
# IP address, a top-level domain newer than its list), so the allowed-domains rule checks it too.
SCHEME_URL_RE = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s<>\"']+")
HASHTAG_RE = re.compile(r"(?<!\w)#\w+")


@dataclass(frozen=True)
class Finding:
    code: str
    blocking: bool
    message: str
    section: str  # anchor of the explaining section on /policy/

    def as_dict(self) -> dict[str, str | bool]:
        return {
            "code": self.code,
            "blocking": self.blocking,
            "message": self.message,
            "policy_url": f"/policy/#{self.section}",
        }


def domain_allowed(host: str, allowed: list[str]) -> bool:
    if not allowed:
        return True
    host = host.lower().rstrip(".").removeprefix("www.")
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # an unclosed "[" where an IPv6 address would be
        return ""


def link_findings(url: str, policy: PolicyVersion) -> list[Finding]:
    return _host_findings(_host(url), url, policy)


def _host_findings(host: str, url: str, policy: PolicyVersion) -> list[Finding]:
    if domain_allowed(host, policy.allowed_domains):
        return []
    return [
        Finding(
            "domain_not_allowed",
            True,
            _("Links to %(host)s are not allowed by the policy (allowed: %(domains)s).")
            % {"host": host or url, "domains": ", ".join(policy.allowed_domains)},
            "rule-domains",
        )
    ]


def _normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w#@]+", " ", text.lower()).split())


def caption_findings(
    *, text: str, network: str, policy: PolicyVersion, suggested: str = ""
) -> list[Finding]:
    rules = NETWORK_RULES[Network(network)]
    findings: list[Finding] = []
    if not text.strip():
        return [
            Finding(
                "empty", True, _("Write a caption: a personal note works best."), "guide-personal"
            )
        ]

    length = rules.caption_length(text)
    if length > rules.max_length:
        findings.append(
            Finding(
                "too_long",
                True,
                _(
                    "%(network)s allows %(max)d characters; with the link this caption has "
                    "%(length)d. Shorten it by %(over)d."
                )
                % {
                    "network": Network(network).label,
                    "max": rules.max_length,
                    "length": length,
                    "over": length - rules.max_length,
                },
                "rule-length",
            )
        )
    # Disguised terms count: a Cyrillic letter or a zero-width space does not hide a word from
    # the reader (policy/normalise.py).
    for term in terms_in_text(policy.blocked_terms, text):
        findings.append(
            Finding(
                "blocked_term",
                True,
                _("“%(term)s” may not be used in posts about the company.") % {"term": term},
                "rule-blocked-terms",
            )
        )
    # The disclosure must be there as written (any case): inside a link it is part of the
    # link, which X shortens, not a word the reader sees.
    disclosure = policy.required_disclosure
    if disclosure and not phrase_in_text(disclosure, strip_links(text)):
        findings.append(
            Finding(
                "disclosure_missing",
                True,
                _("Add “%(text)s” so your network knows you work here.")
                % {"text": policy.required_disclosure},
                "rule-disclosure",
            )
        )
    if BAD_SCHEME_RE.search(text):
        findings.append(
            Finding(
                "bad_link_scheme",
                True,
                _("Only http:// and https:// links can be posted."),
                "rule-domains",
            )
        )
    # A link is whatever X makes a link, `evil.com/path` and `bit.ly/3xyz` included (LinkedIn
    # links such text too), and whatever is written with a scheme. One finding per host.
    hosts = {link.host: link.url for link in extract_links(text)}
    for match in SCHEME_URL_RE.finditer(text):
        hosts.setdefault(_host(match.group(0)), match.group(0))
    for host, url in hosts.items():
        findings.extend(_host_findings(host, url, policy))

    # Guidance only: never blocks.
    if length > rules.short_length and length <= rules.max_length:
        findings.append(
            Finding(
                "long",
                False,
                _(
                    "Short captions work best: if you can say it in %(short)d characters, "
                    "you did it right (now %(length)d)."
                )
                % {"short": rules.short_length, "length": length},
                "guide-short",
            )
        )
    if suggested and _normalised(text) == _normalised(suggested):
        findings.append(
            Finding(
                "not_personal",
                False,
                _(
                    "This is the suggested caption word for word. Colleagues may post it too, "
                    "and networks hide identical posts: add a personal note."
                ),
                "guide-personal",
            )
        )
    if len(HASHTAG_RE.findall(text)) > 3:
        findings.append(
            Finding(
                "many_hashtags",
                False,
                _("More than three hashtags reads like an advertisement; keep one or two."),
                "guide-hashtags",
            )
        )
    return findings


def blocking_messages(findings: list[Finding]) -> list[str]:
    return [finding.message for finding in findings if finding.blocking]
