from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from advocacy.networks.x.connect.provider import XConnectProvider

# twitter_oauth2/login/ and twitter_oauth2/login/callback/
urlpatterns = default_urlpatterns(XConnectProvider)
