"""What both networks' allauth providers share: only the connect flow, only for a signed-in
ambassador, and only back to this site."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.networks.oauth import normalize_scopes

NOT_OPTED_IN = _("Opt in as an ambassador before you connect a network.")


class ConnectOnlyMixin:
    """Mixed into an allauth provider: every redirect to the network starts the connect
    flow (allauth's "login" flow would sign a person in with their network account, which
    this product does not offer), and the `next` parameter is ignored, so the flow always
    ends on My networks."""

    def redirect_from_request(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(reverse("my-networks"))
        if not getattr(user, "is_ambassador", False):
            messages.error(request, NOT_OPTED_IN)
            return HttpResponseRedirect(reverse("my-networks"))
        # A mixin: the allauth provider class it is mixed into (untyped) has the method.
        response: HttpResponse = super().redirect_from_request(request)  # type: ignore[misc]
        return response

    def get_redirect_from_request_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        # A mixin: the allauth provider class it is mixed into (untyped) has the method.
        kwargs: dict[str, Any] = super().get_redirect_from_request_kwargs(request)  # type: ignore[misc]
        kwargs["process"] = "connect"
        kwargs.pop("next_url", None)
        # allauth lets a request widen the scope (?scope=...): the product asks for its own.
        kwargs.pop("scope", None)
        return kwargs


def remember_granted_scope(login: Any, response: Any, requested: list[str]) -> None:
    """Keep the scope the network granted on the login, for the health check. A token
    response without "scope" grants what was asked (RFC 6749, section 5.1)."""
    granted = response.get("scope") if isinstance(response, dict) else None
    login.account.extra_data["granted_scope"] = normalize_scopes(granted or requested)
