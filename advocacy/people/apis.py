"""/api/me/: who you are, your roles, preferences and settings, opting in and out."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from advocacy.models import DigestFrequency, Team, User
from advocacy.people.request import request_user
from advocacy.people.roles import is_leadership, is_marketing
from advocacy.people.settings import user_settings_update
from advocacy.sharing.optin import ambassador_opt_in, ambassador_opt_out, user_preferences_update
from campaigns.models import Topic
from config.api.pagination import related_ids


# A team by id and name, in /api/me/ and the team report. (No docstring: drf-spectacular
# would publish it as the component's description.)
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
    time_zone = serializers.CharField(
        help_text="IANA name; times you give without an offset are read in it."
    )
    digest_frequency = serializers.ChoiceField(
        choices=DigestFrequency.choices, help_text="How often you get the new-content email."
    )
    queue_paused = serializers.BooleanField(help_text="Your queue is paused: queued shares wait.")


SETTINGS = ("time_zone", "digest_frequency")


class MeUpdateSerializer(serializers.Serializer[Any]):
    interests = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Topic.objects.all(), required=False, help_text="Topic ids."
    )
    show_on_leaderboard = serializers.BooleanField(required=False)
    time_zone = serializers.CharField(
        required=False, help_text="IANA name, e.g. Europe/Amsterdam or America/New_York."
    )
    digest_frequency = serializers.ChoiceField(choices=DigestFrequency.choices, required=False)


def _me(request: Request) -> Response:
    user = request_user(request)
    user.refresh_from_db()
    return Response(MeSerializer(user).data)


class MeApi(APIView):
    @extend_schema(tags=["me"], summary="Who you are and what you may do", responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return _me(request)

    @extend_schema(
        tags=["me"],
        summary="Change your interests, leaderboard choice, time zone and new-content email",
        description="An unknown time zone answers 400 with code bad_time_zone.",
        request=MeUpdateSerializer,
        responses=MeSerializer,
    )
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preferences = dict(serializer.validated_data)
        settings = {name: preferences.pop(name) for name in SETTINGS if name in preferences}
        user = request_user(request)
        # Settings first: they are the ones that can still be refused, before anything changed.
        user_settings_update(user=user, **settings)
        user_preferences_update(user=user, **preferences)
        return _me(request)


class MeOptInApi(APIView):
    @extend_schema(
        tags=["me"],
        summary="Opt in as an ambassador (acknowledge the current policy first)",
        request=None,
        responses=MeSerializer,
    )
    def post(self, request: Request) -> Response:
        ambassador_opt_in(user=request_user(request))
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
        ambassador_opt_out(user=request_user(request))
        return _me(request)
