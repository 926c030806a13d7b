from django.urls import path

from policy import views

urlpatterns = [
    path("policy/", views.policy_page, name="policy"),
    path("policy/acknowledge/", views.policy_acknowledge, name="policy-acknowledge"),
    path("manage/policy/", views.policy_manage, name="policy-manage"),
    path("manage/policy/publish/", views.policy_publish, name="policy-publish"),
]
