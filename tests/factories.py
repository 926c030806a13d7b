"""factory_boy factories for the whole domain. `ambassador()` and `published_item()` build
the common ready-to-share situation in one call."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from advocacy.models import NetworkAccount, Share, Team, User
from advocacy.networks.accounts import account_connect_sandbox
from advocacy.people.roles import LEADERSHIP, MARKETING
from advocacy.sharing.optin import ambassador_opt_in
from campaigns.models import Campaign, ContentItem, Suggestion, Topic
from policy.models import Acknowledgement, PolicyVersion
from policy.services import policy_acknowledge
from reports.services.marks import rollups_mark_changed


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    utm_campaign = factory.Sequence(lambda n: f"campaign-{n}")
    goal_metric = Campaign.Goal.SHARES
    goal_target = 10


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    title = factory.Sequence(lambda n: f"Item {n}")
    url = factory.Sequence(lambda n: f"https://example.com/news/{n}")
    caption_linkedin = "Proud of what we built. #employee"
    caption_x = "Proud of what we built. #employee"
    status = ContentItem.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyVersion

    number = factory.Sequence(lambda n: n + 1)
    status = PolicyVersion.Status.PUBLISHED
    body = "# Sharing\n\nBe yourself."
    published_at = factory.LazyFunction(timezone.now)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    submitted_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Suggestion {n}")
    url = factory.Sequence(lambda n: f"https://example.com/suggested/{n}")


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Share

    user = factory.SubFactory(UserFactory)
    network = "sandbox"
    content_item = factory.SubFactory(ContentItemFactory)
    text = "My own words #employee"
    policy_version = factory.LazyFunction(
        lambda: (
            PolicyVersion.objects.filter(status="published").order_by("-number").first()
            or PolicyVersionFactory()
        )
    )
    scheduled_at = factory.LazyFunction(timezone.now)
    status = Share.Status.PUBLISHED
    potential_reach = 100


def group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


def marketing_user(**kwargs: object) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(group(MARKETING))
    return user


def leadership_user(**kwargs: object) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(group(LEADERSHIP))
    return user


def current_policy(**kwargs: object) -> PolicyVersion:
    policy = PolicyVersion.objects.filter(status="published").order_by("-number").first()
    return policy or PolicyVersionFactory(**kwargs)


def ambassador(*, connect: bool = True, teams: list[Team] | None = None, **kwargs: object) -> User:
    """An opted-in ambassador who acknowledged the current policy (and, by default, has the
    sandbox network connected)."""
    user = UserFactory(**kwargs)
    if teams:
        user.teams.set(teams)
    policy = current_policy()
    policy_acknowledge(user=user, version=policy)
    ambassador_opt_in(user=user)
    user.refresh_from_db()
    if connect:
        account_connect_sandbox(user=user)
    return user


def sandbox_account(user: User) -> NetworkAccount:
    return NetworkAccount.objects.get(user=user, network="sandbox")


def acknowledgement(user: User, policy: PolicyVersion) -> Acknowledgement:
    return Acknowledgement.objects.get_or_create(user=user, version=policy)[0]


def x_share(campaign: Campaign | None, status: str, **kwargs: object) -> Share:
    """A share of a new item of `campaign` on X. Published, it is marked for the report rollups
    as publishing marks it, so their next refresh counts it (and its cost)."""
    item = ContentItemFactory(campaign=campaign)
    if status == Share.Status.PUBLISHED:
        kwargs.setdefault("published_at", timezone.now())
    share: Share = ShareFactory(content_item=item, network="x", status=status, **kwargs)
    if share.published_at is not None:
        rollups_mark_changed(changes=[(share.pk, share.published_at)])
    return share
