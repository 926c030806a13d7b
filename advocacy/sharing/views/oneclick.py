"""The one-click links of the new-content email: add the linked item to my queue."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from advocacy.models import Network
from advocacy.people.request import request_user
from advocacy.sharing.oneclick import oneclick_read, oneclick_use
from advocacy.sharing.views.common import local_time, queued_messages
from campaigns.variants import suggested_caption_for


def _oneclick_refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return render(request, "queue/oneclick_refused.html", {"errors": error.messages}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def oneclick_add(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link adds and a button; only the POST adds it. Mail scanners open
    every link in an email, and a GET that queued a share would let them post for people."""
    user = request_user(request)
    if request.method == "POST":
        try:
            share = oneclick_use(token=token, user=user)
        except ValidationError as error:
            return _oneclick_refused(request, error)
        queued_messages(request, share, user.time_zone)
        return redirect("my-queue")
    try:
        link = oneclick_read(token=token, user=user)
    except ValidationError as error:
        return _oneclick_refused(request, error)
    text, _variant = suggested_caption_for(user=user, item=link.item, network=link.network)
    context = {
        "token": token,
        "item": link.item,
        "network": Network(link.network).label,
        "text": text,
        "expires": local_time(link.expires_at, user.time_zone),
    }
    return render(request, "queue/oneclick.html", context)
