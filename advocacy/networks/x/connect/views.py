"""X's OAuth 2.0 (PKCE) endpoints from settings, so tests and development can point them at
the local fake network: allauth hard-codes them in TwitterOAuth2Adapter."""

from typing import Any

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.twitter_oauth2.views import TwitterOAuth2Adapter
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from advocacy.networks.connect import remember_granted_scope


class XConnectAdapter(TwitterOAuth2Adapter):
    @property
    def authorize_url(self) -> str:
        return str(settings.X_AUTHORIZE_URL)

    @property
    def access_token_url(self) -> str:
        return f"{settings.X_API_BASE_URL}/2/oauth2/token"

    @property
    def profile_url(self) -> str:
        return f"{settings.X_API_BASE_URL}/2/users/me"

    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        login = super().complete_login(request, app, token, **kwargs)
        remember_granted_scope(login, kwargs.get("response"), self.get_provider().get_scope())
        return login


_login = OAuth2LoginView.adapter_view(XConnectAdapter)
_callback = OAuth2CallbackView.adapter_view(XConnectAdapter)


def oauth2_login(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = _login(request)
    except SocialApp.DoesNotExist:
        # No X_CLIENT_ID: the administrator has not configured X.
        raise Http404("This network is not configured.") from None
    return response


def oauth2_callback(request: HttpRequest) -> HttpResponse:
    try:
        response: HttpResponse = _callback(request)
    except SocialApp.DoesNotExist:
        raise Http404("This network is not configured.") from None
    return response
