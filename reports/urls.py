"""The report pages (included from config/urls.py at "", before advocacy's pages)."""

from django.urls import path

from reports import digest_views, views

urlpatterns = [
    path("impact/", views.my_impact_page, name="my-impact"),
    path("impact/csv/<slug:table>/", views.my_impact_csv, name="my-impact-csv"),
    path("teams/<int:team_id>/", views.team_dashboard, name="team-detail"),
    path("teams/<int:team_id>/csv/<slug:table>/", views.team_dashboard_csv, name="team-csv"),
    path("reports/", views.reports_home, name="reports-home"),
    path("reports/organisation/", views.organisation, name="organisation-report"),
    path(
        "reports/organisation/csv/<slug:table>/",
        views.organisation_csv,
        name="organisation-csv",
    ),
    path("reports/campaigns/<int:campaign_id>/", views.campaign, name="campaign-report"),
    path(
        "reports/campaigns/<int:campaign_id>/csv/<slug:table>/",
        views.campaign_csv,
        name="campaign-csv",
    ),
    path("manage/values/", views.network_values, name="network-values"),
    # The team digest's one-click link (no login: the signed token is the credential).
    path("digests/<str:token>/", digest_views.digest_preferences, name="digest-preferences"),
    path("teams/<int:team_id>/webhook/", digest_views.team_webhook, name="team-webhook"),
    path("teams/<int:team_id>/digest/", digest_views.team_digest, name="team-digest"),
]
