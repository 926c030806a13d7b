"""The fair-use policy pages: reading and acknowledging it (everyone), editing and publishing
it (marketing only; 404 for everyone else)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advocacy.models import Network, User
from advocacy.networks.rules import NETWORK_RULES
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing
from advocacy.sharing.forms import add_service_error
from advocacy.sharing.optin import ambassador_opt_in
from policy import services
from policy.forms import PolicyAcknowledgeForm, PolicyDraftForm, PolicyPublishForm
from policy.markdown import render_markdown
from policy.models import PolicyVersion
from policy.selectors import policy_acknowledged_at, policy_current, policy_draft, policy_versions


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _render_policy(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    user = request_user(request)
    policy = policy_current()
    context: dict[str, Any] = {"policy": policy}
    if policy is not None:
        acknowledgement = policy_acknowledged_at(user=user, version=policy)
        context.update(
            {
                "body_html": render_markdown(policy.body),
                "network_rules": [
                    {"label": Network(network).label, "rules": rules}
                    for network, rules in NETWORK_RULES.items()
                ],
                "timezone_name": timezone.get_current_timezone_name(),
                "acknowledgement": acknowledgement,
                "ack_form": None
                if acknowledgement
                else PolicyAcknowledgeForm(
                    initial={"version": policy.number}, with_opt_in=not user.is_ambassador
                ),
            }
        )
    return render(request, "policy/policy.html", context, status=status)


@login_required
@require_GET
def policy_page(request: HttpRequest) -> HttpResponse:
    return _render_policy(request)


@login_required
@require_POST
def policy_acknowledge(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    policy = policy_current()
    form = PolicyAcknowledgeForm(request.POST)
    if policy is None:
        messages.error(request, _("There is no fair-use policy to acknowledge yet."))
        return _render_policy(request, status=400)
    if not form.is_valid():
        messages.error(request, _("Tick the box to say you read the policy, then send again."))
        return _render_policy(request, status=400)
    if form.cleaned_data["version"] != policy.number:
        messages.error(
            request,
            _(
                "The policy changed while you were reading: version %(number)s is now current. "
                "Read it below, then acknowledge it."
            )
            % {"number": policy.number},
        )
        return _render_policy(request, status=400)
    try:
        services.policy_acknowledge(user=user, version=policy)
        if form.cleaned_data.get("opt_in") and not user.is_ambassador:
            ambassador_opt_in(user=user)
    except ValidationError as error:
        _error_messages(request, error)
        return _render_policy(request, status=400)
    user.refresh_from_db(fields=["ambassador_since"])
    if user.is_ambassador:
        messages.success(
            request,
            _("Thank you: you acknowledged version %(number)s. Happy sharing!")
            % {"number": policy.number},
        )
    else:
        messages.success(
            request,
            _("Thank you: you acknowledged version %(number)s.") % {"number": policy.number},
        )
    return redirect("feed")


# --- Marketing: edit and publish -------------------------------------------------------------


def _marketing_only(request: HttpRequest) -> User:
    user = request_user(request)
    if not is_marketing(user):
        raise Http404("No such page.")
    return user


def _render_manage(
    request: HttpRequest, *, form: PolicyDraftForm, draft: PolicyVersion, status: int = 200
) -> HttpResponse:
    body = form.data.get("body", draft.body) if form.is_bound else draft.body
    versions = list(policy_versions())
    context = {
        "form": form,
        "draft": draft,
        "preview_html": render_markdown(body),
        "versions": versions,
        "next_number": (versions[0].number or 0) + 1 if versions else 1,
        "publish_form": PolicyPublishForm(initial={"draft": draft.pk}) if draft.pk else None,
    }
    return render(request, "policy/manage.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def policy_manage(request: HttpRequest) -> HttpResponse:
    user = _marketing_only(request)
    draft = services.policy_draft_from_current(user=user)
    if request.method == "GET":
        form = PolicyDraftForm(initial=PolicyDraftForm.initial_from(draft))
        return _render_manage(request, form=form, draft=draft)
    form = PolicyDraftForm(request.POST)
    if form.is_valid():
        try:
            services.policy_draft_save(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The draft is saved. Publish it when it is ready."))
            return redirect("policy-manage")
    return _render_manage(request, form=form, draft=draft, status=400)


@login_required
@require_POST
def policy_publish(request: HttpRequest) -> HttpResponse:
    user = _marketing_only(request)
    draft = policy_draft()
    form = PolicyPublishForm(request.POST)
    if draft is None or not form.is_valid() or form.cleaned_data["draft"] != draft.pk:
        messages.error(
            request,
            _("The draft changed or was already published. Check it below, then publish."),
        )
        draft = draft or services.policy_draft_from_current(user=user)
        edit_form = PolicyDraftForm(initial=PolicyDraftForm.initial_from(draft))
        return _render_manage(request, form=edit_form, draft=draft, status=400)
    try:
        version = services.policy_publish(version=draft, user=user)
    except ValidationError as error:
        _error_messages(request, error)
        edit_form = PolicyDraftForm(initial=PolicyDraftForm.initial_from(draft))
        return _render_manage(request, form=edit_form, draft=draft, status=400)
    messages.success(
        request,
        _("Version %(number)s is published. Ambassadors acknowledge it before their next share.")
        % {"number": version.number},
    )
    return redirect("policy")
