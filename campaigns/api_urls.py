from django.urls import path

from . import apis

urlpatterns = [
    path("topics/", apis.TopicListApi.as_view(), name="api-topics"),
    path("topics/<int:pk>/", apis.TopicDetailApi.as_view(), name="api-topic"),
    path("campaigns/", apis.CampaignListApi.as_view(), name="api-campaigns"),
    path("campaigns/<int:pk>/", apis.CampaignDetailApi.as_view(), name="api-campaign"),
    path("content/", apis.ContentListApi.as_view(), name="api-content-list"),
    path("content/<int:pk>/", apis.ContentDetailApi.as_view(), name="api-content"),
    path("content/<int:pk>/status/", apis.ContentStatusApi.as_view(), name="api-content-status"),
    path("suggestions/", apis.SuggestionListApi.as_view(), name="api-suggestions"),
    path("suggestions/<int:pk>/", apis.SuggestionDetailApi.as_view(), name="api-suggestion"),
    path(
        "suggestions/<int:pk>/approve/",
        apis.SuggestionApproveApi.as_view(),
        name="api-suggestion-approve",
    ),
    path(
        "suggestions/<int:pk>/reject/",
        apis.SuggestionRejectApi.as_view(),
        name="api-suggestion-reject",
    ),
    path("feed/", apis.FeedApi.as_view(), name="api-feed"),
]
