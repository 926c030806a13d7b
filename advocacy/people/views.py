"""The team pages of motivators, marketing and leadership, and the sandbox network's public
post page (my impact is a report: reports.views)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from advocacy.models import SandboxPost
from advocacy.networks.base import ProviderError
from advocacy.networks.sandbox import SandboxProvider
from advocacy.people.access import teams_visible
from advocacy.sharing.views.common import request_user

# --- Teams (motivators, marketing, leadership) -----------------------------------------------


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    teams = teams_visible(user=request_user(request))
    return render(request, "advocacy/team_list.html", {"teams": teams})


# --- The sandbox network's public post page --------------------------------------------------


@require_GET
def sandbox_post(request: HttpRequest, post_id: UUID) -> HttpResponse:
    """Stands for a post on a public network: no login, and nothing but the post itself."""
    post = get_object_or_404(SandboxPost.objects.select_related("account"), pk=post_id)
    metrics = None
    if post.account is not None and post.account.access_token:
        try:
            metrics = (
                SandboxProvider()
                .fetch_metrics(account=post.account, external_ids=[str(post.pk)])
                .get(str(post.pk))
            )
        except ProviderError:
            metrics = None
    return render(request, "advocacy/sandbox_post.html", {"post": post, "metrics": metrics})
