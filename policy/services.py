from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import User
from policy.models import Acknowledgement, PolicyVersion
from policy.selectors import policy_current, policy_draft


def clean_terms(values: list[str]) -> list[str]:
    """The texts stripped, blank ones and repeats left out, in their order."""
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value, None)
    return list(seen)


def clean_domains(values: list[str]) -> list[str]:
    """Bare domain names (`https://www.Example.com/` is example.com), or a ValidationError on
    allowed_domains naming the first text that is not one."""
    domains = []
    for value in clean_terms(values):
        domain = value.lower().removeprefix("https://").removeprefix("http://").strip("/")
        if "/" in domain or " " in domain or "." not in domain:
            raise ValidationError(
                {
                    "allowed_domains": _("“%(value)s” is not a domain name like example.com.")
                    % {"value": value}
                }
            )
        domains.append(domain.removeprefix("*.").removeprefix("www."))
    return domains


@transaction.atomic
def policy_draft_save(
    *,
    user: User,
    title: str,
    body: str,
    blocked_terms: list[str],
    required_disclosure: str = "",
    allowed_domains: list[str],
    max_shares_per_day: int | None = None,
    sharing_hours_start: time | None = None,
    sharing_hours_end: time | None = None,
) -> PolicyVersion:
    """Create or update the one draft; the published versions never change."""
    draft = policy_draft() or PolicyVersion(created_by=user)
    draft.title = title
    draft.body = body
    draft.blocked_terms = clean_terms(blocked_terms)
    draft.required_disclosure = required_disclosure.strip()
    draft.allowed_domains = clean_domains(allowed_domains)
    draft.max_shares_per_day = max_shares_per_day
    draft.sharing_hours_start = sharing_hours_start
    draft.sharing_hours_end = sharing_hours_end
    draft.full_clean()
    draft.save()
    return draft


def policy_draft_from_current(*, user: User) -> PolicyVersion:
    """The draft to edit: the existing one, or a copy of the current version."""
    draft = policy_draft()
    if draft is not None:
        return draft
    current = policy_current()
    fields: dict[str, Any] = {"body": ""}
    if current is not None:
        fields = {
            name: getattr(current, name)
            for name in (
                "title",
                "body",
                "blocked_terms",
                "required_disclosure",
                "allowed_domains",
                "max_shares_per_day",
                "sharing_hours_start",
                "sharing_hours_end",
            )
        }
    return PolicyVersion(created_by=user, **fields)


@transaction.atomic
def policy_publish(*, version: PolicyVersion, user: User) -> PolicyVersion:
    """Give the draft the next number and make it current. Ambassadors must acknowledge it
    before their next share."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PolicyVersion.Status.DRAFT:
        raise ValidationError(_("This version is already published."), code="already_published")
    if not version.body.strip():
        raise ValidationError(_("The policy page is empty; write it before publishing."))
    last = PolicyVersion.objects.aggregate(n=Max("number"))["n"] or 0
    version.number = last + 1
    version.status = PolicyVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.full_clean()
    version.save()
    return version


def policy_acknowledge(*, user: User, version: PolicyVersion) -> Acknowledgement:
    """Record that the user read this version. Only the current version can be acknowledged;
    acknowledging twice returns the first acknowledgement."""
    current = policy_current()
    if current is None or current.pk != version.pk:
        raise ValidationError(
            _("Only the current policy version can be acknowledged."), code="not_current"
        )
    try:
        with transaction.atomic():
            ack, _created = Acknowledgement.objects.get_or_create(user=user, version=version)
    except IntegrityError:  # two tabs at once: the other one won
        ack = Acknowledgement.objects.get(user=user, version=version)
    return ack
