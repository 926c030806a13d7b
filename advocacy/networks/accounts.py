import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.models import Network, NetworkAccount, Share, User
from advocacy.networks.oauth import PROVIDER_IDS
from advocacy.people.notify import networks_url, notify_ambassador


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


@dataclass(frozen=True)
class OAuthGrant:
    """What a network granted in the connect flow (allauth's callback)."""

    external_id: str
    display_name: str
    access_token: str
    refresh_token: str
    expires_at: datetime | None
    scopes: str
    followers_count: int | None = None


def social_accounts_forget(
    *, user_id: int, network: str | None = None, keep_uid: str | None = None
) -> None:
    """allauth keeps a SocialAccount row (uid and profile, never tokens) per connection: it
    goes when the connection goes (one network, or all of them when `network` is None), or
    when another account of the same network replaces it (`keep_uid`)."""
    providers = list(PROVIDER_IDS.values()) if network is None else [PROVIDER_IDS.get(network)]
    rows = SocialAccount.objects.filter(user_id=user_id, provider__in=providers)
    if keep_uid is not None:
        rows = rows.exclude(uid=keep_uid)
    rows.delete()


@transaction.atomic
def account_connect_oauth(*, user: User, network: str, grant: OAuthGrant) -> NetworkAccount:
    """Connect (or reconnect) a LinkedIn or X account: the tokens are kept here, encrypted,
    and the expiry reminder starts afresh for the new token."""
    if not user.is_ambassador:
        raise ValidationError(
            _("Opt in as an ambassador before you connect a network."), code="not_opted_in"
        )
    if network not in (Network.LINKEDIN, Network.X):
        raise ValidationError(
            _("Unknown network “%(network)s”.") % {"network": network}, code="bad_network"
        )
    if not grant.access_token or not grant.external_id:
        raise ValidationError(
            _("%(network)s did not hand over a usable connection. Please try again.")
            % {"network": Network(network).label},
            code="no_token",
        )
    account, _created = NetworkAccount.objects.select_for_update().get_or_create(
        user=user, network=network, defaults={"external_id": grant.external_id}
    )
    account.external_id = grant.external_id
    account.display_name = grant.display_name[:255]
    account.access_token = grant.access_token
    account.refresh_token = grant.refresh_token
    account.token_expires_at = grant.expires_at
    account.scopes = grant.scopes[:500]
    if grant.followers_count is not None:
        account.followers_count = grant.followers_count
    account.status = NetworkAccount.Status.CONNECTED
    account.expiry_reminded_at = None
    account.full_clean()
    account.save()
    social_accounts_forget(user_id=user.pk, network=network, keep_uid=grant.external_id)
    return account


@transaction.atomic
def account_disconnect(*, account: NetworkAccount) -> NetworkAccount:
    """Delete the tokens (ours, and allauth's record of the connection). Shares waiting for this account are cancelled: they could not be
    posted anyway, and the ambassador sees why."""
    account = NetworkAccount.objects.select_for_update().get(pk=account.pk)
    account.access_token = ""
    account.refresh_token = ""
    account.token_expires_at = None
    account.status = NetworkAccount.Status.DISCONNECTED
    account.save()
    social_accounts_forget(user_id=account.user_id, network=account.network)
    Share.objects.filter(account=account, status=Share.Status.SCHEDULED).update(
        status=Share.Status.CANCELLED,
        error=_("Cancelled because the account was disconnected."),
    )
    return account


# What reconnecting gives back, by what ran into the refused token.
_AFTER_RECONNECTING = {
    "publishing": gettext_lazy(
        "%(reason)s\n\nReconnect it on My networks; your failed shares can then be sent again "
        "in one click:\n%(url)s"
    ),
    "metrics": gettext_lazy(
        "%(reason)s\n\nUntil you reconnect it on My networks, the views and reactions of your "
        "%(network)s posts cannot be read; they are read again as soon as you have:\n%(url)s"
    ),
}


def account_mark_expired(
    *, account: NetworkAccount, reason: str, during: str = "publishing"
) -> bool:
    """The network refused the account's token (a 401, or an X refresh token it no longer
    accepts): only the ambassador can fix it, by reconnecting. A conditional update, so the
    ambassador is told once however many shares or reads run into it at the same time; an
    account that is not connected (disconnected, already expired) stays as it is.
    `during` ("publishing" or "metrics") says what the email tells them they get back."""
    changed = NetworkAccount.objects.filter(
        pk=account.pk, status=NetworkAccount.Status.CONNECTED
    ).update(status=NetworkAccount.Status.EXPIRED)
    if not changed:
        return False
    account.status = NetworkAccount.Status.EXPIRED
    network = account.get_network_display()
    notify_ambassador(
        user=account.user,
        subject=_("Reconnect your %(network)s account") % {"network": network},
        body=_AFTER_RECONNECTING[during]
        % {"reason": reason, "network": network, "url": networks_url()},
    )
    return True


def accounts_remind_expiring(*, now: datetime | None = None) -> int:
    """Email each ambassador once, NETWORK_EXPIRY_WARNING_DAYS before a LinkedIn token
    without refresh token expires (self-serve apps get none; tokens last 60 days), with a
    link to reconnect. Claimed with a conditional update, so two beat runs send it once."""
    now = now or timezone.now()
    due = NetworkAccount.objects.filter(
        network=Network.LINKEDIN,
        status=NetworkAccount.Status.CONNECTED,
        expiry_reminded_at__isnull=True,
        token_expires_at__isnull=False,
        token_expires_at__lte=now + timedelta(days=settings.NETWORK_EXPIRY_WARNING_DAYS),
    ).select_related("user")
    sent = 0
    for account in due:
        if account.refresh_token:
            continue  # a partner app's token is refreshed, not reconnected
        claimed = NetworkAccount.objects.filter(
            pk=account.pk, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=now)
        if not claimed:
            continue
        expires = timezone.localtime(account.token_expires_at)
        notify_ambassador(
            user=account.user,
            subject=_("Your LinkedIn connection expires on %(date)s")
            % {"date": date_format(expires, "DATE_FORMAT")},
            body=_(
                "LinkedIn connections last 60 days. Yours expires on %(date)s; after that your "
                "scheduled LinkedIn shares cannot be posted.\n\nReconnect in one click on My "
                "networks:\n%(url)s"
            )
            % {"date": date_format(expires, "DATE_FORMAT"), "url": my_networks_url()},
        )
        sent += 1
    return sent


def my_networks_url() -> str:
    return f"{settings.SITE_URL}{reverse('my-networks')}"
