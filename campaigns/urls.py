from django.urls import path

from campaigns import views

urlpatterns = [
    path("manage/", views.manage_home, name="manage-home"),
    path("manage/topics/", views.topic_list, name="topic-list"),
    path("manage/budget/", views.budget_manage, name="budget-manage"),
    path(
        "manage/budget/<str:network>/credits-topped-up/",
        views.budget_credits_topped_up,
        name="budget-credits-topped-up",
    ),
    path("manage/campaigns/", views.campaign_list, name="campaign-list"),
    path("manage/campaigns/new/", views.campaign_create, name="campaign-create"),
    path("manage/campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("manage/campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("manage/campaigns/<int:pk>/calendar/", views.campaign_calendar, name="campaign-calendar"),
    path("manage/content/", views.content_list, name="content-list"),
    path("manage/content/new/", views.content_create, name="content-create"),
    path("manage/content/<int:pk>/edit/", views.content_edit, name="content-edit"),
    path("manage/content/<int:pk>/status/", views.content_status, name="content-status"),
    path("manage/content/<int:pk>/variants/", views.variant_create_view, name="variant-create"),
    path("manage/variants/<int:pk>/edit/", views.variant_update_view, name="variant-update"),
    path("manage/variants/<int:pk>/delete/", views.variant_delete_view, name="variant-delete"),
    path("manage/suggestions/", views.suggestion_review_list, name="suggestion-review-list"),
    path(
        "manage/suggestions/<int:pk>/approve/",
        views.suggestion_approve,
        name="suggestion-approve",
    ),
    path("manage/suggestions/<int:pk>/reject/", views.suggestion_reject, name="suggestion-reject"),
    path("suggest/", views.suggestion_create, name="suggestion-create"),
]
