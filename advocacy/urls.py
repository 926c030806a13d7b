"""The ambassador pages (included from config/urls.py at ""): the queue, auto-sharing, my
calendar and the one-click links of the new-content email, then the feed, shares,
networks and teams."""

from django.urls import path

from advocacy.networks import sandbox_views
from advocacy.networks import views as networks
from advocacy.people import views as people
from advocacy.sharing.views import autoshare, calendar, feed, oneclick, photos, queue, shares

urlpatterns = [
    path("queue/", queue.my_queue, name="my-queue"),
    path("queue/slots/", queue.queue_slots, name="queue-slots"),
    path("queue/reorder/", queue.queue_reorder_view, name="queue-reorder"),
    path("queue/pause/", queue.queue_pause_view, name="queue-pause"),
    path("queue/resume/", queue.queue_resume_view, name="queue-resume"),
    path("queue/suggestions/add/", queue.queue_suggestion_add, name="queue-suggestion-add"),
    path("queue/<int:share_id>/now/", queue.queue_share_now, name="queue-share-now"),
    path("queue/<int:share_id>/remove/", queue.queue_share_remove, name="queue-share-remove"),
    path("queue/autoshare/", autoshare.autoshare_grant_view, name="autoshare-grant"),
    path(
        "queue/autoshare/<int:consent_id>/revoke/",
        autoshare.autoshare_revoke_view,
        name="autoshare-revoke",
    ),
    path("content/<int:item_id>/queue/", queue.queue_add_view, name="queue-add"),
    path("calendar/", calendar.my_calendar, name="my-calendar"),
    # The digest email builds these links from SITE_URL + "/q/" + token (no trailing slash).
    path("q/<str:token>", oneclick.oneclick_add, name="oneclick-add"),
    path("", feed.feed, name="feed"),
    path("content/<int:item_id>/share/", feed.share_create, name="share-create"),
    path("content/<int:item_id>/caption-check/", feed.caption_check, name="caption-check"),
    path("content/<int:item_id>/photo-check/", photos.photo_check_view, name="photo-check"),
    path("shares/", shares.my_shares, name="my-shares"),
    path("shares/<int:share_id>/", shares.share_detail, name="share-detail"),
    path("shares/<int:share_id>/status/", shares.share_status, name="share-status"),
    path("shares/<int:share_id>/photo/", photos.share_photo, name="share-photo"),
    path("shares/<int:share_id>/cancel/", shares.share_cancel, name="share-cancel"),
    path("shares/<int:share_id>/edit/", shares.share_update, name="share-update"),
    path("shares/<int:share_id>/now/", shares.share_now, name="share-now"),
    path("shares/<int:share_id>/confirm/", shares.share_confirm, name="share-confirm"),
    # impact/ (my impact) is served by reports.urls, on the rollups like the other reports.
    path("networks/", networks.my_networks, name="my-networks"),
    path(
        "networks/sandbox/connect/",
        networks.network_connect_sandbox,
        name="network-connect-sandbox",
    ),
    path(
        "networks/<int:account_id>/disconnect/",
        networks.network_disconnect,
        name="network-disconnect",
    ),
    path(
        "networks/<int:account_id>/retry-failed/",
        networks.network_retry_failed,
        name="network-retry-failed",
    ),
    path("me/settings/", people.me_settings, name="me-settings"),
    path("me/opt-in/", people.me_opt_in, name="me-opt-in"),
    path("me/opt-out/", people.me_opt_out, name="me-opt-out"),
    path("teams/", people.team_list, name="team-list"),
    # teams/<id>/ (team-detail) is the team dashboard of the reports app.
    path("sandbox/posts/<uuid:post_id>/", sandbox_views.sandbox_post, name="sandbox-post"),
]
