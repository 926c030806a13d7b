"""API routes of the queue, auto-sharing, calendars and one-click links (included from
config/api_urls.py under /api/)."""

from django.urls import path

from .apis import calendar, queue

urlpatterns = [
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
