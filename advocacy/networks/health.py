"""Reads: the health of an ambassador's network connections, in one place for My networks,
the API and the banner on every page, and the shares waiting for a reconnect."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.models import Network, NetworkAccount, Share, User
from advocacy.networks.oauth import REQUIRED_SCOPES


class Health:
    CONNECTED = "connected"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    MISSING_SCOPE = "missing_scope"
    DISCONNECTED = "disconnected"

    choices = [
        (CONNECTED, gettext_lazy("connected")),
        (EXPIRING, gettext_lazy("expiring soon")),
        (EXPIRED, gettext_lazy("expired")),
        (REVOKED, gettext_lazy("revoked")),
        (MISSING_SCOPE, gettext_lazy("missing a permission")),
        (DISCONNECTED, gettext_lazy("disconnected")),
    ]


# States that ask the ambassador to act (shown in the banner on every page).
NEEDS_ACTION = (Health.EXPIRING, Health.EXPIRED, Health.REVOKED, Health.MISSING_SCOPE)


@dataclass(frozen=True)
class AccountHealth:
    state: str
    label: str
    # What it means and what to do, in one sentence.
    message: str
    # "reconnect", "connect" or "" (nothing to do).
    action: str
    expires_at: datetime | None = None
    missing_scopes: tuple[str, ...] = ()

    @property
    def needs_action(self) -> bool:
        return self.state in NEEDS_ACTION


def expiry_warning() -> timedelta:
    return timedelta(days=settings.NETWORK_EXPIRY_WARNING_DAYS)


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def account_health(*, account: NetworkAccount, now: datetime | None = None) -> AccountHealth:
    """Connected, expiring soon, expired, revoked or missing a permission, with the action.

    An X token lives two hours and is refreshed automatically while there is a refresh token,
    so X only expires without one. A LinkedIn token lasts 60 days and a self-serve app gets no
    refresh token: the ambassador reconnects before the day comes."""
    now = now or timezone.now()
    label = account.get_network_display()
    expires = account.token_expires_at
    if account.status == NetworkAccount.Status.DISCONNECTED:
        return AccountHealth(
            Health.DISCONNECTED,
            _("disconnected"),
            _("Not connected: connect %(network)s to share there.") % {"network": label},
            "connect",
        )
    if account.status == NetworkAccount.Status.REVOKED:
        return AccountHealth(
            Health.REVOKED,
            _("revoked"),
            _("%(network)s no longer accepts this connection (access was withdrawn): reconnect.")
            % {"network": label},
            "reconnect",
        )
    refreshable = bool(account.refresh_token)
    if (
        account.status == NetworkAccount.Status.EXPIRED
        or not account.access_token
        or (expires is not None and expires <= now and not refreshable)
    ):
        return AccountHealth(
            Health.EXPIRED,
            _("expired"),
            _("The %(network)s connection has expired: reconnect to share again.")
            % {"network": label},
            "reconnect",
            expires_at=expires,
        )
    required = REQUIRED_SCOPES.get(account.network, ())
    granted = set(account.scopes.split())
    # An empty scope list is an account connected before scopes were recorded: not flagged.
    missing = tuple(scope for scope in required if granted and scope not in granted)
    if missing:
        return AccountHealth(
            Health.MISSING_SCOPE,
            _("missing a permission"),
            _(
                "%(network)s was connected without the permission(s) %(scopes)s: reconnect "
                "and allow everything the app asks for."
            )
            % {"network": label, "scopes": ", ".join(missing)},
            "reconnect",
            expires_at=expires,
            missing_scopes=missing,
        )
    if (
        account.network != Network.SANDBOX
        and expires is not None
        and not refreshable
        and expires <= now + expiry_warning()
    ):
        return AccountHealth(
            Health.EXPIRING,
            _("expires on %(date)s") % {"date": _day(expires)},
            _("The %(network)s connection expires on %(date)s: reconnect before then.")
            % {"network": label, "date": _day(expires)},
            "reconnect",
            expires_at=expires,
        )
    return AccountHealth(Health.CONNECTED, _("connected"), "", "", expires_at=expires)


def accounts_needing_action(*, user: User) -> list[tuple[NetworkAccount, AccountHealth]]:
    """For the banner: the person's connections that expire soon, expired or lack a scope."""
    if not user.is_authenticated or not user.is_ambassador:
        return []
    now = timezone.now()
    result = []
    for account in NetworkAccount.objects.filter(user=user).exclude(
        status=NetworkAccount.Status.DISCONNECTED
    ):
        health = account_health(account=account, now=now)
        if health.needs_action:
            result.append((account, health))
    return result


def shares_awaiting_reconnect(*, user: User, network: str) -> QuerySet[Share]:
    """The person's shares that failed because the connection had expired."""
    return Share.objects.filter(
        user=user, network=network, status=Share.Status.FAILED, problem=Share.Problem.RECONNECT
    )
