"""Access checks: what a person may see, fetched with the check, and 404 for the rest (another
person's share does not exist for them)."""

from django.db.models import QuerySet
from django.http import Http404

from advocacy.models import AutoShareConsent, NetworkAccount, Share, Team, User
from advocacy.people.roles import can_view_team, is_marketing, sees_everything
from campaigns.models import Campaign


def share_access(*, user: User, share_id: int) -> Share:
    """The user's own share, or 404: another person's share does not exist for them."""
    share = (
        Share.objects.select_related("content_item", "content_item__campaign", "account")
        .filter(pk=share_id, user=user)
        .first()
    )
    if share is None:
        raise Http404("No such share.")
    return share


def share_photo_access(*, user: User, share_id: int) -> Share:
    """A share whose photo the user may see: their own, or any for marketing (who answer for
    what goes out under the company's name). Anyone else, or a share without a photo: 404."""
    shares = Share.objects.filter(pk=share_id).exclude(photo="")
    if not is_marketing(user):
        shares = shares.filter(user=user)
    share = shares.first()
    if share is None:
        raise Http404("No such photo.")
    return share


def account_access(*, user: User, account_id: int) -> NetworkAccount:
    account = NetworkAccount.objects.filter(pk=account_id, user=user).first()
    if account is None:
        raise Http404("No such account.")
    return account


def consent_access(*, user: User, consent_id: int) -> AutoShareConsent:
    """The user's own auto-sharing consent, or 404."""
    consent = AutoShareConsent.objects.filter(pk=consent_id, user=user).first()
    if consent is None:
        raise Http404("No such consent.")
    return consent


def team_access(*, user: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not can_view_team(user, team):
        raise Http404("No such team.")
    return team


def campaign_access(*, user: User, campaign_id: int) -> Campaign:
    if not sees_everything(user):
        raise Http404("No such campaign.")
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def teams_visible(*, user: User) -> QuerySet[Team]:
    if sees_everything(user):
        return Team.objects.all()
    return Team.objects.filter(motivators=user)
