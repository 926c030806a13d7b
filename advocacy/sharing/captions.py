"""The caption rules of one share, in one call: the guidance the editor shows while a person
writes (the page and its live check) and the refusal `share_check` raises both come from
`caption_guidance`, so what the page marks red is exactly what a share is refused for.

The rules themselves live where they are owned: the policy's hard rules and advice in
policy/captions.py, colleagues' look-alike captions in sharing/similarity.py, the networks'
counting in networks/rules.py. This module puts them together for one item, network and caption.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from advocacy.models import Network, Share, User
from advocacy.networks.rules import NETWORK_RULES, NetworkRules
from advocacy.sharing.similarity import caption_too_similar
from campaigns.models import ContentItem
from policy.captions import Finding, blocking_messages, caption_findings, link_findings
from policy.models import PolicyVersion


@dataclass(frozen=True)
class CaptionGuidance:
    network: Network
    rules: NetworkRules
    length: int  # what the network counts, the tracked link included
    policy: PolicyVersion | None
    # The policy's findings for the item's link and the caption (hard rules and advice).
    policy_findings: tuple[Finding, ...]
    # A colleague's live share of the item on the network with nearly the same words.
    similar: Share | None

    @property
    def over(self) -> bool:
        return self.length > self.rules.max_length

    @property
    def problems(self) -> list[str]:
        """The policy's hard rules this caption breaks, as a person reads them."""
        return blocking_messages(list(self.policy_findings))

    @property
    def blocked(self) -> bool:
        """The page's "must be fixed before you can share": the same test as `refusal`."""
        return bool(self.problems) or self.similar is not None

    @property
    def findings(self) -> list[Finding]:
        """What the editor lists: the policy's findings, then the look-alike warning."""
        findings = list(self.policy_findings)
        if self.similar is not None:
            findings.append(
                Finding(
                    "too_similar",
                    True,
                    _(
                        "A colleague already posted nearly these words about this item. "
                        "Networks hide look-alike posts: add a personal touch before you share."
                    ),
                    "guide-personal",
                )
            )
        return findings

    def refusal(self) -> ValidationError | None:
        """The error a share with this caption is refused with, or None when it may go."""
        if self.problems:
            # One error per problem, each with the code: a list of plain messages would lose it.
            return ValidationError(
                [ValidationError(message, code="policy") for message in self.problems]
            )
        if self.similar is not None:
            return ValidationError(
                _(
                    "A colleague already posted nearly the same words about this item on "
                    "%(network)s. Networks hide look-alike posts: add a personal touch — why "
                    "does it matter to you?"
                )
                % {"network": self.network.label},
                code="too_similar",
            )
        return None


def _policy_findings(
    *, policy: PolicyVersion, item: ContentItem, network: str, text: str, suggested: str = ""
) -> list[Finding]:
    """The policy's findings for a share of the item: its link, then the caption. `suggested`
    (the caption the editor offered) only adds advice, never a hard rule."""
    return link_findings(item.url, policy) + caption_findings(
        text=text, network=network, policy=policy, suggested=suggested
    )


def policy_errors(policy: PolicyVersion, item: ContentItem, network: str, text: str) -> list[str]:
    """The hard rules of `policy` a share's caption breaks: for a share already made, checked
    again against a policy that changed since (before it is sent, or retried)."""
    return blocking_messages(_policy_findings(policy=policy, item=item, network=network, text=text))


def caption_guidance(
    *,
    user: User,
    item: ContentItem,
    network: str,
    text: str,
    policy: PolicyVersion | None,
    suggested: str = "",
) -> CaptionGuidance:
    """Everything the rules say about this caption for a share of the item by the person.
    Without a policy (sharing has not started) only the network's counting and colleagues'
    look-alike captions apply. `suggested` is the caption the editor offered: an unchanged
    copy of it gets advice, never a refusal."""
    findings: list[Finding] = []
    if policy is not None:
        findings = _policy_findings(
            policy=policy, item=item, network=network, text=text, suggested=suggested
        )
    similar = None
    if text.strip():
        similar = caption_too_similar(user=user, item=item, network=network, text=text)
    rules = NETWORK_RULES[network]
    return CaptionGuidance(
        network=Network(network),
        rules=rules,
        length=rules.caption_length(text),
        policy=policy,
        policy_findings=tuple(findings),
        similar=similar,
    )
