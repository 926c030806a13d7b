from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from advocacy.clicks.redirect import tracked_redirect

urlpatterns = [
    path("r/<str:code>", tracked_redirect, name="tracked-redirect"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Connecting LinkedIn and X (allauth's connect flow only; see advocacy/networks/).
    path("social/", include("advocacy.networks.connect_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("policy.urls")),
    path("", include("campaigns.urls")),
    path("", include("reports.urls")),
    path("", include("advocacy.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
