"""The person check: an opted-in ambassador who acknowledged the current policy may share."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from advocacy.people.eligibility import person_check
from policy.models import PolicyVersion
from policy.services import policy_acknowledge
from tests import factories


def refusal_code(user: Any) -> str | None:
    try:
        person_check(user=user)
    except ValidationError as error:
        return str(error.code)
    return None


@pytest.mark.django_db
def test_it_returns_the_current_policy_for_an_ambassador_who_acknowledged_it(
    ambassador_user: Any, policy: Any
) -> None:
    assert person_check(user=ambassador_user) == policy


@pytest.mark.django_db
def test_it_refuses_someone_not_opted_in(policy: Any) -> None:
    assert refusal_code(factories.UserFactory()) == "not_opted_in"


@pytest.mark.django_db
def test_it_refuses_before_the_first_policy(ambassador_user: Any, policy: Any) -> None:
    PolicyVersion.objects.update(status=PolicyVersion.Status.DRAFT)

    assert refusal_code(ambassador_user) == "no_policy"


@pytest.mark.django_db
def test_it_asks_to_acknowledge_a_policy_that_changed(ambassador_user: Any, policy: Any) -> None:
    newer = factories.PolicyVersionFactory(number=policy.number + 1)

    with pytest.raises(ValidationError, match=f"version {newer.number}"):
        person_check(user=ambassador_user)
    assert refusal_code(ambassador_user) == "policy_not_acknowledged"

    policy_acknowledge(user=ambassador_user, version=newer)
    assert person_check(user=ambassador_user) == newer
