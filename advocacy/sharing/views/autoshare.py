"""Auto-sharing, on the queue page: new items of a topic go into my queue without asking
me, under a consent I can revoke (another person's consent: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy.models import Network
from advocacy.people.access import consent_access
from advocacy.people.request import request_user
from advocacy.sharing.autoshare import autoshare_grant, autoshare_revoke
from advocacy.sharing.forms import AutoShareForm, add_service_error
from advocacy.sharing.views.common import local_time, usable_accounts
from advocacy.sharing.views.queue import render_queue


@login_required
@require_POST
def autoshare_grant_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = AutoShareForm(request.POST, accounts=usable_accounts(user))
    if form.is_valid():
        try:
            consent = autoshare_grant(
                user=user, topic=form.cleaned_data["topic"], network=form.cleaned_data["network"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Auto-sharing is on for “%(topic)s” on %(network)s until %(until)s: new "
                    "items of the topic go into your queue without asking you."
                )
                % {
                    "topic": consent.topic.name,
                    "network": Network(consent.network).label,
                    "until": local_time(consent.expires_at, user.time_zone),
                },
            )
            return redirect(f"{reverse('my-queue')}#autoshare")
    return render_queue(request, autoshare_form=form, status=400)


@login_required
@require_POST
def autoshare_revoke_view(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = consent_access(user=request_user(request), consent_id=consent_id)
    consent = autoshare_revoke(consent=consent)
    messages.success(
        request,
        _(
            "Auto-sharing is off for “%(topic)s” on %(network)s. What it already queued stays "
            "in your queue, where you can remove it."
        )
        % {"topic": consent.topic.name, "network": Network(consent.network).label},
    )
    return redirect(f"{reverse('my-queue')}#autoshare")
