"""/api/budgets/<network>/: the monthly budget of a network that bills per post (X).
Marketing and leadership read it; marketing changes it. A network that does not bill has no
budget and answers 404."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Network
from advocacy.networks.pauses import network_pause_resume
from advocacy.people.request import request_user
from advocacy.people.roles import is_marketing, sees_everything
from advocacy.publishing.budget import budget_set
from advocacy.publishing.costs import BudgetOverview, billing_network_access, budget_overview


class IsMarketingOrLeadershipReadsBudget(permissions.BasePermission):
    """Marketing and leadership read the budget, marketing changes it."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            self.message = _("Only marketing and leadership can see the budget.")
            return sees_everything(user)
        self.message = _("Only marketing can change the budget.")
        return is_marketing(user)


def _money(help_text: str, *, allow_null: bool = False) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=allow_null, help_text=help_text
    )


class BudgetSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    month = serializers.DateField(help_text="The first day of the month (UTC) the figures are for.")
    price_per_post = _money(
        "What one post with a link costs (setting NETWORK_POST_COSTS); every share carries "
        "its tracked link.",
    )
    monthly_limit = _money(
        "The monthly budget; null when none is set (posts are not capped).", allow_null=True
    )
    spent = _money("Charged to this month's budget so far.")
    remaining = _money("What is left this month; null when no budget is set.", allow_null=True)
    waiting_shares = serializers.IntegerField(
        help_text="Scheduled shares waiting because this month's budget is spent."
    )


def budget_data(budget: BudgetOverview) -> dict[str, Any]:
    return {
        "network": budget.network,
        "month": budget.month,
        "price_per_post": budget.price,
        "monthly_limit": budget.monthly_limit,
        "spent": budget.spent,
        "remaining": budget.remaining,
        "waiting_shares": budget.waiting,
    }


class BudgetSetSerializer(serializers.Serializer[Any]):
    # Not negative: the service's rule, so the API and the page give the same message.
    monthly_limit = serializers.DecimalField(
        max_digits=10, decimal_places=2, help_text="The new monthly budget (not negative)."
    )


NETWORK_PARAMETER = OpenApiParameter(
    "network",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A network that bills per post (a key of NETWORK_POST_COSTS), e.g. x.",
)


class BudgetApi(APIView):
    permission_classes = [IsMarketingOrLeadershipReadsBudget]

    @extend_schema(
        tags=["budgets"],
        summary="This month's budget of a network that bills per post (marketing, leadership)",
        parameters=[NETWORK_PARAMETER],
        responses={200: BudgetSerializer},
    )
    def get(self, request: Request, network: str) -> Response:
        budget = budget_overview(network=billing_network_access(network=network))
        return Response(BudgetSerializer(budget_data(budget)).data)

    @extend_schema(
        tags=["budgets"],
        summary="Set the monthly budget of a network that bills per post (marketing)",
        parameters=[NETWORK_PARAMETER],
        request=BudgetSetSerializer,
        responses={200: BudgetSerializer},
    )
    def put(self, request: Request, network: str) -> Response:
        network = billing_network_access(network=network)
        serializer = BudgetSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        budget_set(network=network, monthly_limit=serializer.validated_data["monthly_limit"])
        return Response(BudgetSerializer(budget_data(budget_overview(network=network))).data)


class CreditsToppedUpSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)
    waiting_shares = serializers.IntegerField(
        help_text="Shares that were waiting for the credits and now go out again."
    )


class BudgetCreditsToppedUpApi(APIView):
    """/api/budgets/<network>/credits-topped-up/: the network answered 402 because its
    pay-per-use credits are spent (X); marketing topped them up, so the waiting shares go now
    instead of at the next automatic try."""

    permission_classes = [IsMarketingOrLeadershipReadsBudget]

    @extend_schema(
        tags=["budgets"],
        summary="The network's pay-per-use credits were topped up: send the waiting shares (marketing)",
        parameters=[NETWORK_PARAMETER],
        request=None,
        responses={200: CreditsToppedUpSerializer},
    )
    def post(self, request: Request, network: str) -> Response:
        network = billing_network_access(network=network)
        waiting = network_pause_resume(network=network, user=request_user(request))
        return Response(
            CreditsToppedUpSerializer({"network": network, "waiting_shares": waiting}).data
        )
