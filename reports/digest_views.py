"""The page behind the digest's one-click link: change how often the team digest comes, or
unsubscribe, without logging in (the signed link is the credential).

GET only shows the choice: mail scanners and link previews open every link in an email, and
must not unsubscribe anyone. POST acts; a POST without a frequency is RFC 8058's one-click
unsubscribe ("List-Unsubscribe=One-Click", sent by the mail client itself)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .digests import digest_subscription_from_token, digest_subscription_set
from .models import DigestFrequency


# Exempt from CSRF: the mail client's one-click POST carries no token, and the signed link,
# not a session, says whose subscription this is, so a forged cross-site POST cannot name one.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = digest_subscription_from_token(token=token)
    except ValidationError as error:
        return render(
            request, "reports/digest_preferences.html", {"error": error.messages[0]}, status=400
        )
    changed = False
    if request.method == "POST":
        frequency = request.POST.get("frequency", DigestFrequency.OFF)
        if frequency not in DigestFrequency.values:
            return render(
                request,
                "reports/digest_preferences.html",
                {"subscription": subscription, "choices": DigestFrequency.choices, "token": token},
                status=400,
            )
        digest_subscription_set(subscription=subscription, frequency=frequency)
        changed = True
    return render(
        request,
        "reports/digest_preferences.html",
        {
            "subscription": subscription,
            "choices": DigestFrequency.choices,
            "token": token,
            "changed": changed,
        },
    )
