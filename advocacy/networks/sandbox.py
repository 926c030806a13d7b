"""The built-in sandbox network: posts are stored in this database and earn engagement over
time, so the whole journey can be demonstrated and practised without a real network.

Engagement is a deterministic function of the post's age and id: every refresh returns the
same or larger figures, like a real network's counters.
"""

import hashlib
import math
import time
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone

from advocacy.models import Network, NetworkAccount, SandboxPost
from advocacy.networks.base import LinkCard, Media, PostMetrics, ProviderError, PublishedPost


def _seed(post_id: str) -> float:
    digest = hashlib.sha256(post_id.encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32  # 0..1, fixed per post


class SandboxProvider:
    can_find_posts = True
    card_thumbnails = False
    network = Network.SANDBOX

    def _url(self, post: SandboxPost) -> str:
        return f"{settings.SITE_URL}/sandbox/posts/{post.pk}/"

    def _check_account(self, account: NetworkAccount) -> None:
        if not account.access_token:
            raise ProviderError(
                "The sandbox account has no token: connect it again.", reconnect=True
            )

    def publish(
        self,
        *,
        account: NetworkAccount,
        text: str,
        client_ref: str,
        link: LinkCard | None = None,
        photo: Media | None = None,
    ) -> PublishedPost:
        # The sandbox keeps the text only: a photo is accepted and not stored (a practice
        # post needs no copy of the picture).
        self._check_account(account)
        post = SandboxPost.objects.create(
            account=account,
            author_name=account.display_name,
            text=text,
            client_ref=client_ref,
            audience=account.followers_count or 0,
        )
        if settings.SANDBOX_ANSWER_DELAY:
            # A network that stored the post but answers slowly (for demos, benchmarks and the
            # crash-mid-post test): the post exists before the worker hears about it.
            time.sleep(settings.SANDBOX_ANSWER_DELAY)
        return PublishedPost(external_id=str(post.pk), url=self._url(post))

    def find_post(
        self, *, account: NetworkAccount, text: str, client_ref: str
    ) -> PublishedPost | None:
        post = SandboxPost.objects.filter(account=account, client_ref=client_ref).first()
        return PublishedPost(str(post.pk), self._url(post)) if post else None

    def fetch_metrics(
        self, *, account: NetworkAccount, external_ids: Sequence[str]
    ) -> dict[str, PostMetrics]:
        self._check_account(account)
        now = timezone.now()
        metrics = {}
        for post in SandboxPost.objects.filter(pk__in=external_ids):
            hours = max((now - post.created_at).total_seconds() / 3600, 0.0)
            seed = _seed(str(post.pk))
            # Saturating growth: most views in the first day, as on the real networks.
            reached = post.audience * (0.2 + 0.4 * seed) * (1 - math.exp(-hours / 8))
            impressions = int(reached)
            metrics[str(post.pk)] = PostMetrics(
                impressions=impressions,
                reactions=int(impressions * (0.02 + 0.03 * seed)),
                comments=int(impressions * 0.004 * seed),
                reposts=int(impressions * 0.003 * seed),
            )
        return metrics

    def refresh_token(self, *, account: NetworkAccount) -> None:
        """Sandbox tokens do not expire."""
