"""The report pages (included from config/urls.py at "", before advocacy's pages)."""

from django.urls import path

from . import views

urlpatterns = [
    path("teams/<int:team_id>/", views.team_dashboard, name="team-detail"),
    path("teams/<int:team_id>/csv/<slug:table>/", views.team_dashboard_csv, name="team-csv"),
    path("manage/values/", views.network_values, name="network-values"),
]
