"""Caption checks: guidance with its reason and the policy section it comes from.

Principle 2: only the hard rules block (over the network's limit, a blocked term, the missing
disclosure, a link the policy does not allow); everything else is advice.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from advocacy.networks import NETWORK_RULES, URL_RE, Network

from .models import PolicyVersion

BAD_SCHEME_RE = re.compile(r"(?i)\b(javascript|data|vbscript|file)\s*:")
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


def link_findings(url: str, policy: PolicyVersion) -> list[Finding]:
    host = urlsplit(url).hostname or ""
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


def _contains_term(text: str, term: str) -> bool:
    pattern = re.escape(term.lower())
    if term[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if term[-1:].isalnum():
        pattern += r"(?!\w)"
    return re.search(pattern, text.lower()) is not None


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
    for term in policy.blocked_terms:
        if _contains_term(text, term):
            findings.append(
                Finding(
                    "blocked_term",
                    True,
                    _("“%(term)s” may not be used in posts about the company.") % {"term": term},
                    "rule-blocked-terms",
                )
            )
    if policy.required_disclosure and policy.required_disclosure.lower() not in text.lower():
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
    for match in URL_RE.finditer(text):
        url = match.group(0)
        if url.startswith("//") or url.lower().startswith("www."):
            url = "https://" + url.lstrip("/")
        findings.extend(link_findings(url, policy))

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
