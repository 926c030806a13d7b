"""The caption guidance the editor shows and the refusal of share_check are one call: what the
page marks red is what a share is refused for, with the same words, and nothing else."""

import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advocacy.models import User
from advocacy.sharing.captions import caption_guidance, policy_errors
from advocacy.sharing.shares import share_check
from tests import factories
from tests.conftest import client_for

COLLEAGUES_CAPTION = "Proud of what our team shipped this spring. #employee"

CAPTIONS = {
    "a personal caption": "Really proud of my team: I worked on the search. #employee",
    "advice only": "Proud of my team #one #two #three #four #employee",
    "an empty caption": "   ",
    "a caption over the limit": "word " * 80 + "#employee",
    "a blocked term": "Project Falcon is coming #employee",
    "no disclosure": "Really proud of my team.",
    "a link elsewhere": "Read https://elsewhere.test/story too #employee",
    "a script link": "javascript:alert(1) #employee",
    "a colleague's words": "Proud of what our team shipped this spring! #employee",
    "a colleague's words and no disclosure": "Proud of what our team shipped this spring!",
    "several problems": "Project Falcon at https://elsewhere.test/x",
}
RED_ITEM_RE = re.compile(r'<li class="blocking" data-code="(\w+)">\s*(.*?)\s*<a ', re.S)


@pytest.fixture
def strict_policy(policy: Any) -> Any:
    policy.blocked_terms = ["Project Falcon"]
    policy.required_disclosure = "#employee"
    policy.allowed_domains = ["example.com"]
    policy.save()
    return policy


@pytest.fixture
def colleague_share(item: Any) -> Any:
    colleague = factories.ambassador(username="colleague")
    return factories.ShareFactory(
        user=colleague, content_item=item, network="sandbox", text=COLLEAGUES_CAPTION
    )


def red_items(user: User, item: Any, text: str) -> list[tuple[str, str]]:
    """The page's live check: each finding it marks red, as (code, message)."""
    response = client_for(user).post(
        reverse("caption-check", args=[item.pk]), {"network": "sandbox", "text": text}
    )
    assert response.status_code == 200
    page = response.content.decode()
    items = [(code, html.unescape(message)) for code, message in RED_ITEM_RE.findall(page)]
    assert ("must be fixed before you can share" in page) == bool(items)
    return items


def refusal(user: User, item: Any, text: str) -> list[tuple[str, str]]:
    """share_check's refusal, as (code, message) per error; [] when the share may go."""
    try:
        share_check(user=user, item=item, network="sandbox", text=text)
    except ValidationError as error:
        return [(str(each.code), str(each.message)) for each in error.error_list]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("text", CAPTIONS.values(), ids=CAPTIONS.keys())
def test_share_check_refuses_exactly_what_the_page_marks_red(
    ambassador_user: User, item: Any, strict_policy: Any, colleague_share: Any, text: str
) -> None:
    page = red_items(ambassador_user, item, text)
    refused = refusal(ambassador_user, item, text)

    assert bool(refused) == bool(page)
    policy_items = [message for code, message in page if code != "too_similar"]
    if policy_items:
        # The policy's problems first, in the page's words and order (the look-alike warning
        # is refused once they are fixed).
        assert refused == [("policy", message) for message in policy_items]
    elif page:
        assert page == [("too_similar", page[0][1])]
        assert [code for code, _message in refused] == ["too_similar"]


@pytest.mark.django_db
def test_an_item_whose_own_link_the_policy_does_not_allow_is_red_and_refused_alike(
    ambassador_user: User, strict_policy: Any
) -> None:
    item = factories.ContentItemFactory(url="https://elsewhere.test/launch")
    text = CAPTIONS["a personal caption"]

    page = red_items(ambassador_user, item, text)

    assert [code for code, _message in page] == ["domain_not_allowed"]
    assert refusal(ambassador_user, item, text) == [("policy", page[0][1])]


@pytest.mark.django_db
@pytest.mark.parametrize("text", CAPTIONS.values(), ids=CAPTIONS.keys())
def test_the_guidance_is_blocked_exactly_when_it_has_a_refusal(
    ambassador_user: User, item: Any, strict_policy: Any, colleague_share: Any, text: str
) -> None:
    guidance = caption_guidance(
        user=ambassador_user, item=item, network="sandbox", text=text, policy=strict_policy
    )

    assert guidance.blocked == (guidance.refusal() is not None)
    assert guidance.blocked == any(finding.blocking for finding in guidance.findings)
    assert guidance.problems == policy_errors(strict_policy, item, "sandbox", text)


@pytest.mark.django_db
def test_the_suggested_caption_only_adds_advice(
    ambassador_user: User, item: Any, strict_policy: Any
) -> None:
    text = item.caption_x

    offered = caption_guidance(
        user=ambassador_user,
        item=item,
        network="sandbox",
        text=text,
        policy=strict_policy,
        suggested=text,
    )
    plain = caption_guidance(
        user=ambassador_user, item=item, network="sandbox", text=text, policy=strict_policy
    )

    assert [finding.code for finding in offered.findings] == ["not_personal"]
    assert not offered.blocked
    assert plain.findings == []
    assert offered.refusal() is None and plain.refusal() is None


@pytest.mark.django_db
def test_without_a_policy_only_the_counting_and_colleagues_captions_apply(
    colleague_share: Any, item: Any
) -> None:
    user = factories.UserFactory()

    guidance = caption_guidance(user=user, item=item, network="x", text="word " * 80, policy=None)
    copy = caption_guidance(
        user=user, item=item, network="sandbox", text=COLLEAGUES_CAPTION, policy=None
    )

    assert guidance.over and guidance.findings == [] and not guidance.blocked
    assert guidance.length > guidance.rules.max_length == 280
    assert [finding.code for finding in copy.findings] == ["too_similar"]
    assert copy.similar == colleague_share
    refusal_error = copy.refusal()
    assert refusal_error is not None and refusal_error.code == "too_similar"


@pytest.mark.django_db
def test_an_empty_caption_is_not_compared_with_colleagues(item: Any) -> None:
    colleague = factories.ambassador(username="colleague")
    factories.ShareFactory(user=colleague, content_item=item, network="sandbox", text="  ")

    guidance = caption_guidance(
        user=factories.UserFactory(), item=item, network="sandbox", text="  ", policy=None
    )

    assert guidance.similar is None
