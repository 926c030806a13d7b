from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.models import Consent, NetworkAccount, Share, User
from advocacy.networks.accounts import social_accounts_forget
from campaigns.models import Topic
from policy.selectors import policy_current, policy_has_acknowledged


@transaction.atomic
def ambassador_opt_in(*, user: User) -> Consent:
    """Opting in needs the current policy acknowledged; the consent records its version."""
    policy = policy_current()
    if policy is None:
        raise ValidationError(
            _("There is no fair-use policy yet, so sharing has not started. Ask marketing."),
            code="no_policy",
        )
    if not policy_has_acknowledged(user=user, version=policy):
        raise ValidationError(
            _("Read and acknowledge the fair-use policy (version %(number)s) before you opt in.")
            % {"number": policy.number},
            code="policy_not_acknowledged",
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.ambassador_since is None:
        user.ambassador_since = timezone.now()
        user.save(update_fields=["ambassador_since"])
    return Consent.objects.create(user=user, action=Consent.Action.OPT_IN, policy_version=policy)


@transaction.atomic
def ambassador_opt_out(*, user: User) -> Consent:
    """Stop sharing at once: scheduled shares are cancelled and every network token is
    deleted. Published shares stay, so past figures remain in the team totals."""
    user = User.objects.select_for_update().get(pk=user.pk)
    Share.objects.filter(user=user, status=Share.Status.SCHEDULED).update(
        status=Share.Status.CANCELLED,
        error=_("Cancelled because you opted out."),
        updated_at=timezone.now(),
    )
    for account in NetworkAccount.objects.filter(user=user):
        account.access_token = ""
        account.refresh_token = ""
        account.token_expires_at = None
        account.status = NetworkAccount.Status.DISCONNECTED
        account.save()
    social_accounts_forget(user_id=user.pk)
    user.ambassador_since = None
    user.save(update_fields=["ambassador_since"])
    return Consent.objects.create(
        user=user, action=Consent.Action.OPT_OUT, policy_version=policy_current()
    )


@transaction.atomic
def user_preferences_update(
    *,
    user: User,
    interests: Iterable[Topic] | None = None,
    show_on_leaderboard: bool | None = None,
) -> User:
    """Change what a person may choose for themselves; None leaves a preference as it is."""
    if show_on_leaderboard is not None:
        user.show_on_leaderboard = show_on_leaderboard
        user.save(update_fields=["show_on_leaderboard"])
    if interests is not None:
        user.interests.set(list(interests))
    return user
