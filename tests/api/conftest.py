"""Shared set-ups for the API tests: a policy with every hard rule, and its ambassadors."""

import pytest

from policy.models import PolicyVersion
from tests.factories import PolicyVersionFactory


@pytest.fixture
def strict_policy(db: None) -> PolicyVersion:
    """The current policy, with every rule a share can break (no sharing hours: the tests
    must pass at any time of day)."""
    return PolicyVersionFactory(  # type: ignore[no-any-return]
        title="Our sharing policy",
        body="# Be yourself\n\n<script>alert(1)</script>\n\nShare what you *like*.",
        blocked_terms=["confidential", "roadmap leak"],
        required_disclosure="#employee",
        allowed_domains=["example.com"],
        max_shares_per_day=3,
    )
