from django.urls import path

from . import views

urlpatterns = [
    path("", views.feed, name="feed"),
    path("content/<int:item_id>/share/", views.share_create, name="share-create"),
    path("content/<int:item_id>/caption-check/", views.caption_check, name="caption-check"),
    path("shares/", views.my_shares, name="my-shares"),
    path("shares/<int:share_id>/", views.share_detail, name="share-detail"),
    path("shares/<int:share_id>/status/", views.share_status, name="share-status"),
    path("shares/<int:share_id>/cancel/", views.share_cancel, name="share-cancel"),
    path("shares/<int:share_id>/edit/", views.share_update, name="share-update"),
    path("shares/<int:share_id>/now/", views.share_now, name="share-now"),
    path("impact/", views.my_impact, name="my-impact"),
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
    path("me/settings/", views.me_settings, name="me-settings"),
    path("me/opt-in/", views.me_opt_in, name="me-opt-in"),
    path("me/opt-out/", views.me_opt_out, name="me-opt-out"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<int:team_id>/", views.team_detail, name="team-detail"),
    path("sandbox/posts/<uuid:post_id>/", views.sandbox_post, name="sandbox-post"),
]
