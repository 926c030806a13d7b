from django.urls import path

from .apis import accounts, me, shares, stats

urlpatterns = [
    path("me/", me.MeApi.as_view(), name="api-me"),
    path("me/opt-in/", me.MeOptInApi.as_view(), name="api-me-opt-in"),
    path("me/opt-out/", me.MeOptOutApi.as_view(), name="api-me-opt-out"),
    path("accounts/", accounts.AccountListApi.as_view(), name="api-accounts"),
    path("accounts/<int:pk>/", accounts.AccountDetailApi.as_view(), name="api-account"),
    path(
        "accounts/<int:pk>/disconnect/",
        accounts.AccountDisconnectApi.as_view(),
        name="api-account-disconnect",
    ),
    path("shares/", shares.ShareListApi.as_view(), name="api-shares"),
    path("shares/<int:pk>/", shares.ShareDetailApi.as_view(), name="api-share"),
    path("shares/<int:pk>/cancel/", shares.ShareCancelApi.as_view(), name="api-share-cancel"),
    path("shares/<int:pk>/now/", shares.ShareNowApi.as_view(), name="api-share-now"),
    path("stats/me/", stats.StatsMeApi.as_view(), name="api-stats-me"),
    path("stats/teams/<int:pk>/", stats.StatsTeamApi.as_view(), name="api-stats-team"),
    path("stats/campaigns/<int:pk>/", stats.StatsCampaignApi.as_view(), name="api-stats-campaign"),
]
