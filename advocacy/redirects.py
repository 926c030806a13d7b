"""The tracked link /r/<code>: what the public clicks.

The destination is always the content item's own http(s) URL from the database, so the
redirect can never be pointed anywhere else; an unknown code is a plain 404.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .models import Share
from .services import click_record

UTM_MEDIUM = "employee-advocacy"


def destination_url(share: Share) -> str:
    item = share.content_item
    campaign = item.campaign
    parts = urlsplit(item.url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.startswith("utm_")
    ]
    query += [
        ("utm_source", share.network),
        ("utm_medium", UTM_MEDIUM),
        ("utm_campaign", campaign.utm_campaign if campaign else "advocacy"),
        ("utm_content", f"share-{share.code}"),
    ]
    return str(
        urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
    )


def _client_ip(request: HttpRequest) -> str:
    # Only used inside the salted daily hash; never stored. Behind a proxy, configure it to
    # set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return str(request.META.get("REMOTE_ADDR", ""))


@never_cache
@require_safe
def tracked_redirect(request: HttpRequest, code: str) -> HttpResponse:
    share = (
        Share.objects.select_related("content_item", "content_item__campaign")
        .filter(code=code)
        .exclude(status=Share.Status.CANCELLED)
        .first()
    )
    if share is None:
        raise Http404("Unknown link.")
    if request.method == "GET":  # HEAD is what many preview fetchers send: not a click
        click_record(
            share=share, ip=_client_ip(request), user_agent=request.headers.get("user-agent", "")
        )
    response = HttpResponseRedirect(destination_url(share))
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    response["X-Robots-Tag"] = "noindex"
    return response
