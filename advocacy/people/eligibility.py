"""Who may share: the person check every share, retry and reschedule starts from."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from advocacy.models import User
from policy.models import PolicyVersion
from policy.selectors import policy_current, policy_has_acknowledged


def person_check(*, user: User) -> PolicyVersion:
    """The current policy, when the person is an ambassador who acknowledged it; otherwise
    the reason they cannot share yet, with the step that fixes it."""
    if not user.is_ambassador:
        raise ValidationError(
            _("You are not opted in as an ambassador. Opt in on the policy page to share."),
            code="not_opted_in",
        )
    policy = policy_current()
    if policy is None:
        raise ValidationError(_("There is no fair-use policy yet."), code="no_policy")
    if not policy_has_acknowledged(user=user, version=policy):
        raise ValidationError(
            _(
                "The fair-use policy changed (version %(number)s). Read and acknowledge it "
                "before your next share."
            )
            % {"number": policy.number},
            code="policy_not_acknowledged",
        )
    return policy
