"""/api/accounts/: your network accounts. Another person's account answers 404; network
tokens are never part of any response."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import NetworkAccount
from advocacy.networks import Network
from advocacy.selectors import account_access, accounts_for_user
from advocacy.services import account_connect_sandbox, account_disconnect


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
