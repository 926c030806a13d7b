"""The sandbox network's public post page."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from advocacy.models import SandboxPost
from advocacy.networks.base import ProviderError
from advocacy.networks.sandbox import SandboxProvider


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
