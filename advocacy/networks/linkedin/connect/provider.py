from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from advocacy.networks.connect import ConnectOnlyMixin
from advocacy.networks.linkedin.connect.views import LinkedInConnectAdapter


class LinkedInConnectProvider(ConnectOnlyMixin, OpenIDConnectProvider):
    """allauth's openid_connect provider, connect only. The LinkedIn app (provider_id
    "linkedin", server_url, scope) is configured in SOCIALACCOUNT_PROVIDERS["openid_connect"];
    this class is installed there as "provider_class"."""

    oauth2_adapter_class = LinkedInConnectAdapter
