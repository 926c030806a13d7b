"""A worker killed in the middle of posting: the share is published exactly once."""

import pytest
from django.utils import timezone

from advocacy.models import SandboxPost, Share
from advocacy.publishing.dispatch import shares_dispatch_due
from advocacy.sharing.shares import share_create
from tests import factories
from tests.worker import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_post_never_posts_twice(celery_worker_process):
    factories.PolicyVersionFactory()
    ambassador = factories.ambassador(username="amber")
    item = factories.ContentItemFactory()
    # The sandbox stores the post, then takes 5 s to answer: the kill lands in between.
    celery_worker_process.restart(SANDBOX_ANSWER_DELAY="5")
    try:
        share = share_create(user=ambassador, item=item, network="sandbox", text="Hello #employee")
        assert wait_for(lambda: SandboxPost.objects.filter(client_ref=share.code).exists())
        assert Share.objects.get(pk=share.pk).status == Share.Status.PUBLISHING

        celery_worker_process.kill_pool_child()

        # The message comes back (acks_late + reject_on_worker_lost); the redelivery sees
        # its own claim, does not post, and reconciles with the network: the post is there.
        share = wait_for(
            lambda: (s := Share.objects.get(pk=share.pk)).status == Share.Status.PUBLISHED and s,
            timeout=60,
        )
        assert share, f"{Share.objects.get(pk=share.pk).__dict__}\n{celery_worker_process.log()}"
        assert SandboxPost.objects.filter(client_ref=share.code).count() == 1
        assert share.external_id == str(SandboxPost.objects.get().pk)
        # Nothing is left for the dispatcher to send again.
        assert shares_dispatch_due(now=timezone.now() + timezone.timedelta(hours=1)) == 0
        assert SandboxPost.objects.count() == 1
    finally:
        celery_worker_process.restart()
