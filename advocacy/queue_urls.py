"""Pages of the personal queue, auto-sharing, my calendar and the one-click links of the
new-content email (included from config/urls.py at "")."""

from django.urls import path

from . import queue_views as views

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
]
