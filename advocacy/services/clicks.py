"""Counting clicks on tracked links without storing who clicked.

No IP address and no user agent are stored. A visitor hash (for a unique-visitor estimate)
is made with a random salt that exists for one day only and is deleted afterwards.
"""

import hashlib
import re
import secrets
from datetime import date, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from advocacy.models import Click, Share, VisitorSalt

# Link-preview fetchers and other automated clients: counted apart, never as clicks.
BOT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in [
        ("linkedin", r"LinkedInBot"),
        ("twitter", r"Twitterbot"),
        ("facebook", r"facebookexternalhit|Facebot|meta-externalagent"),
        ("slack", r"Slackbot|Slack-ImgProxy"),
        ("discord", r"Discordbot"),
        ("telegram", r"TelegramBot"),
        ("whatsapp", r"WhatsApp"),
        ("teams", r"SkypeUriPreview|MicrosoftPreview|Teams"),
        ("apple", r"Applebot"),
        ("google", r"Googlebot|Google-InspectionTool|AdsBot-Google|FeedFetcher-Google"),
        ("bing", r"bingbot|BingPreview"),
        ("pinterest", r"Pinterest"),
        ("embed", r"Embedly|Iframely|redditbot|Mastodon|Bluesky|vkShare|Tumblr"),
        ("tool", r"^(curl|Wget|python-requests|python-httpx|Go-http-client|okhttp|Java|axios)"),
        ("crawler", r"bot\b|crawler|spider|HeadlessChrome"),
    ]
]


def bot_family(user_agent: str) -> str | None:
    if not user_agent.strip():
        return "empty"
    for name, pattern in BOT_PATTERNS:
        if pattern.search(user_agent):
            return name
    return None


def _salt_for(day: date) -> str:
    key = f"visitor-salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        try:
            with transaction.atomic():
                salt = VisitorSalt.objects.get_or_create(
                    day=day, defaults={"salt": secrets.token_hex(32)}
                )[0].salt
        except IntegrityError:  # another request created it first
            salt = VisitorSalt.objects.get(day=day).salt
        cache.set(key, salt, 60 * 60 * 25)
    return str(salt)


def visitor_hash(*, ip: str, user_agent: str, day: date) -> str:
    material = f"{_salt_for(day)}|{ip}|{user_agent}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def click_record(*, share: Share, ip: str, user_agent: str) -> Click:
    family = bot_family(user_agent)
    today = timezone.localdate()
    return Click.objects.create(
        share=share,
        is_bot=family is not None,
        agent=family or "browser",
        visitor_hash="" if family else visitor_hash(ip=ip, user_agent=user_agent, day=today),
    )


def visitor_salts_purge() -> int:
    """Yesterday's salts are deleted, so old visitor hashes can never be recomputed."""
    deleted, _ = VisitorSalt.objects.filter(
        day__lt=timezone.localdate() - timedelta(days=1)
    ).delete()
    return deleted
