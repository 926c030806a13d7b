"""Reads of a person's network accounts."""

from django.db.models import QuerySet

from advocacy.models import NetworkAccount, User


def accounts_for_user(*, user: User) -> QuerySet[NetworkAccount]:
    return NetworkAccount.objects.filter(user=user)
