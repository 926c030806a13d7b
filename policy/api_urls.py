from django.urls import path

from policy import apis

urlpatterns = [
    path("policy/current/", apis.PolicyCurrentApi.as_view(), name="api-policy-current"),
    path(
        "policy/current/acknowledge/",
        apis.PolicyAcknowledgeApi.as_view(),
        name="api-policy-acknowledge",
    ),
    path("policy/draft/", apis.PolicyDraftApi.as_view(), name="api-policy-draft"),
    path("policy/draft/publish/", apis.PolicyPublishApi.as_view(), name="api-policy-publish"),
    path("policy/versions/", apis.PolicyVersionsApi.as_view(), name="api-policy-versions"),
    path("policy/caption-check/", apis.CaptionCheckApi.as_view(), name="api-caption-check"),
]
