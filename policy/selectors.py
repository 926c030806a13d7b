from django.db.models import QuerySet, Subquery

from advocacy.models import User
from policy.models import Acknowledgement, PolicyVersion


def policy_current() -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def policy_current_id() -> Subquery:
    """The current version's id, as a subquery to annotate another query with."""
    return Subquery(
        PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED)
        .order_by("-number")
        .values("pk")[:1]
    )


def policy_draft() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.DRAFT).first()


def policy_versions() -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED).order_by("-number")


def policy_has_acknowledged(*, user: User, version: PolicyVersion) -> bool:
    return Acknowledgement.objects.filter(user=user, version=version).exists()


def policy_acknowledged_at(*, user: User, version: PolicyVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(user=user, version=version).first()
