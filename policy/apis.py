"""REST API of the fair-use policy: the current version and its acknowledgement, the draft
marketing edits and publishes, the published versions, and the live caption check."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import Network, User
from advocacy.networks.rules import CAPTION_INPUT_MAX, NETWORK_RULES
from advocacy.people.permissions import IsMarketing
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing
from campaigns.models import ContentItem
from campaigns.selectors import content_items_available, content_items_list
from config.api.pagination import paginated_response
from policy.captions import caption_findings
from policy.markdown import render_markdown
from policy.models import Acknowledgement, PolicyVersion
from policy.selectors import policy_acknowledged_at, policy_current, policy_draft, policy_versions
from policy.services import (
    policy_acknowledge,
    policy_draft_from_current,
    policy_draft_save,
    policy_publish,
)


def _no_policy() -> NotFound:
    return NotFound(
        _("There is no fair-use policy yet, so sharing has not started. Ask marketing.")
    )


class PolicyRulesSerializer(serializers.Serializer[PolicyVersion]):
    """The hard rules a share must pass. Empty lists and nulls mean "no limit"."""

    blocked_terms = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=True), default=list
    )
    required_disclosure = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default=""
    )
    allowed_domains = serializers.ListField(
        child=serializers.CharField(allow_blank=True), default=list
    )
    max_shares_per_day = serializers.IntegerField(
        min_value=1, max_value=32767, allow_null=True, required=False, default=None
    )
    sharing_hours_start = serializers.TimeField(allow_null=True, required=False, default=None)
    sharing_hours_end = serializers.TimeField(allow_null=True, required=False, default=None)


class PolicyVersionSerializer(serializers.Serializer[PolicyVersion]):
    number = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="The page in Markdown.")
    body_html = serializers.SerializerMethodField(help_text="The page rendered to safe HTML.")
    rules = PolicyRulesSerializer(source="*")
    published_at = serializers.DateTimeField()

    def get_body_html(self, version: PolicyVersion) -> str:
        return str(render_markdown(version.body))


class PolicyCurrentSerializer(PolicyVersionSerializer):
    acknowledged = serializers.SerializerMethodField(
        help_text="Whether you acknowledged this version."
    )
    acknowledged_at = serializers.SerializerMethodField()

    def get_acknowledged(self, version: PolicyVersion) -> bool:
        return self.context["acknowledgement"] is not None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_acknowledged_at(self, version: PolicyVersion) -> Any:
        ack = self.context["acknowledgement"]
        return serializers.DateTimeField().to_representation(ack.created_at) if ack else None


class PolicyAcknowledgeSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(
        required=False,
        help_text="The version number you read; refused when the policy changed since.",
    )


class AcknowledgementSerializer(serializers.Serializer[Acknowledgement]):
    version = serializers.IntegerField(source="version.number")
    acknowledged_at = serializers.DateTimeField(source="created_at")


class PolicyDraftSerializer(serializers.Serializer[PolicyVersion]):
    id = serializers.IntegerField(allow_null=True, help_text="Null until the draft is saved.")
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True)
    body_html = serializers.SerializerMethodField()
    rules = PolicyRulesSerializer(source="*")
    created_at = serializers.DateTimeField(allow_null=True)

    def get_body_html(self, version: PolicyVersion) -> str:
        return str(render_markdown(version.body))


class PolicyDraftSaveSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    rules = PolicyRulesSerializer()


class CaptionCheckSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, max_length=CAPTION_INPUT_MAX
    )
    network = serializers.ChoiceField(choices=Network.choices)
    content_item = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The item being shared: its suggested caption is compared with yours.",
    )


class FindingSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    blocking = serializers.BooleanField(help_text="True for a hard rule: the share is refused.")
    message = serializers.CharField()
    policy_url = serializers.CharField(help_text="The policy section that explains the rule.")


class CaptionCheckResultSerializer(serializers.Serializer[Any]):
    length = serializers.IntegerField(help_text="As the network counts it, with the link.")
    max_length = serializers.IntegerField()
    findings = FindingSerializer(many=True)


class PolicyCurrentApi(APIView):
    @extend_schema(
        tags=["policy"],
        summary="The current fair-use policy, and whether you acknowledged it",
        responses={200: PolicyCurrentSerializer},
    )
    def get(self, request: Request) -> Response:
        policy = policy_current()
        if policy is None:
            raise _no_policy()
        ack = policy_acknowledged_at(user=request_user(request), version=policy)
        serializer = PolicyCurrentSerializer(policy, context={"acknowledgement": ack})
        return Response(serializer.data)


class PolicyAcknowledgeApi(APIView):
    @extend_schema(
        tags=["policy"],
        summary="Acknowledge the current fair-use policy",
        request=PolicyAcknowledgeSerializer,
        responses={200: AcknowledgementSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = PolicyAcknowledgeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        policy = policy_current()
        if policy is None:
            raise _no_policy()
        read = serializer.validated_data.get("version")
        if read is not None and read != policy.number:
            raise ValidationError(
                _("The policy changed: read version %(number)s and acknowledge that one.")
                % {"number": policy.number},
                code="policy_changed",
            )
        ack = policy_acknowledge(user=request_user(request), version=policy)
        return Response(AcknowledgementSerializer(ack).data)


class PolicyDraftApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["policy"],
        summary="The draft of the next version (a copy of the current one if none is saved)",
        responses={200: PolicyDraftSerializer},
    )
    def get(self, request: Request) -> Response:
        draft = policy_draft_from_current(user=request_user(request))
        return Response(PolicyDraftSerializer(draft).data)

    @extend_schema(
        tags=["policy"],
        summary="Save the draft",
        request=PolicyDraftSaveSerializer,
        responses={200: PolicyDraftSerializer},
    )
    def put(self, request: Request) -> Response:
        serializer = PolicyDraftSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        draft = policy_draft_save(
            user=request_user(request),
            title=data["title"],
            body=data["body"],
            **data["rules"],
        )
        return Response(PolicyDraftSerializer(draft).data)


class PolicyPublishApi(APIView):
    permission_classes = [IsMarketing]

    @extend_schema(
        tags=["policy"],
        summary="Publish the draft as the next version",
        description="Ambassadors must acknowledge the new version before their next share.",
        request=None,
        responses={200: PolicyVersionSerializer},
    )
    def post(self, request: Request) -> Response:
        draft = policy_draft()
        if draft is None:
            raise ValidationError(
                _("There is no draft to publish: save the draft first."), code="no_draft"
            )
        version = policy_publish(version=draft, user=request_user(request))
        return Response(PolicyVersionSerializer(version).data)


class PolicyVersionsApi(APIView):
    permission_classes = [IsMarketing]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["policy"],
        summary="Every published version, newest first",
        responses={200: PolicyVersionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            view=self,
            queryset=policy_versions(),
            serializer_class=PolicyVersionSerializer,
        )


def _content_item_for_check(user: User, item_id: int) -> ContentItem:
    items = content_items_list() if is_marketing(user) else content_items_available(user=user)
    item = items.filter(pk=item_id).first()
    if item is None:
        raise ValidationError(_("No such content item."), code="no_such_item")
    return item


class CaptionCheckApi(APIView):
    @extend_schema(
        tags=["policy"],
        summary="Check a caption against the policy while it is typed",
        description=(
            "Returns the length the network counts (the tracked link included) and every "
            "finding: blocking ones are hard rules, the others are guidance."
        ),
        request=CaptionCheckSerializer,
        responses={200: CaptionCheckResultSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = CaptionCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        network = data["network"]
        suggested = ""
        if data.get("content_item") is not None:
            item = _content_item_for_check(request_user(request), data["content_item"])
            suggested = item.suggested_caption(network)
        # Before the first policy is published only the network's own limits apply: an empty,
        # unsaved version has no rules.
        policy = policy_current() or PolicyVersion()
        rules = NETWORK_RULES[network]
        findings = caption_findings(
            text=data["text"], network=network, policy=policy, suggested=suggested
        )
        result = {
            "length": rules.caption_length(data["text"]),
            "max_length": rules.max_length,
            "findings": [finding.as_dict() for finding in findings],
        }
        return Response(CaptionCheckResultSerializer(result).data)
