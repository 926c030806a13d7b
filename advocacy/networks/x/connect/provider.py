from typing import Any

from allauth.socialaccount.providers.twitter_oauth2.provider import TwitterOAuth2Provider

from advocacy.models import Network
from advocacy.networks.connect import ConnectOnlyMixin
from advocacy.networks.oauth import PHOTO_SCOPES, REQUIRED_SCOPES
from advocacy.networks.x.connect.views import XConnectAdapter


class XConnectProvider(ConnectOnlyMixin, TwitterOAuth2Provider):
    """allauth's twitter_oauth2 provider (id and URL names unchanged), connect only, with
    the endpoints from settings (views.XConnectAdapter). Installed through
    SOCIALACCOUNT_PROVIDERS["twitter_oauth2"]["provider_class"]."""

    oauth2_adapter_class = XConnectAdapter

    def get_default_scope(self) -> list[str]:
        # media.write: the ambassador's own photo goes up through X's v2 media upload.
        return [*REQUIRED_SCOPES[Network.X], *PHOTO_SCOPES[Network.X]]

    def get_fields(self) -> Any:
        # public_metrics carries followers_count: the potential reach of a share.
        return ["id", "name", "username", "public_metrics"]
