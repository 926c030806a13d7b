from django.urls import path

from reports import apis

urlpatterns = [
    path("stats/teams/<int:pk>/", apis.StatsTeamApi.as_view(), name="api-stats-team"),
    path("stats/campaigns/<int:pk>/", apis.StatsCampaignApi.as_view(), name="api-stats-campaign"),
    path("stats/organisation/", apis.StatsOrganisationApi.as_view(), name="api-stats-organisation"),
]
