"""The ambassador and motivator pages, one module per topic. Each view parses input, calls
one service or selector and renders; every object is fetched through an access check
(another person's share, account or consent: 404)."""

from advocacy.views.autoshare import autoshare_grant_view, autoshare_revoke_view
from advocacy.views.calendar import my_calendar
from advocacy.views.common import local_time
from advocacy.views.feed import caption_check, feed, share_create
from advocacy.views.networks import (
    me_opt_in,
    me_opt_out,
    me_settings,
    my_networks,
    network_connect_sandbox,
    network_disconnect,
    network_retry_failed,
)
from advocacy.views.oneclick import oneclick_add
from advocacy.views.photos import photo_check_view, share_photo
from advocacy.views.queue import (
    my_queue,
    queue_add_view,
    queue_pause_view,
    queue_reorder_view,
    queue_resume_view,
    queue_share_now,
    queue_share_remove,
    queue_slots,
    queue_suggestion_add,
)
from advocacy.views.shares import (
    my_shares,
    share_cancel,
    share_confirm,
    share_detail,
    share_now,
    share_status,
    share_update,
)
from advocacy.views.teams import sandbox_post, team_list

__all__ = [
    "autoshare_grant_view",
    "autoshare_revoke_view",
    "caption_check",
    "feed",
    "local_time",
    "me_opt_in",
    "me_opt_out",
    "me_settings",
    "my_calendar",
    "my_networks",
    "my_queue",
    "my_shares",
    "network_connect_sandbox",
    "network_disconnect",
    "network_retry_failed",
    "oneclick_add",
    "photo_check_view",
    "queue_add_view",
    "queue_pause_view",
    "queue_reorder_view",
    "queue_resume_view",
    "queue_share_now",
    "queue_share_remove",
    "queue_slots",
    "queue_suggestion_add",
    "sandbox_post",
    "share_cancel",
    "share_confirm",
    "share_create",
    "share_detail",
    "share_now",
    "share_photo",
    "share_status",
    "share_update",
    "team_list",
]
