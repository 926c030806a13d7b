from django.urls import path

from . import apis

urlpatterns = [
    path("me/", apis.MeApi.as_view(), name="api-me"),
    path("me/opt-in/", apis.MeOptInApi.as_view(), name="api-me-opt-in"),
    path("me/opt-out/", apis.MeOptOutApi.as_view(), name="api-me-opt-out"),
    path("accounts/", apis.AccountListApi.as_view(), name="api-accounts"),
    path("accounts/<int:pk>/", apis.AccountDetailApi.as_view(), name="api-account"),
    path(
        "accounts/<int:pk>/disconnect/",
        apis.AccountDisconnectApi.as_view(),
        name="api-account-disconnect",
    ),
    path("shares/", apis.ShareListApi.as_view(), name="api-shares"),
    path("shares/<int:pk>/", apis.ShareDetailApi.as_view(), name="api-share"),
    path("shares/<int:pk>/cancel/", apis.ShareCancelApi.as_view(), name="api-share-cancel"),
    path("stats/me/", apis.StatsMeApi.as_view(), name="api-stats-me"),
    path("stats/teams/<int:pk>/", apis.StatsTeamApi.as_view(), name="api-stats-team"),
    path("stats/campaigns/<int:pk>/", apis.StatsCampaignApi.as_view(), name="api-stats-campaign"),
]
