from allauth.socialaccount import app_settings
from django.urls import include, path, re_path

from advocacy.networks.linkedin.connect import views

# Same paths and names as allauth's openid_connect URLs: oidc/<provider_id>/login/callback/
urlpatterns = [
    path(
        f"{app_settings.OPENID_CONNECT_URL_PREFIX}/",
        include(
            [
                re_path(
                    r"^(?P<provider_id>[^/]+)/",
                    include(
                        [
                            path("login/", views.login, name="openid_connect_login"),
                            path(
                                "login/callback/",
                                views.callback,
                                name="openid_connect_callback",
                            ),
                        ]
                    ),
                )
            ]
        ),
    )
]
