"""/api/campaigns/: marketing and leadership read campaigns, marketing writes them."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from advocacy.models import Network, Team
from advocacy.people.access import campaign_access
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing, sees_everything
from advocacy.publishing.apis import BudgetSerializer, budget_data
from advocacy.publishing.costs import CampaignCost, campaign_costs
from campaigns.models import Campaign
from campaigns.selectors import campaigns_list
from campaigns.services import campaign_save
from config.api.pagination import paginated_response, related_ids


class IsMarketingOrLeadershipReadOnly(permissions.BasePermission):
    """Campaigns: marketing and leadership read, marketing writes."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            self.message = _("Only marketing and leadership can see campaigns.")
            return sees_everything(user)
        self.message = _("Only marketing can change this.")
        return is_marketing(user)


class CampaignSerializer(serializers.Serializer[Campaign]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    audience = related_ids(many=True, help_text="Team ids; empty means everyone.")
    goal_metric = serializers.ChoiceField(choices=Campaign.Goal.choices)
    goal_target = serializers.IntegerField()
    spread_minutes = serializers.IntegerField()
    utm_campaign = serializers.CharField()
    created_at = serializers.DateTimeField()


def _money(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=4, help_text=help_text)


class CampaignCostSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    price_per_post = _money("What one post with a link costs (setting NETWORK_POST_COSTS).")
    charged = _money("Measured: the cost reserved or billed for the campaign's posts so far.")
    charged_shares = serializers.IntegerField(help_text="Posts that make up `charged`.")
    committed = _money(
        "Shares still to go out (scheduled, or publishing or unknown without a cost yet) "
        "times today's price."
    )
    committed_shares = serializers.IntegerField(help_text="Shares that make up `committed`.")
    estimated_total = _money(
        "An estimate: charged plus committed. Waiting shares may still be cancelled or fail, "
        "or wait for next month's budget."
    )
    budget = BudgetSerializer(help_text="This month's budget of the network, and what remains.")


def cost_data(cost: CampaignCost) -> dict[str, Any]:
    return {
        "network": cost.network,
        "price_per_post": cost.price,
        "charged": cost.charged,
        "charged_shares": cost.charged_shares,
        "committed": cost.committed,
        "committed_shares": cost.committed_shares,
        "estimated_total": cost.estimate,
        "budget": budget_data(cost.budget),
    }


class CampaignDetailSerializer(CampaignSerializer):
    costs = CampaignCostSerializer(
        many=True,
        help_text="Per network that bills per post (X): what the campaign's shares cost.",
    )


class CampaignSaveSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=160)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    audience = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Team.objects.all(), required=False, default=list
    )
    goal_metric = serializers.ChoiceField(
        choices=Campaign.Goal.choices, required=False, default=Campaign.Goal.SHARES
    )
    goal_target = serializers.IntegerField(min_value=0, required=False, default=100)
    spread_minutes = serializers.IntegerField(
        min_value=0, max_value=24 * 60, required=False, default=120
    )
    # Validated by the model (slug), so the message is the one the web form shows.
    utm_campaign = serializers.CharField(max_length=100)


def _campaign_fields(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "audience": list(campaign.audience.all()),
        "goal_metric": campaign.goal_metric,
        "goal_target": campaign.goal_target,
        "spread_minutes": campaign.spread_minutes,
        "utm_campaign": campaign.utm_campaign,
    }


class CampaignListApi(APIView):
    permission_classes = [IsMarketingOrLeadershipReadOnly]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=["campaigns"],
        summary="Campaigns (marketing and leadership)",
        responses={200: CampaignSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request,
            view=self,
            queryset=campaigns_list(),
            serializer_class=CampaignSerializer,
        )

    @extend_schema(
        tags=["campaigns"],
        summary="Create a campaign (marketing)",
        request=CampaignSaveSerializer,
        responses={201: CampaignSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = CampaignSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = campaign_save(**serializer.validated_data)
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    permission_classes = [IsMarketingOrLeadershipReadOnly]

    @extend_schema(
        tags=["campaigns"],
        summary="A campaign, with the estimated cost of its posts (marketing and leadership)",
        responses={200: CampaignDetailSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_access(user=request_user(request), campaign_id=pk)
        costs = [cost_data(cost) for cost in campaign_costs(campaign=campaign)]
        return Response(
            {
                **CampaignSerializer(campaign).data,
                "costs": CampaignCostSerializer(costs, many=True).data,
            }
        )

    def _save(self, request: Request, pk: int, *, partial: bool) -> Response:
        campaign = campaign_access(user=request_user(request), campaign_id=pk)
        serializer = CampaignSaveSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        fields = {**_campaign_fields(campaign), **serializer.validated_data}
        campaign = campaign_save(campaign=campaign, **fields)
        return Response(CampaignSerializer(campaign).data)

    @extend_schema(
        tags=["campaigns"],
        summary="Change a campaign (marketing)",
        request=CampaignSaveSerializer,
        responses={200: CampaignSerializer},
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=False)

    @extend_schema(
        tags=["campaigns"],
        summary="Change some fields of a campaign (marketing)",
        request=CampaignSaveSerializer(partial=True),
        responses={200: CampaignSerializer},
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, partial=True)
