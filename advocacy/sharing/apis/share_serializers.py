"""The share resource's serializers: a share as the API shows it, and what creating and
editing one accept (times in the caller's own time zone, an optional photo)."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from advocacy.models import Network, Share
from advocacy.networks.rules import CAPTION_INPUT_MAX, tracked_url
from config.api.pagination import related_ids


class ShareSerializer(serializers.Serializer[Share]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Share.Status.choices)
    network = serializers.ChoiceField(choices=Network.choices)
    content_item = related_ids()
    content_title = serializers.CharField(source="content_item.title")
    text = serializers.CharField(help_text="Your caption; the tracked link is added when posted.")
    tracked_url = serializers.SerializerMethodField(
        help_text="This share's own link: it counts clicks and redirects to the content."
    )
    external_url = serializers.CharField(help_text="The post on the network, once published.")
    error = serializers.CharField(help_text="Why it failed or was cancelled, in plain words.")
    problem = serializers.ChoiceField(
        choices=Share.Problem.choices,
        allow_blank=True,
        help_text="Why it failed, is held or waits (empty: no problem).",
    )
    cost = serializers.DecimalField(
        max_digits=8,
        decimal_places=4,
        allow_null=True,
        help_text="What the network bills for this post (X), charged to the monthly budget.",
    )
    scheduled_at = serializers.DateTimeField(
        help_text="When it goes out: the time asked for, moved by the policy or a spread launch."
    )
    requested_at = serializers.DateTimeField(
        allow_null=True, help_text="The time you asked for; null = now."
    )
    schedule_notice = serializers.CharField(
        help_text="Why scheduled_at differs from requested_at (sharing hours, daily maximum, "
        "spread launch); empty when it does not."
    )
    held_reason = serializers.CharField(
        help_text="Not empty: the share is on hold and is not sent until you edit it."
    )
    in_queue = serializers.BooleanField(help_text="Waiting in your personal queue.")
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    policy_version = serializers.IntegerField(
        source="policy_version.number", help_text="The policy version it was shared under."
    )
    potential_reach = serializers.IntegerField(
        allow_null=True, help_text="Estimated: followers of the account at share time."
    )
    clicks = serializers.IntegerField(
        source="human_clicks", help_text="Measured: clicks by people (link-preview bots excluded)."
    )
    impressions = serializers.IntegerField(
        allow_null=True, help_text="As reported by the network; null = not available."
    )
    reactions = serializers.IntegerField(
        allow_null=True, help_text="As reported by the network; null = not available."
    )
    photo_url = serializers.SerializerMethodField(
        help_text="Your own photo on this share (served to you and to marketing only); null "
        "without one."
    )

    def get_tracked_url(self, share: Share) -> str:
        return tracked_url(share.code)

    def get_photo_url(self, share: Share) -> str | None:
        if not share.photo:
            return None
        return f"{settings.SITE_URL}{reverse('api-share-photo', args=[share.pk])}"


def photo_upload_field() -> serializers.FileField:
    return serializers.FileField(
        required=False,
        help_text=(
            "Your own photo, sent as multipart/form-data: JPEG or PNG up to 5 MB. It is "
            "re-encoded without EXIF (location, camera) and posted as a picture post instead "
            "of the link's card. Refused with code photo_needs_reconnect for an X connection "
            "made before photos could be shared (reconnect X), photo_too_large, "
            "photo_not_image, photo_format or photo_too_many_pixels."
        ),
    )


class WallTimeField(serializers.DateTimeField):
    """An ISO 8601 time kept as given: without an offset it is a wall time, read in the
    caller's own time zone by local_to_utc (which explains a skipped or repeated hour) rather
    than in the server's."""

    def enforce_timezone(self, value: datetime) -> datetime:
        return value


def scheduled_for_field() -> WallTimeField:
    return WallTimeField(
        required=False,
        help_text=(
            "When to share, ISO 8601. With an offset (2026-06-12T09:00:00+02:00 or ...Z) it is "
            "that exact moment; without one it is a wall time in your own time zone "
            "(time_zone in /api/me/). Outside the policy's sharing hours, or on a full day, "
            "the share moves to the next allowed moment (see scheduled_at, schedule_notice)."
        ),
    )


def fold_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=1,
        help_text=(
            "Only for a wall time that happens twice (the night the clocks go back): 0 = the "
            "first, 1 = the second. Without it such a time is refused with code "
            "ambiguous_time."
        ),
    )


class ShareCreateSerializer(serializers.Serializer[Any]):
    content_item = serializers.IntegerField(help_text="The id of a content item from your feed.")
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=CAPTION_INPUT_MAX,
        help_text="Your caption, in your own words.",
    )
    scheduled_for = scheduled_for_field()
    fold = fold_field()
    photo = photo_upload_field()


class ShareUpdateSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=CAPTION_INPUT_MAX,
        help_text="The new caption.",
    )
    scheduled_for = scheduled_for_field()
    fold = fold_field()
    photo = photo_upload_field()
    remove_photo = serializers.BooleanField(
        required=False, help_text="true: take the photo off this scheduled share."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not {"text", "scheduled_for", "photo"} & set(attrs) and not attrs.get("remove_photo"):
            raise serializers.ValidationError(
                _("Give a new text, a new time, a new photo or remove the photo.")
            )
        if attrs.get("photo") and attrs.get("remove_photo"):
            raise serializers.ValidationError(_("Send a new photo or remove it, not both."))
        return attrs
