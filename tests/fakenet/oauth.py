"""The fake networks' OAuth 2.0 servers: X's authorization code with PKCE and rotating refresh
tokens, LinkedIn's OpenID Connect. Sources and dates: docs/networks.md."""

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from tests.fakenet.plumbing import Plumbing
from tests.fakenet.state import Token

X_DEFAULT_SCOPE = "tweet.read tweet.write users.read offline.access"


def unsigned_jwt(claims: dict[str, Any]) -> str:
    """An id_token shaped like LinkedIn's. Its signature is made up: a client that received
    it straight from the token endpoint over TLS may skip checking it (OpenID Connect Core
    3.1.3.7), which allauth does."""

    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    header = part({"alg": "RS256", "kid": "fakenet", "typ": "JWT"})
    signature = base64.urlsafe_b64encode(b"fakenet-signature").rstrip(b"=").decode()
    return f"{header}.{part(claims)}.{signature}"


class OAuthServers(Plumbing):
    def _clients(self, network: str) -> dict[str, str | None]:
        clients: dict[str, str | None] = (self.state.knobs["clients"] or {}).get(network) or {}
        return clients

    def _basic_auth(self) -> tuple[str, str] | None:
        value = self.headers.get("Authorization", "")
        if not value.startswith("Basic "):
            return None
        try:
            client_id, _, secret = base64.b64decode(value[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return client_id, secret

    def oauth_authorize(self, network: str, query: dict[str, list[str]]) -> None:
        """The member approves at once: back to redirect_uri with a code and the state."""
        form = {k: v[0] for k, v in query.items()}
        redirect_uri = form.get("redirect_uri", "")
        if form.get("response_type") != "code" or not redirect_uri or not form.get("client_id"):
            return self._send(400, {"error": "invalid_request"})
        with self.state.lock:
            code = f"{network}-code-{next(self.state.ids)}"
            granted = self.state.knobs["oauth_scope"]
            self.state.oauth_codes[code] = {
                "network": network,
                "member": str(self.state.knobs["oauth_member"]),
                "client_id": form["client_id"],
                "redirect_uri": redirect_uri,
                "challenge": form.get("code_challenge"),
                "challenge_method": form.get("code_challenge_method", "plain"),
                "scope": granted if granted is not None else form.get("scope", ""),
            }
        separator = "&" if "?" in redirect_uri else "?"
        params = {"code": code, "state": form.get("state", "")}
        self._redirect(f"{redirect_uri}{separator}{urlencode(params)}")

    def _code_matches(self, approved: dict[str, Any], form: dict[str, str], client_id: str) -> bool:
        """Same app and redirect_uri as authorized, and the PKCE verifier fits the challenge."""
        if (
            client_id != approved["client_id"]
            or form.get("redirect_uri") != approved["redirect_uri"]
        ):
            return False
        challenge = approved["challenge"]
        if not challenge:
            return True
        verifier = form.get("code_verifier", "")
        if approved["challenge_method"] == "S256":
            digest = hashlib.sha256(verifier.encode()).digest()
            verifier = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return hmac.compare_digest(verifier, challenge)

    # --- X: POST /2/oauth2/token -------------------------------------------------------------
    def _x_client(self, form: dict[str, str]) -> str | None:
        """The app a token request authenticates as: a confidential client with HTTP Basic
        (client_id:client_secret), a public client with its client_id in the body
        (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code)."""
        clients = self._clients("x")
        basic = self._basic_auth()
        if basic is not None:
            client_id, secret = basic
            known = clients.get(client_id)
            if known is not None and hmac.compare_digest(known, secret):
                return client_id
            return None
        client_id = form.get("client_id", "")
        if client_id in clients and clients[client_id] is None:
            return client_id
        return None

    def x_token(self, query: dict[str, list[str]]) -> None:
        form = self._form()
        client_id = self._x_client(form)
        if client_id is None:
            return self._send(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Missing valid authorization header",
                },
            )
        grant = form.get("grant_type")
        invalid = {
            "error": "invalid_request",
            "error_description": "Value passed for the token was invalid.",
        }
        with self.state.lock:
            if grant == "refresh_token":
                old = form.get("refresh_token", "")
                known = self.state.tokens.get(("x", old))
                if (
                    known is None
                    or not known.refresh
                    or known.network != "x"
                    or (known.client_id and known.client_id != client_id)
                    or old in self.state.spent_refresh_tokens
                ):
                    return self._send(400, invalid)
                self.state.spent_refresh_tokens.add(old)
                member, scope = known.member, " ".join(sorted(known.scope))
            elif grant == "authorization_code":
                approved = self.state.oauth_codes.pop(form.get("code", ""), None)
                if (
                    approved is None
                    or approved["network"] != "x"
                    or not self._code_matches(approved, form, client_id)
                ):
                    return self._send(400, invalid)
                member, scope = approved["member"], str(approved["scope"] or X_DEFAULT_SCOPE)
            else:
                return self._send(
                    400, {"error": "unsupported_grant_type", "error_description": str(grant)}
                )
            serial = next(self.state.ids)
            access, refresh = f"x-access-{serial}", f"x-refresh-{serial}"
            scopes = frozenset(scope.split())
            self.state.tokens[("x", access)] = Token("x", member, scopes, client_id)
            if "offline.access" in scopes:
                self.state.tokens[("x", refresh)] = Token(
                    "x", member, scopes, client_id, refresh=True
                )
        answer = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": access,
            "scope": scope,
        }
        if "offline.access" in scopes:
            answer["refresh_token"] = refresh
        self._send(200, answer)

    # --- LinkedIn: OpenID Connect -------------------------------------------------------------
    def _linkedin_issuer(self) -> str:
        return f"{self.server.url}/oauth"

    def linkedin_discovery(self, query: dict[str, list[str]]) -> None:
        base = self.server.url
        self._send(
            200,
            {
                "issuer": self._linkedin_issuer(),
                "authorization_endpoint": f"{base}/oauth/v2/authorization",
                "token_endpoint": f"{base}/oauth/v2/accessToken",
                "userinfo_endpoint": f"{base}/v2/userinfo",
                "jwks_uri": f"{base}/oauth/openid/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email"],
                "claims_supported": [
                    "iss",
                    "aud",
                    "iat",
                    "exp",
                    "sub",
                    "name",
                    "given_name",
                    "family_name",
                    "picture",
                    "email",
                    "email_verified",
                    "locale",
                ],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            },
        )

    def _linkedin_claims(self, member: str) -> dict[str, Any]:
        return {
            "sub": member,
            "name": f"Member {member}",
            "given_name": "Member",
            "family_name": member,
            "email": f"{member}@example.com",
            "email_verified": True,
            "locale": "en-US",
        }

    def linkedin_token(self, query: dict[str, list[str]]) -> None:
        form = self._form()
        # LinkedIn authenticates the app with client_id and client_secret in the body only
        # (client_secret_post); a wrong or missing pair is invalid_client.
        secret = self._clients("linkedin").get(form.get("client_id", ""))
        if not secret or not hmac.compare_digest(secret, form.get("client_secret", "")):
            return self._send(
                401,
                {"error": "invalid_client", "error_description": "Client authentication failed"},
            )
        refused = {
            "error": "invalid_request",
            "error_description": "Unable to retrieve access token: appid/redirect uri/code "
            "verifier does not match authorization code. Or authorization code expired.",
        }
        with self.state.lock:
            approved = self.state.oauth_codes.pop(form.get("code", ""), None)
            if (
                form.get("grant_type") != "authorization_code"
                or approved is None
                or approved["network"] != "linkedin"
                or not self._code_matches(approved, form, form["client_id"])
            ):
                return self._send(400, refused)
            access = f"li-access-{next(self.state.ids)}"
            scopes = frozenset(str(approved["scope"]).replace(",", " ").split())
            self.state.tokens[("linkedin", access)] = Token(
                "linkedin", approved["member"], scopes, form["client_id"]
            )
        now = int(time.time())
        claims = self._linkedin_claims(approved["member"])
        claims.update(iss=self._linkedin_issuer(), aud=approved["client_id"], iat=now)
        claims["exp"] = now + 3600
        self._send(
            200,
            {
                "access_token": access,
                "expires_in": 5_184_000,
                # LinkedIn lists the granted scopes with commas.
                "scope": ",".join(sorted(scopes)),
                "token_type": "Bearer",
                "id_token": unsigned_jwt(claims),
            },
        )

    def linkedin_userinfo(self, query: dict[str, list[str]]) -> None:
        # Unversioned (/v2/): no LinkedIn-Version needed, which is why a retired version only
        # shows when posting.
        token = self.state.token(self._bearer(), "linkedin")
        if token is None:
            return self._send(
                401,
                {
                    "status": 401,
                    "serviceErrorCode": 65600,
                    "code": "INVALID_ACCESS_TOKEN",
                    "message": "Invalid access token",
                },
            )
        self._send(200, self._linkedin_claims(token.member))
