"""Marketing's overview (/manage/) and topics."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from advocacy.people.request import request_user
from campaigns import selectors, services
from campaigns.forms import TopicForm, add_service_errors
from campaigns.models import ContentItem, Suggestion
from campaigns.views.common import marketing_required
from policy.selectors import policy_current, policy_draft


@marketing_required
def manage_home(request: HttpRequest) -> HttpResponse:
    by_status = dict(ContentItem.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "campaigns/manage_home.html",
        {
            "policy": policy_current(),
            "policy_draft": policy_draft(),
            "topic_count": selectors.topics_list().count(),
            "campaign_count": selectors.campaigns_list().count(),
            "status_counts": [
                (value, label, by_status.get(value, 0))
                for value, label in ContentItem.Status.choices
            ],
            "pending_count": selectors.suggestions_for(user=request_user(request), everything=True)
            .filter(status=Suggestion.Status.PENDING)
            .count(),
        },
    )


@marketing_required
def topic_list(request: HttpRequest) -> HttpResponse:
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                topic = services.topic_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Topic “%(name)s” added.") % {"name": topic.name})
                return redirect("topic-list")
        status = 400
    topics = selectors.topics_list().annotate(item_count=Count("items"))
    return render(
        request, "campaigns/topic_list.html", {"form": form, "topics": topics}, status=status
    )
