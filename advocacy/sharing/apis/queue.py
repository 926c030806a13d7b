"""/api/queue/: my weekly slots, the shares waiting for them, reordering, pausing, sending one
now and suggestions for the empty slots; /api/autoshare/: auto-sharing consents;
/api/oneclick/: the one-click links of the new-content email, for scripts. Another person's
share or consent answers 404."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import AutoShareConsent, Network, Share, User
from advocacy.networks.rules import CAPTION_INPUT_MAX
from advocacy.people.access import consent_access, share_access
from advocacy.people.request import request_user
from advocacy.sharing.autoshare import autoshare_active, autoshare_grant, autoshare_revoke
from advocacy.sharing.oneclick import oneclick_use
from advocacy.sharing.queue import (
    queue_add,
    queue_move_to_now,
    queue_pause,
    queue_remove,
    queue_reorder,
    queue_resume,
    queue_shares,
    queue_slots_set,
    queue_suggestions,
)
from campaigns.models import CaptionVariant, ContentItem, Topic
from campaigns.variants import suggested_caption_for
from config.api.pagination import related_ids


class SlotSerializer(serializers.Serializer[Any]):
    weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text="0 = Monday ... 6 = Sunday."
    )
    time = serializers.TimeField(
        format="%H:%M", help_text="Wall time in your own time zone (time_zone in /api/me/)."
    )


class QueuedShareSerializer(serializers.Serializer[Share]):
    id = serializers.IntegerField()
    content_item = related_ids()
    content_title = serializers.CharField(source="content_item.title")
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField()
    status = serializers.ChoiceField(
        choices=Share.Status.choices,
        help_text="scheduled while waiting; publishing, published, failed, cancelled, unknown.",
    )
    requested_at = serializers.DateTimeField(
        allow_null=True, help_text="The slot this share holds in the queue."
    )
    scheduled_at = serializers.DateTimeField(
        help_text="When it goes out: its slot, moved by the policy or a spread launch."
    )
    schedule_notice = serializers.CharField(
        help_text="Why scheduled_at differs from the slot; empty when it does not."
    )
    held_reason = serializers.CharField(help_text="Not empty: on hold, not sent until you edit it.")
    in_queue = serializers.BooleanField()
    variant = related_ids(allow_null=True, help_text="The caption variant it started from.")


class QueueSerializer(serializers.Serializer[Any]):
    time_zone = serializers.CharField(help_text="Slots are wall times in this zone.")
    paused = serializers.BooleanField(help_text="While paused, nothing in the queue goes out.")
    slots = SlotSerializer(many=True)
    shares = QueuedShareSerializer(many=True, help_text="In the order they go out.")


def _queue_data(user: User) -> dict[str, Any]:
    user.refresh_from_db(fields=["queue_paused", "time_zone"])
    return QueueSerializer(
        {
            "time_zone": user.time_zone,
            "paused": user.queue_paused,
            "slots": list(user.queue_slots.order_by("weekday", "time")),
            "shares": list(queue_shares(user).select_related("variant")),
        }
    ).data


def _share_data(share: Share) -> dict[str, Any]:
    return QueuedShareSerializer(share).data


class QueueAddSerializer(serializers.Serializer[Any]):
    content_item = serializers.IntegerField(help_text="The id of a content item from your feed.")
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=CAPTION_INPUT_MAX,
        help_text="Your caption. Left out: the caption offered to you (a variant colleagues "
        "have not used yet, else the item's suggested caption).",
    )
    slot = serializers.DateTimeField(
        required=False,
        help_text="One of your free slot moments, as /api/queue/suggestions/ gives them. Left "
        "out: the next free slot.",
    )


class QueueApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="My queue: weekly slots, paused or not, and the shares in order",
        responses=QueueSerializer,
    )
    def get(self, request: Request) -> Response:
        return Response(_queue_data(request_user(request)))

    @extend_schema(
        tags=["queue"],
        summary="Add a share to my queue",
        description=(
            "Into the next free slot, or into `slot`. Every rule of a share applies (opted in, "
            "policy acknowledged, item available, account connected, caption within the "
            "policy, not too similar to a colleague's); the policy's hours and daily maximum "
            "move it, and scheduled_at and schedule_notice say so. Without weekly slots: 400, "
            "code no_slots; a slot that is not free: 400, code slot_taken."
        ),
        request=QueueAddSerializer,
        responses={201: QueuedShareSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = QueueAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request_user(request)
        # Any existing item: the scheduling rules explain why a draft or expired one cannot
        # be shared, which is more useful than "not found".
        item = ContentItem.objects.filter(pk=data["content_item"]).first()
        if item is None:
            raise ValidationError(_("No such content item."), code="no_such_item")
        variant: CaptionVariant | None = None
        if "text" in data:
            text = data["text"]
        else:
            text, variant = suggested_caption_for(user=user, item=item, network=data["network"])
        share = queue_add(
            user=user,
            item=item,
            network=data["network"],
            text=text,
            variant=variant,
            slot=data.get("slot"),
        )
        return Response(_share_data(share), status=status.HTTP_201_CREATED)


class QueueSlotsApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Replace my weekly slots",
        description=(
            'The whole list, e.g. [{"weekday": 1, "time": "08:30"}]. The queued shares '
            "keep their order and move to the next free slots. A slot listed twice: 400, code "
            "duplicate_slot; an empty list while shares wait: 400, code slots_needed."
        ),
        request=SlotSerializer(many=True),
        responses=QueueSerializer,
    )
    def put(self, request: Request) -> Response:
        serializer = SlotSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        user = request_user(request)
        slots = [(slot["weekday"], slot["time"]) for slot in serializer.validated_data]
        queue_slots_set(user=user, slots=slots)
        return Response(_queue_data(user))


class QueueReorderSerializer(serializers.Serializer[Any]):
    share_ids = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=True,
        help_text="Every queued share, in the new order.",
    )
    expected = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="The order you last saw. If the queue changed since (another tab), 400 with "
        "code stale_order and nothing moves.",
    )


class QueueReorderApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Put my queue in a new order",
        description=(
            "The slots stay; the shares swap places. share_ids must name exactly the shares in "
            "the queue (else 400, code stale_order)."
        ),
        request=QueueReorderSerializer,
        responses=QueueSerializer,
    )
    def post(self, request: Request) -> Response:
        serializer = QueueReorderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request_user(request)
        queue_reorder(user=user, share_ids=data["share_ids"], expected=data.get("expected"))
        return Response(_queue_data(user))


class QueuePauseApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Pause my queue (holiday)",
        description="Nothing in the queue goes out until it is resumed.",
        request=None,
        responses=QueueSerializer,
    )
    def post(self, request: Request) -> Response:
        user = queue_pause(user=request_user(request))
        return Response(_queue_data(user))


class QueueResumeApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Resume my queue",
        description=(
            "The queued shares, in order, move to the next free slots from now, so the slots "
            "missed during the pause do not all fire at once."
        ),
        request=None,
        responses=QueueSerializer,
    )
    def post(self, request: Request) -> Response:
        user = request_user(request)
        queue_resume(user=user)
        return Response(_queue_data(user))


class QueueShareNowApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Send a queued share now",
        description=(
            "Under the rules for sharing now; it leaves the queue. Not in the queue: 400, "
            "code not_in_queue."
        ),
        request=None,
        responses=QueuedShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        share = share_access(user=request_user(request), share_id=pk)
        return Response(_share_data(queue_move_to_now(share=share)))


class QueueShareApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Remove a share from my queue",
        description="It is cancelled (nothing is posted) and its slot is free again.",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        share = share_access(user=request_user(request), share_id=pk)
        queue_remove(share=share)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SuggestedItemSerializer(serializers.Serializer[ContentItem]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class QueueSuggestionSerializer(serializers.Serializer[Any]):
    slot = serializers.DateTimeField(help_text="An empty slot moment: pass it as `slot`.")
    content_item = SuggestedItemSerializer()
    score = serializers.FloatField(help_text="How well the item fits you (higher is better).")


class QueueSuggestionsApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Suggestions for my empty slots of the next two weeks",
        description=(
            "Nothing is scheduled: add one with POST /api/queue/ and its `slot`. Items you "
            "already shared or queued are left out."
        ),
        responses=QueueSuggestionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        suggestions = queue_suggestions(user=request_user(request))
        rows = [
            {"slot": moment, "content_item": entry.item, "score": entry.score}
            for moment, entry in suggestions
        ]
        return Response(QueueSuggestionSerializer(rows, many=True).data)


# --- Auto-sharing ------------------------------------------------------------------------------


class ConsentSerializer(serializers.Serializer[AutoShareConsent]):
    id = serializers.IntegerField()
    topic = related_ids()
    topic_name = serializers.CharField(source="topic.name")
    network = serializers.ChoiceField(choices=Network.choices)
    granted_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="A year after it was granted.")
    revoked_at = serializers.DateTimeField(allow_null=True)


class ConsentGrantSerializer(serializers.Serializer[Any]):
    topic = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all())
    network = serializers.ChoiceField(choices=Network.choices)


class AutoShareListApi(APIView):
    @extend_schema(
        tags=["autoshare"],
        summary="My auto-sharing consents in force",
        responses=ConsentSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        consents = autoshare_active(user=request_user(request))
        # drf-stubs type a many=True serializer's instance as one object, not a list.
        return Response(ConsentSerializer(consents, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        tags=["autoshare"],
        summary="Turn on auto-sharing for a topic and network",
        description=(
            "New items of the topic go into my queue without asking me. Recorded as consent "
            "with its date; expires after a year. Granting again while one is in force returns "
            "that one. Not opted in or network not connected: 400 with the reason."
        ),
        request=ConsentGrantSerializer,
        responses={201: ConsentSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ConsentGrantSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        consent = autoshare_grant(
            user=request_user(request),
            topic=serializer.validated_data["topic"],
            network=serializer.validated_data["network"],
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class AutoShareDetailApi(APIView):
    @extend_schema(
        tags=["autoshare"],
        summary="Turn auto-sharing off",
        description="What it already queued stays in the queue.",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        consent = consent_access(user=request_user(request), consent_id=pk)
        autoshare_revoke(consent=consent)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- One-click links ---------------------------------------------------------------------------


class OneClickSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="The part of a /q/<token> link after /q/.")


class OneClickApi(APIView):
    @extend_schema(
        tags=["queue"],
        summary="Use a one-click link from the new-content email",
        description=(
            "Adds the linked item to my queue with the caption offered to me. Each link works "
            "once (400, code link_used), until it expires (link_expired); a changed link or "
            "someone else's: 400, code link_invalid."
        ),
        request=OneClickSerializer,
        responses={201: QueuedShareSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = OneClickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        share = oneclick_use(token=serializer.validated_data["token"], user=request_user(request))
        return Response(_share_data(share), status=status.HTTP_201_CREATED)
