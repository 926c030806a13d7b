"""LinkedIn through allauth's generic OpenID Connect provider (the linkedin_oauth2 provider
asks for retired scopes). The views are allauth's, with an adapter that also keeps the scope
LinkedIn granted."""

from typing import Any

from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest, HttpResponse

from advocacy.networks.connect import remember_granted_scope


class LinkedInConnectAdapter(OpenIDConnectOAuth2Adapter):
    def complete_login(self, request: HttpRequest, app: Any, token: Any, **kwargs: Any) -> Any:
        response = dict(kwargs.get("response") or {})
        # The member is read from /v2/userinfo with the new token (its `sub` is the author
        # URN LinkedIn documents), not from the id_token: LinkedIn's OpenID Connect setup is
        # known to differ from the discovery document in places (issuer, email_verified as
        # a string), and a claim check failing there would refuse a good connection.
        # https://learn.microsoft.com/en-us/linkedin/consumer/integrations/self-serve/sign-in-with-linkedin-v2
        response.pop("id_token", None)
        kwargs["response"] = response
        login = super().complete_login(request, app, token, **kwargs)
        remember_granted_scope(login, response, self.get_provider().get_scope())
        return login


def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2LoginView.adapter_view(LinkedInConnectAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except SocialApp.DoesNotExist:
        raise Http404("This network is not configured.") from None
    return response


def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        view = OAuth2CallbackView.adapter_view(LinkedInConnectAdapter(request, provider_id))
        response: HttpResponse = view(request)
    except SocialApp.DoesNotExist:
        raise Http404("This network is not configured.") from None
    return response
