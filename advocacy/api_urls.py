from django.urls import path

from advocacy.networks import apis as accounts
from advocacy.people import apis as me
from advocacy.publishing import apis as budgets
from advocacy.reach import apis as stats
from advocacy.sharing.apis import calendar, queue, shares

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
    path(
        "accounts/<int:pk>/retry-failed-shares/",
        accounts.AccountRetryFailedSharesApi.as_view(),
        name="api-account-retry-failed-shares",
    ),
    path("shares/", shares.ShareListApi.as_view(), name="api-shares"),
    path("shares/<int:pk>/", shares.ShareDetailApi.as_view(), name="api-share"),
    path("shares/<int:pk>/cancel/", shares.ShareCancelApi.as_view(), name="api-share-cancel"),
    path("shares/<int:pk>/photo/", shares.SharePhotoApi.as_view(), name="api-share-photo"),
    path("shares/<int:pk>/now/", shares.ShareNowApi.as_view(), name="api-share-now"),
    path("shares/<int:pk>/confirm/", shares.ShareConfirmApi.as_view(), name="api-share-confirm"),
    path("budgets/<str:network>/", budgets.BudgetApi.as_view(), name="api-budget"),
    path(
        "budgets/<str:network>/credits-topped-up/",
        budgets.BudgetCreditsToppedUpApi.as_view(),
        name="api-budget-credits-topped-up",
    ),
    path("stats/me/", stats.StatsMeApi.as_view(), name="api-stats-me"),
    # stats/teams/<id>/, stats/campaigns/<id>/ and stats/organisation/ are served by
    # reports.api_urls (the reports, from the rollups).
    # The queue, auto-sharing, calendars and one-click links.
    path("queue/", queue.QueueApi.as_view(), name="api-queue"),
    path("queue/slots/", queue.QueueSlotsApi.as_view(), name="api-queue-slots"),
    path("queue/reorder/", queue.QueueReorderApi.as_view(), name="api-queue-reorder"),
    path("queue/pause/", queue.QueuePauseApi.as_view(), name="api-queue-pause"),
    path("queue/resume/", queue.QueueResumeApi.as_view(), name="api-queue-resume"),
    path("queue/suggestions/", queue.QueueSuggestionsApi.as_view(), name="api-queue-suggestions"),
    path("queue/<int:pk>/", queue.QueueShareApi.as_view(), name="api-queue-share"),
    path("queue/<int:pk>/now/", queue.QueueShareNowApi.as_view(), name="api-queue-share-now"),
    path("autoshare/", queue.AutoShareListApi.as_view(), name="api-autoshare"),
    path("autoshare/<int:pk>/", queue.AutoShareDetailApi.as_view(), name="api-autoshare-detail"),
    path("oneclick/", queue.OneClickApi.as_view(), name="api-oneclick"),
    path("calendar/", calendar.MyCalendarApi.as_view(), name="api-calendar"),
    path(
        "campaigns/<int:pk>/calendar/",
        calendar.CampaignCalendarApi.as_view(),
        name="api-campaign-calendar",
    ),
]
