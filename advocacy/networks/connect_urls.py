"""Mounted at /social/ (config/urls.py). Only the two providers' login and callback views:
none of allauth's account pages (login, signup, password reset, the connections list) are
reachable, so allauth is no second door into the product."""

from django.urls import include, path

urlpatterns = [
    path("", include("advocacy.networks.x.connect.urls")),
    path("", include("advocacy.networks.linkedin.connect.urls")),
]
