"""Who may do what. Marketing and leadership are groups; a motivator is set per team."""

from django.contrib.auth.models import AnonymousUser

from advocacy.models import Team, User

MARKETING = "marketing"
LEADERSHIP = "leadership"


def _in_group(user: User | AnonymousUser, name: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        setattr(user, "_group_names", cache)  # noqa: B010 - a per-request cache on the user
    return name in cache or bool(user.is_superuser)


def is_marketing(user: User | AnonymousUser) -> bool:
    return _in_group(user, MARKETING)


def is_leadership(user: User | AnonymousUser) -> bool:
    return _in_group(user, LEADERSHIP)


def sees_everything(user: User | AnonymousUser) -> bool:
    return is_marketing(user) or is_leadership(user)


def is_motivator(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and Team.objects.filter(motivators=user).exists()


def can_view_team(user: User | AnonymousUser, team: Team) -> bool:
    return sees_everything(user) or (
        user.is_authenticated and team.motivators.filter(pk=user.pk).exists()
    )
