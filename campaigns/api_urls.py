from django.urls import path

from campaigns.apis import campaigns, content, feed, suggestions, topics, variants

urlpatterns = [
    path("topics/", topics.TopicListApi.as_view(), name="api-topics"),
    path("topics/<int:pk>/", topics.TopicDetailApi.as_view(), name="api-topic"),
    path("campaigns/", campaigns.CampaignListApi.as_view(), name="api-campaigns"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailApi.as_view(), name="api-campaign"),
    path("content/", content.ContentListApi.as_view(), name="api-content-list"),
    path("content/<int:pk>/", content.ContentDetailApi.as_view(), name="api-content"),
    path("content/<int:pk>/status/", content.ContentStatusApi.as_view(), name="api-content-status"),
    path(
        "content/<int:pk>/variants/",
        variants.ContentVariantsApi.as_view(),
        name="api-content-variants",
    ),
    path(
        "content/<int:pk>/caption/",
        variants.ContentCaptionApi.as_view(),
        name="api-content-caption",
    ),
    path("variants/<int:pk>/", variants.VariantDetailApi.as_view(), name="api-variant"),
    path("suggestions/", suggestions.SuggestionListApi.as_view(), name="api-suggestions"),
    path("suggestions/<int:pk>/", suggestions.SuggestionDetailApi.as_view(), name="api-suggestion"),
    path(
        "suggestions/<int:pk>/approve/",
        suggestions.SuggestionApproveApi.as_view(),
        name="api-suggestion-approve",
    ),
    path(
        "suggestions/<int:pk>/reject/",
        suggestions.SuggestionRejectApi.as_view(),
        name="api-suggestion-reject",
    ),
    path("feed/", feed.FeedApi.as_view(), name="api-feed"),
]
