"""allauth adapters: connect only, for signed-in ambassadors; tokens go to NetworkAccount."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.models import Network, User
from advocacy.networks.accounts import OAuthGrant, account_connect_oauth
from advocacy.networks.oauth import NETWORK_FOR_PROVIDER

# allauth's own success messages; ours say which account was connected.
QUIET_MESSAGES = {
    "socialaccount/messages/account_connected.txt",
    "socialaccount/messages/account_connected_updated.txt",
}


def _back_to_networks(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    messages.error(request, message)
    return ImmediateHttpResponse(HttpResponseRedirect(reverse("my-networks")))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if message_template in QUIET_MESSAGES:
            return
        super().add_message(request, level, message_template, *args, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def get_connect_redirect_url(self, request: HttpRequest, socialaccount: Any) -> str:
        return reverse("my-networks")

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        # Cancelled at the network, a state that does not match this session, a refused
        # code: all end on My networks with a message, never on allauth's pages.
        name = getattr(provider, "name", _("the network"))
        if error == "cancelled":
            message = _("Connecting %(network)s was cancelled.") % {"network": name}
        else:
            message = _("Connecting %(network)s did not work. Please try again.") % {
                "network": name
            }
        raise _back_to_networks(request, message)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """The network approved; allauth is about to attach the account. Refuse anything but
        the connect flow of a signed-in ambassador, then copy the tokens to NetworkAccount."""
        user = request.user
        if sociallogin.state.get("process") != "connect" or not isinstance(user, User):
            raise _back_to_networks(
                request, _("Sign in with your company account first, then connect a network.")
            )
        if sociallogin.is_existing and sociallogin.user != user:
            # A colleague connected this network account: allauth refuses with its message.
            return
        network = NETWORK_FOR_PROVIDER.get(sociallogin.account.provider)
        if network is None:
            raise _back_to_networks(request, _("This network cannot be connected."))
        try:
            account = account_connect_oauth(
                user=user, network=network, grant=grant_from_login(network, sociallogin)
            )
        except ValidationError as error:
            raise _back_to_networks(request, " ".join(error.messages)) from None
        messages.success(
            request,
            _("%(network)s is connected as %(name)s.")
            % {"network": account.get_network_display(), "name": account.display_name},
        )


def grant_from_login(network: str, sociallogin: Any) -> OAuthGrant:
    """What allauth obtained, in the product's terms."""
    data: dict[str, Any] = sociallogin.account.extra_data
    token = sociallogin.token
    if network == Network.LINKEDIN:
        # OpenID Connect: extra_data holds "userinfo" and "id_token" claims.
        claims = data.get("userinfo") or data.get("id_token") or {}
        name = str(claims.get("name") or claims.get("email") or "")
        followers = None  # LinkedIn's OIDC profile has no connection count
    else:
        name = f"@{data['username']}" if data.get("username") else str(data.get("name", ""))
        metrics = data.get("public_metrics") or {}
        followers = metrics.get("followers_count")
    return OAuthGrant(
        external_id=str(sociallogin.account.uid),
        display_name=name,
        access_token=token.token,
        refresh_token=token.token_secret or "",
        expires_at=token.expires_at,
        scopes=str(data.get("granted_scope", "")),
        followers_count=int(followers) if followers is not None else None,
    )
