"""The ambassador pages (included from config/urls.py at ""): the queue, auto-sharing, my
calendar and the one-click links of the new-content email, then the feed, shares,
networks and teams."""

from django.urls import path

from advocacy import views

urlpatterns = [
    path("queue/", views.my_queue, name="my-queue"),
    path("queue/slots/", views.queue_slots, name="queue-slots"),
    path("queue/reorder/", views.queue_reorder_view, name="queue-reorder"),
    path("queue/pause/", views.queue_pause_view, name="queue-pause"),
    path("queue/resume/", views.queue_resume_view, name="queue-resume"),
    path("queue/suggestions/add/", views.queue_suggestion_add, name="queue-suggestion-add"),
    path("queue/<int:share_id>/now/", views.queue_share_now, name="queue-share-now"),
    path("queue/<int:share_id>/remove/", views.queue_share_remove, name="queue-share-remove"),
    path("queue/autoshare/", views.autoshare_grant_view, name="autoshare-grant"),
    path(
        "queue/autoshare/<int:consent_id>/revoke/",
        views.autoshare_revoke_view,
        name="autoshare-revoke",
    ),
    path("content/<int:item_id>/queue/", views.queue_add_view, name="queue-add"),
    path("calendar/", views.my_calendar, name="my-calendar"),
    # The digest email builds these links from SITE_URL + "/q/" + token (no trailing slash).
    path("q/<str:token>", views.oneclick_add, name="oneclick-add"),
    path("", views.feed, name="feed"),
    path("content/<int:item_id>/share/", views.share_create, name="share-create"),
    path("content/<int:item_id>/caption-check/", views.caption_check, name="caption-check"),
    path("content/<int:item_id>/photo-check/", views.photo_check_view, name="photo-check"),
    path("shares/", views.my_shares, name="my-shares"),
    path("shares/<int:share_id>/", views.share_detail, name="share-detail"),
    path("shares/<int:share_id>/status/", views.share_status, name="share-status"),
    path("shares/<int:share_id>/photo/", views.share_photo, name="share-photo"),
    path("shares/<int:share_id>/cancel/", views.share_cancel, name="share-cancel"),
    path("shares/<int:share_id>/edit/", views.share_update, name="share-update"),
    path("shares/<int:share_id>/now/", views.share_now, name="share-now"),
    path("shares/<int:share_id>/confirm/", views.share_confirm, name="share-confirm"),
    # impact/ (my impact) is served by reports.urls, on the rollups like the other reports.
    path("networks/", views.my_networks, name="my-networks"),
    path(
        "networks/sandbox/connect/",
        views.network_connect_sandbox,
        name="network-connect-sandbox",
    ),
    path(
        "networks/<int:account_id>/disconnect/",
        views.network_disconnect,
        name="network-disconnect",
    ),
    path(
        "networks/<int:account_id>/retry-failed/",
        views.network_retry_failed,
        name="network-retry-failed",
    ),
    path("me/settings/", views.me_settings, name="me-settings"),
    path("me/opt-in/", views.me_opt_in, name="me-opt-in"),
    path("me/opt-out/", views.me_opt_out, name="me-opt-out"),
    path("teams/", views.team_list, name="team-list"),
    # teams/<id>/ (team-detail) is the team dashboard of the reports app.
    path("sandbox/posts/<uuid:post_id>/", views.sandbox_post, name="sandbox-post"),
]
