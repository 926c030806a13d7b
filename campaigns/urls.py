"""Pages for marketing's content management (/manage/...) and the suggestion page every
employee can use (/suggest/), one module per topic in campaigns/views/."""

from django.urls import path

from advocacy.publishing import views as budget_views
from campaigns.views import campaigns, content, manage, suggestions

urlpatterns = [
    path("manage/", manage.manage_home, name="manage-home"),
    path("manage/topics/", manage.topic_list, name="topic-list"),
    path("manage/budget/", budget_views.budget_manage, name="budget-manage"),
    path(
        "manage/budget/<str:network>/credits-topped-up/",
        budget_views.budget_credits_topped_up,
        name="budget-credits-topped-up",
    ),
    path("manage/campaigns/", campaigns.campaign_list, name="campaign-list"),
    path("manage/campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("manage/campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign-detail"),
    path("manage/campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign-edit"),
    path(
        "manage/campaigns/<int:pk>/calendar/", campaigns.campaign_calendar, name="campaign-calendar"
    ),
    path("manage/content/", content.content_list, name="content-list"),
    path("manage/content/new/", content.content_create, name="content-create"),
    path("manage/content/<int:pk>/edit/", content.content_edit, name="content-edit"),
    path("manage/content/<int:pk>/status/", content.content_status, name="content-status"),
    path("manage/content/<int:pk>/variants/", content.variant_create_view, name="variant-create"),
    path("manage/variants/<int:pk>/edit/", content.variant_update_view, name="variant-update"),
    path("manage/variants/<int:pk>/delete/", content.variant_delete_view, name="variant-delete"),
    path("manage/suggestions/", suggestions.suggestion_review_list, name="suggestion-review-list"),
    path(
        "manage/suggestions/<int:pk>/approve/",
        suggestions.suggestion_approve,
        name="suggestion-approve",
    ),
    path(
        "manage/suggestions/<int:pk>/reject/",
        suggestions.suggestion_reject,
        name="suggestion-reject",
    ),
    path("suggest/", suggestions.suggestion_create, name="suggestion-create"),
]
