"""The page behind the digest's one-click link: change how often the team digest comes, or
unsubscribe, without logging in (the signed link is the credential).

GET only shows the choice: mail scanners and link previews open every link in an email, and
must not unsubscribe anyone. POST acts; a POST without a frequency is RFC 8058's one-click
unsubscribe ("List-Unsubscribe=One-Click", sent by the mail client itself).

Also the small page where marketing or a team's motivators set the team's Slack or Teams
webhook, and the page where a motivator reads the team's digest and has it emailed to
themselves at once (to forward it, or to take it to a team meeting)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from advocacy.models import Team, User
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing
from reports.digests import (
    digest_preferences_url,
    digest_subscription_from_token,
    digest_subscription_set,
    team_digest_preview,
    team_digest_send_copy,
    team_digest_subscription,
    team_webhook_remove,
    team_webhook_set,
)
from reports.models import DigestFrequency, TeamWebhook, WebhookKind


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


class TeamWebhookForm(forms.Form):
    kind = forms.ChoiceField(label=_("App"), choices=WebhookKind.choices)
    url = forms.URLField(label=_("Incoming webhook URL"), max_length=500, assume_scheme="https")
    enabled = forms.BooleanField(label=_("Send the weekly digest here"), required=False)


def may_set_webhook(*, user: User, team: Team) -> bool:
    """Marketing and the team's own motivators set its webhook."""
    return is_marketing(user) or team.motivators.filter(pk=user.pk).exists()


def _webhook_access(request: HttpRequest, team_id: int) -> Team:
    """The team whose webhook the user may set; anyone else gets a 404."""
    user = request_user(request)
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not may_set_webhook(user=user, team=team):
        raise Http404(_("No such team."))
    return team


@login_required
@require_http_methods(["GET", "POST"])
def team_webhook(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _webhook_access(request, team_id)
    hook = TeamWebhook.objects.filter(team=team).first()
    if request.method == "POST" and "remove" in request.POST:
        team_webhook_remove(team=team)
        messages.success(request, _("The webhook was removed."))
        return redirect("team-webhook", team_id=team.pk)
    initial = {"kind": hook.kind, "url": hook.url, "enabled": hook.enabled} if hook else None
    form = TeamWebhookForm(request.POST or None, initial=initial or {"enabled": True})
    if request.method == "POST" and form.is_valid():
        try:
            team_webhook_set(team=team, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("url", message)
        else:
            messages.success(request, _("Saved: the weekly digest goes to this webhook too."))
            return redirect("team-webhook", team_id=team.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/team_webhook.html",
        {"team": team, "hook": hook, "form": form},
        status=status,
    )


# One copy on demand per motivator and team in this many seconds: a double click, or a
# script, does not fill anyone's mailbox.
DIGEST_COPY_INTERVAL = 300


@login_required
@require_http_methods(["GET", "POST"])
def team_digest(request: HttpRequest, team_id: int) -> HttpResponse:
    user = request_user(request)
    team = Team.objects.filter(pk=team_id).first()
    subscription = team_digest_subscription(team=team, user=user) if team else None
    if team is None or subscription is None:
        raise Http404(_("No such team."))  # the digest is its motivators' only
    if request.method == "POST":
        if not cache.add(f"digest-copy:{team.pk}:{user.pk}", 1, DIGEST_COPY_INTERVAL):
            messages.info(
                request, _("The digest was sent to you a few minutes ago: look in your inbox.")
            )
        else:
            try:
                team_digest_send_copy(subscription=subscription)
            except ValidationError as error:
                cache.delete(f"digest-copy:{team.pk}:{user.pk}")
                messages.error(request, error.messages[0])
            except Exception:  # not sent (the mail server failed): the next click may try again
                cache.delete(f"digest-copy:{team.pk}:{user.pk}")
                raise
            else:
                messages.success(
                    request,
                    _("Sent to %(email)s: forward it from there.") % {"email": user.email},
                )
        return redirect("team-digest", team_id=team.pk)
    return render(
        request,
        "reports/team_digest.html",
        {
            "team": team,
            "subscription": subscription,
            "preview": team_digest_preview(subscription=subscription),
            "preferences_url": digest_preferences_url(subscription),
        },
    )
