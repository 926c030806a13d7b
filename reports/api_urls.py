from django.urls import path

from . import apis

urlpatterns = [
    path("stats/teams/<int:pk>/", apis.StatsTeamApi.as_view(), name="api-stats-team"),
]
