"""Connecting an ambassador's LinkedIn and X accounts through django-allauth's connect flow.

allauth runs the OAuth dance (state, PKCE, code exchange); the tokens it obtains are copied,
encrypted, into the product's own NetworkAccount (advocacy.networks.accounts.account_connect_oauth) and
allauth is told not to keep any (SOCIALACCOUNT_STORE_TOKENS = False). Only the connect flow is
open: employees sign in with their company login, never with a network account.

Callback URLs (the redirect URLs to register with the networks), under SITE_URL:
  LinkedIn  /social/oidc/linkedin/login/callback/
  X         /social/twitter_oauth2/login/callback/
"""

from advocacy.models import Network

# allauth's provider id per network: LinkedIn is an app of the generic OpenID Connect
# provider (provider_id "linkedin"), X is allauth's twitter_oauth2 provider.
PROVIDER_IDS: dict[str, str] = {Network.LINKEDIN: "linkedin", Network.X: "twitter_oauth2"}
NETWORK_FOR_PROVIDER: dict[str, str] = {value: key for key, value in PROVIDER_IDS.items()}

# What each network's connection must be granted for the product to work.
# LinkedIn: "Sign In with LinkedIn using OpenID Connect" + "Share on LinkedIn".
# X: posting, reading our own posts back, and a refresh token (offline.access).
REQUIRED_SCOPES: dict[str, tuple[str, ...]] = {
    Network.LINKEDIN: ("openid", "profile", "email", "w_member_social"),
    Network.X: ("tweet.read", "tweet.write", "users.read", "offline.access"),
}
# Asked for at connect as well, but not required: without them a connection shares text and
# links, not photos. X's v2 media upload takes user tokens with media.write
# (https://docs.x.com/x-api/media/upload-media); an account connected before the product asked
# for it must reconnect to share photos (advocacy/sharing/photos.py says so in the editor).
PHOTO_SCOPES: dict[str, tuple[str, ...]] = {Network.X: ("media.write",)}


def normalize_scopes(value: object) -> str:
    """A granted scope as one space-separated string. OAuth 2.0 separates scopes with spaces;
    LinkedIn answers with commas ("email,openid,profile,w_member_social")."""
    if isinstance(value, list | tuple):
        value = " ".join(str(part) for part in value)
    text = str(value or "").replace(",", " ")
    return " ".join(sorted(set(text.split())))
