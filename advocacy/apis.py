"""REST API of the ambassador journey: me (opt in / out, interests), network accounts,
shares, and the figures behind "my impact", the team page and the campaign report.

Another person's account or share answers 404, as if it did not exist. Network tokens are
never part of any response.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from campaigns.models import Campaign, ContentItem, Topic

from .models import NetworkAccount, Share, Team, User
from .networks import Network, tracked_url
from .roles import is_leadership, is_marketing
from .selectors import (
    Figures,
    account_access,
    accounts_for_user,
    campaign_access,
    period_bounds,
    share_access,
    shares_for_user,
    stats_for_campaign,
    stats_for_team,
    stats_for_user,
    team_access,
)
from .services import (
    account_connect_sandbox,
    account_disconnect,
    ambassador_opt_in,
    ambassador_opt_out,
    share_cancel,
    share_create,
)


def paginated_response(
    *,
    request: Request,
    view: APIView,
    queryset: QuerySet[Any],
    serializer_class: type[BaseSerializer[Any]],
    context: dict[str, Any] | None = None,
) -> Response:
    """One page of the queryset with the project's default pagination ({count, next,
    previous, results}). List views also set `pagination_class`, which is how
    drf-spectacular knows to document the page envelope."""
    paginator: BasePagination = api_settings.DEFAULT_PAGINATION_CLASS()  # type: ignore[misc,operator]
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)  # type: ignore[no-any-return]


def related_ids(**kwargs: Any) -> Any:
    """Read-only ids of related objects (integers in the schema, which cannot guess them for
    a serializer without a model)."""
    return serializers.PrimaryKeyRelatedField(
        read_only=True, pk_field=serializers.IntegerField(), **kwargs
    )


# --- Writes without a service yet -----------------------------------------------------------
# Belongs in advocacy/services/ambassadors.py (see the API report); lives here until moved.


@transaction.atomic
def user_preferences_update(
    *, user: User, interests: list[Topic] | None = None, show_on_leaderboard: bool | None = None
) -> User:
    if show_on_leaderboard is not None:
        user.show_on_leaderboard = show_on_leaderboard
        user.save(update_fields=["show_on_leaderboard"])
    if interests is not None:
        user.interests.set(interests)
    return user


# --- Me -------------------------------------------------------------------------------------


class TeamRefSerializer(serializers.Serializer[Team]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RolesSerializer(serializers.Serializer[User]):
    marketing = serializers.SerializerMethodField()
    leadership = serializers.SerializerMethodField()
    motivator_of = related_ids(source="motivated_teams", many=True, help_text="Team ids.")

    def get_marketing(self, user: User) -> bool:
        return is_marketing(user)

    def get_leadership(self, user: User) -> bool:
        return is_leadership(user)


class MeSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    is_ambassador = serializers.BooleanField(help_text="Opted in to share.")
    ambassador_since = serializers.DateTimeField(allow_null=True)
    roles = RolesSerializer(source="*")
    teams = TeamRefSerializer(many=True)
    interests = related_ids(many=True, help_text="Topic ids.")
    show_on_leaderboard = serializers.BooleanField()


class MeUpdateSerializer(serializers.Serializer[Any]):
    interests = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Topic.objects.all(), required=False, help_text="Topic ids."
    )
    show_on_leaderboard = serializers.BooleanField(required=False)


def _me(request: Request) -> Response:
    user: User = request.user  # type: ignore[assignment]
    user.refresh_from_db()
    return Response(MeSerializer(user).data)


class MeApi(APIView):
    @extend_schema(tags=["me"], summary="Who you are and what you may do", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return _me(request)

    @extend_schema(
        tags=["me"],
        summary="Change your interests and whether you appear on the leaderboard",
        request=MeUpdateSerializer,
        responses=MeSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user_preferences_update(user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return _me(request)


class MeOptInApi(APIView):
    @extend_schema(
        tags=["me"],
        summary="Opt in as an ambassador (acknowledge the current policy first)",
        request=None,
        responses=MeSerializer,
    )
    def post(self, request: Request) -> Response:
        ambassador_opt_in(user=request.user)  # type: ignore[arg-type]
        return _me(request)


class MeOptOutApi(APIView):
    @extend_schema(
        tags=["me"],
        summary="Opt out: scheduled shares are cancelled and network tokens deleted",
        description="Published shares stay, so past figures remain in the team totals.",
        request=None,
        responses=MeSerializer,
    )
    def post(self, request: Request) -> Response:
        ambassador_opt_out(user=request.user)  # type: ignore[arg-type]
        return _me(request)


# --- Network accounts -----------------------------------------------------------------------


class AccountSerializer(serializers.Serializer[NetworkAccount]):
    id = serializers.IntegerField()
    network = serializers.ChoiceField(choices=Network.choices)
    display_name = serializers.CharField()
    status = serializers.ChoiceField(choices=NetworkAccount.Status.choices)
    followers_count = serializers.IntegerField(
        help_text="Followers or connections when last known: the potential reach of a share."
    )
    connected_at = serializers.DateTimeField()


class AccountConnectSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)


class AccountListApi(APIView):
    @extend_schema(
        tags=["accounts"],
        summary="Your network accounts",
        responses=AccountSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        accounts = accounts_for_user(user=request.user)  # type: ignore[arg-type]
        return Response(AccountSerializer(accounts, many=True).data)  # type: ignore[arg-type]

    @extend_schema(
        tags=["accounts"],
        summary="Connect a network account",
        description=(
            "Through the API only the built-in sandbox network can be connected; LinkedIn and "
            "X are connected on the web pages (OAuth)."
        ),
        request=AccountConnectSerializer,
        responses={201: AccountSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = AccountConnectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = serializer.validated_data["network"]
        if network != Network.SANDBOX:
            raise ValidationError(
                _(
                    "Connecting %(network)s through the API is not available yet. Connect it on "
                    "the “My networks” page, or connect the sandbox to practise."
                )
                % {"network": Network(network).label},
                code="network_not_available",
            )
        account = account_connect_sandbox(user=request.user)  # type: ignore[arg-type]
        return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)


class AccountDetailApi(APIView):
    @extend_schema(tags=["accounts"], responses=AccountSerializer)
    def get(self, request: Request, pk: int) -> Response:
        account = account_access(user=request.user, account_id=pk)  # type: ignore[arg-type]
        return Response(AccountSerializer(account).data)

    @extend_schema(
        tags=["accounts"],
        summary="Disconnect: tokens are deleted, waiting shares cancelled",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        account = account_access(user=request.user, account_id=pk)  # type: ignore[arg-type]
        account_disconnect(account=account)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountDisconnectApi(APIView):
    @extend_schema(
        tags=["accounts"],
        summary="Disconnect: tokens are deleted, waiting shares cancelled",
        request=None,
        responses=AccountSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        account = account_access(user=request.user, account_id=pk)  # type: ignore[arg-type]
        account = account_disconnect(account=account)
        return Response(AccountSerializer(account).data)


# --- Shares ---------------------------------------------------------------------------------


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
    scheduled_at = serializers.DateTimeField()
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

    def get_tracked_url(self, share: Share) -> str:
        return tracked_url(share.code)


class ShareCreateSerializer(serializers.Serializer[Any]):
    content_item = serializers.IntegerField(help_text="The id of a content item from your feed.")
    network = serializers.ChoiceField(choices=Network.choices)
    text = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="Your caption, in your own words."
    )


class ShareListFilterSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=Share.Status.choices, required=False)


def _shares(user: User) -> QuerySet[Share]:
    # Explicit order: Meta.ordering is not applied to the grouped (annotated) query.
    return (
        shares_for_user(user=user).select_related("policy_version").order_by("-created_at", "-id")
    )


def _share_data(user: User, share: Share) -> dict[str, Any]:
    """The share with its measured figures (clicks, latest network metrics)."""
    return ShareSerializer(_shares(user).get(pk=share.pk)).data  # type: ignore[return-value]


class ShareListApi(APIView):
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["shares"],
        summary="Your shares, newest first",
        parameters=[ShareListFilterSerializer],
        responses=ShareSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = ShareListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        shares = _shares(request.user)  # type: ignore[arg-type]
        if "status" in filters.validated_data:
            shares = shares.filter(status=filters.validated_data["status"])
        return paginated_response(
            request=request, view=self, queryset=shares, serializer_class=ShareSerializer
        )

    @extend_schema(
        tags=["shares"],
        summary="Share a content item now",
        description=(
            "Checks every rule (opted in, current policy acknowledged, item available, account "
            "connected, not shared before, caption within the policy, daily maximum, sharing "
            "hours) and answers 400 with the reason when one fails. The worker then posts it."
        ),
        request=ShareCreateSerializer,
        responses={201: ShareSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Any existing item: share_create explains why a draft, expired or not-yet-available
        # item cannot be shared, which is more useful than "not found".
        item = ContentItem.objects.filter(pk=data["content_item"]).first()
        if item is None:
            raise ValidationError(_("No such content item."), code="no_such_item")
        user: User = request.user  # type: ignore[assignment]
        share = share_create(user=user, item=item, network=data["network"], text=data["text"])
        return Response(_share_data(user, share), status=status.HTTP_201_CREATED)


class ShareDetailApi(APIView):
    @extend_schema(tags=["shares"], responses=ShareSerializer)
    def get(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        return Response(_share_data(user, share_access(user=user, share_id=pk)))


class ShareCancelApi(APIView):
    @extend_schema(
        tags=["shares"],
        summary="Cancel a share that has not started publishing",
        request=None,
        responses=ShareSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        share = share_cancel(share=share_access(user=user, share_id=pk))
        return Response(_share_data(user, share))


# --- Stats ----------------------------------------------------------------------------------

MEASURED = "measured"
ESTIMATED = "estimated"


class FigureSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField(allow_null=True, help_text="Null when not available.")
    kind = serializers.ChoiceField(
        choices=[(MEASURED, MEASURED), (ESTIMATED, ESTIMATED)],
        help_text="Measured (counted by us or reported by the network) or estimated.",
    )
    available = serializers.BooleanField(
        help_text="False when no network reported this figure (it is not zero)."
    )


class FiguresSerializer(serializers.Serializer[Any]):
    shares = FigureSerializer(help_text="Published shares.")
    clicks = FigureSerializer(help_text="Tracked-link clicks by people.")
    bot_visits = FigureSerializer(help_text="Link-preview bots and crawlers, counted apart.")
    potential_reach = FigureSerializer(help_text="Followers at share time: an estimate.")
    impressions = FigureSerializer()
    engagements = FigureSerializer(help_text="Reactions, comments and reposts.")


def _figure(value: int | None, kind: str = MEASURED) -> dict[str, Any]:
    return {"value": value, "kind": kind, "available": value is not None}


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "shares": _figure(figures.shares),
        "clicks": _figure(figures.clicks),
        "bot_visits": _figure(figures.bot_visits),
        "potential_reach": _figure(figures.potential_reach, ESTIMATED),
        "impressions": _figure(figures.impressions),
        "engagements": _figure(figures.engagements),
    }


class StatsMeSerializer(serializers.Serializer[Any]):
    figures = FiguresSerializer()
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Number of your shares per status."
    )
    best_shares = ShareSerializer(many=True, help_text="Your published shares with most clicks.")


class ItemStatsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    share_count = serializers.IntegerField(help_text="Published shares.")
    click_count = serializers.IntegerField(help_text="Clicks by people.")


class ParticipationSerializer(serializers.Serializer[Any]):
    eligible = serializers.IntegerField(help_text="Active members of the team.")
    opted_in = serializers.IntegerField(help_text="Members who opted in as ambassadors.")
    active = serializers.IntegerField(help_text="Members who published in the period.")


class TeamStatsSerializer(serializers.Serializer[Any]):
    team = TeamRefSerializer()
    days = serializers.IntegerField()
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    participation = ParticipationSerializer()
    period = FiguresSerializer(help_text="Shares published in the period.")
    all_time = FiguresSerializer()
    top_items = ItemStatsSerializer(many=True)


class TeamStatsQuerySerializer(serializers.Serializer[Any]):
    days = serializers.IntegerField(min_value=1, max_value=366, default=30, required=False)


class CampaignRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class GoalSerializer(serializers.Serializer[Any]):
    goal_metric = serializers.ChoiceField(choices=Campaign.Goal.choices)
    target = serializers.IntegerField()
    achieved = FigureSerializer()
    percent = serializers.IntegerField(allow_null=True, help_text="Null when there is no target.")


class CampaignStatsSerializer(serializers.Serializer[Any]):
    campaign = CampaignRefSerializer()
    goal = GoalSerializer()
    figures = FiguresSerializer()
    items = ItemStatsSerializer(many=True)


class StatsMeApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="My impact",
        description=(
            "Every figure says whether it is measured or estimated; a figure no network "
            "reported is {value: null, available: false}, never 0."
        ),
        responses=StatsMeSerializer,
    )
    def get(self, request: Request) -> Response:
        stats = stats_for_user(user=request.user)  # type: ignore[arg-type]
        data = {**stats, "figures": _figures(stats["figures"])}
        return Response(StatsMeSerializer(data).data)


class StatsTeamApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="A team's participation and reach (its motivators, marketing, leadership)",
        parameters=[TeamStatsQuerySerializer],
        responses=TeamStatsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        team = team_access(user=request.user, team_id=pk)  # type: ignore[arg-type]
        query = TeamStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        since, until = period_bounds(days=days)
        stats = stats_for_team(team=team, since=since, until=until)
        data = {
            **stats,
            "days": days,
            "participation": stats,
            "period": _figures(stats["period"]),
            "all_time": _figures(stats["all_time"]),
        }
        return Response(TeamStatsSerializer(data).data)


class StatsCampaignApi(APIView):
    @extend_schema(
        tags=["stats"],
        summary="A campaign's progress against its goal (marketing, leadership)",
        responses=CampaignStatsSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_access(user=request.user, campaign_id=pk)  # type: ignore[arg-type]
        stats = stats_for_campaign(campaign=campaign)
        kind = ESTIMATED if stats["goal_metric"] == Campaign.Goal.REACH else MEASURED
        data = {
            **stats,
            "goal": {
                "goal_metric": stats["goal_metric"],
                "target": stats["goal_target"],
                "achieved": _figure(stats["goal_achieved"], kind),
                "percent": stats["goal_percent"],
            },
            "figures": _figures(stats["figures"]),
        }
        return Response(CampaignStatsSerializer(data).data)
