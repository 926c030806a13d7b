from django.urls import path

from reports.apis.campaigns import StatsCampaignApi
from reports.apis.organisation import StatsOrganisationApi
from reports.apis.teams import StatsTeamApi

urlpatterns = [
    path("stats/teams/<int:pk>/", StatsTeamApi.as_view(), name="api-stats-team"),
    path("stats/campaigns/<int:pk>/", StatsCampaignApi.as_view(), name="api-stats-campaign"),
    path("stats/organisation/", StatsOrganisationApi.as_view(), name="api-stats-organisation"),
]
