"""/api/accounts/: your network accounts. Another person's account answers 404; network
tokens are never part of any response."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import Network, NetworkAccount
from advocacy.networks.accounts import account_connect_sandbox, account_disconnect
from advocacy.networks.health import Health, account_health, shares_awaiting_reconnect
from advocacy.networks.selectors import accounts_for_user
from advocacy.people.access import account_access, share_access
from advocacy.people.request import request_user
from advocacy.sharing.retry import shares_retry_failed


class HealthSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=Health.choices)
    summary = serializers.CharField(source="label", help_text="e.g. “expires on 12 March”.")
    message = serializers.CharField(help_text="What it means and what to do.")
    action = serializers.ChoiceField(
        choices=[("reconnect", "reconnect"), ("connect", "connect"), ("", "none")],
        help_text="“reconnect”: run the connect flow again on the My networks page.",
    )
    expires_at = serializers.DateTimeField(allow_null=True)
    missing_scopes = serializers.ListField(child=serializers.CharField())


class AccountSerializer(serializers.Serializer[NetworkAccount]):
    id = serializers.IntegerField()
    network = serializers.ChoiceField(choices=Network.choices)
    display_name = serializers.CharField()
    status = serializers.ChoiceField(choices=NetworkAccount.Status.choices)
    followers_count = serializers.IntegerField(
        allow_null=True,
        help_text="Followers or connections when last known: the potential reach of a share. "
        "null: the network does not tell (LinkedIn).",
    )
    connected_at = serializers.DateTimeField()
    health = serializers.SerializerMethodField()
    failed_shares_to_retry = serializers.SerializerMethodField(
        help_text="Shares that failed because the connection had expired: retry them with "
        "POST /api/accounts/{id}/retry-failed-shares/ once reconnected."
    )

    @extend_schema_field(HealthSerializer)
    def get_health(self, account: NetworkAccount) -> dict[str, Any]:
        health = account_health(account=account)
        return dict(HealthSerializer(health).data)

    def get_failed_shares_to_retry(self, account: NetworkAccount) -> int:
        if account.network == Network.SANDBOX:
            return 0
        return shares_awaiting_reconnect(user=account.user, network=account.network).count()


class RetryRequestSerializer(serializers.Serializer[Any]):
    shares = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Only these of your failed shares (default: all that failed on expiry).",
    )


class SkippedShareSerializer(serializers.Serializer[Any]):
    share = serializers.IntegerField()
    reason = serializers.CharField()


class RetryResultSerializer(serializers.Serializer[Any]):
    retried = serializers.ListField(child=serializers.IntegerField())
    skipped = SkippedShareSerializer(many=True)


class FailedSharesSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    shares = serializers.ListField(child=serializers.IntegerField())


class AccountConnectSerializer(serializers.Serializer[Any]):
    network = serializers.ChoiceField(choices=Network.choices)


class AccountListApi(APIView):
    @extend_schema(
        tags=["accounts"],
        summary="Your network accounts",
        responses=AccountSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        accounts = accounts_for_user(user=request_user(request))
        # drf-stubs type a many=True serializer's instance as one object, not a list.
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
        account = account_connect_sandbox(user=request_user(request))
        return Response(AccountSerializer(account).data, status=status.HTTP_201_CREATED)


class AccountDetailApi(APIView):
    @extend_schema(tags=["accounts"], responses=AccountSerializer)
    def get(self, request: Request, pk: int) -> Response:
        account = account_access(user=request_user(request), account_id=pk)
        return Response(AccountSerializer(account).data)

    @extend_schema(
        tags=["accounts"],
        summary="Disconnect: tokens are deleted, waiting shares cancelled",
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        account = account_access(user=request_user(request), account_id=pk)
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
        account = account_access(user=request_user(request), account_id=pk)
        account = account_disconnect(account=account)
        return Response(AccountSerializer(account).data)


class AccountRetryFailedSharesApi(APIView):
    @extend_schema(
        tags=["accounts"],
        summary="Shares that failed because this connection had expired",
        responses=FailedSharesSerializer,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        account = account_access(user=user, account_id=pk)
        ids = list(
            shares_awaiting_reconnect(user=user, network=account.network).values_list(
                "pk", flat=True
            )
        )
        return Response({"count": len(ids), "shares": ids})

    @extend_schema(
        tags=["accounts"],
        summary="Retry them in one go, after reconnecting",
        description=(
            "Each share is checked against the current fair-use policy and scheduled now on "
            "the reconnected account. A share whose item already has a live share on this "
            "network, that the policy no longer allows, or whose item is gone is skipped, with "
            "the reason. Another person's share or account answers 404."
        ),
        request=RetryRequestSerializer,
        responses=RetryResultSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        user = request_user(request)
        account = account_access(user=user, account_id=pk)
        serializer = RetryRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("shares")
        shares = None
        if ids is not None:
            shares = [share_access(user=user, share_id=share_id) for share_id in ids]
        outcome = shares_retry_failed(user=user, account=account, shares=shares)
        return Response(
            {
                "retried": [share.pk for share in outcome.retried],
                "skipped": [
                    {"share": share.pk, "reason": reason} for share, reason in outcome.skipped
                ],
            }
        )
