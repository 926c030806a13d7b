import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.models import NetworkAccount, Share, User
from advocacy.networks import Network


def _sandbox_followers(user: User) -> int:
    # A stable, plausible audience per person so demo reach figures differ between people.
    digest = hashlib.sha256(f"sandbox-{user.pk}".encode()).digest()
    return 150 + int.from_bytes(digest[:2], "big") % 850


@transaction.atomic
def account_connect_sandbox(*, user: User) -> NetworkAccount:
    if not user.is_ambassador:
        raise ValidationError(
            _("Opt in as an ambassador before you connect a network."), code="not_opted_in"
        )
    account, _created = NetworkAccount.objects.select_for_update().get_or_create(
        user=user,
        network=Network.SANDBOX,
        defaults={"external_id": f"sandbox-{user.pk}"},
    )
    account.display_name = f"@{user.username}"
    account.access_token = secrets.token_urlsafe(32)
    account.status = NetworkAccount.Status.CONNECTED
    account.followers_count = _sandbox_followers(user)
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def account_disconnect(*, account: NetworkAccount) -> NetworkAccount:
    """Delete the tokens. Shares waiting for this account are cancelled: they could not be
    posted anyway, and the ambassador sees why."""
    account = NetworkAccount.objects.select_for_update().get(pk=account.pk)
    account.access_token = ""
    account.refresh_token = ""
    account.token_expires_at = None
    account.status = NetworkAccount.Status.DISCONNECTED
    account.save()
    Share.objects.filter(account=account, status=Share.Status.SCHEDULED).update(
        status=Share.Status.CANCELLED,
        error=_("Cancelled because the account was disconnected."),
    )
    return account
