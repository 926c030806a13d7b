"""Near-identical captions from colleagues: normalisation, scores, the threshold, and who
counts as a colleague."""

import pytest
from django.test import override_settings

from advocacy.models import Share
from advocacy.sharing.similarity import (
    SIMILARITY_THRESHOLD,
    caption_similarity,
    caption_too_similar,
    normalise_caption,
)
from tests import factories

SUGGESTED = "Proud of what we built. #employee"


def test_normalising_drops_links_case_punctuation_and_hash_signs():
    text = "It\N{RIGHT SINGLE QUOTATION MARK}s LIVE!!  Read https://example.com/news?id=1 and www.example.org — #Launch_Day"

    assert normalise_caption(text) == "its live read and launch day"


def test_identical_captions_score_one_whatever_the_case_punctuation_and_links():
    assert caption_similarity(SUGGESTED, SUGGESTED) == 1.0
    assert caption_similarity(SUGGESTED, "proud of what we built!! employee") == 1.0
    assert caption_similarity(SUGGESTED, f"{SUGGESTED} https://example.com/x") == 1.0


def test_lightly_edited_captions_score_at_or_above_the_threshold():
    assert caption_similarity(SUGGESTED, "So proud of what we built. #employee") >= 0.95
    # One word swapped in a six-word caption is still the same caption.
    assert caption_similarity(SUGGESTED, "Proud of what we made. #employee") >= 0.85


def test_personal_captions_score_well_below_the_threshold():
    personal = (
        "Proud of what we built: my team worked nights on the import tool and it shows. #employee"
    )
    assert caption_similarity(SUGGESTED, personal) < 0.6
    assert caption_similarity(SUGGESTED, "Our release finally lands. I worked on search!") < 0.3


def test_captions_of_only_links_or_emoji_are_the_same_only_when_identical():
    assert caption_similarity("🎉", "🎉") == 1.0
    assert caption_similarity("🎉", "🚀") == 0.0


@pytest.mark.django_db
class TestCaptionTooSimilar:
    @pytest.fixture
    def colleague_share(self, item):
        colleague = factories.ambassador(username="colleague")
        return factories.ShareFactory(
            user=colleague, content_item=item, network="sandbox", text=SUGGESTED
        )

    def test_it_finds_a_colleagues_near_identical_share(
        self, ambassador_user, item, colleague_share
    ):
        found = caption_too_similar(
            user=ambassador_user,
            item=item,
            network="sandbox",
            text="proud of what we BUILT! #employee",
        )

        assert found == colleague_share

    def test_a_personal_touch_passes(self, ambassador_user, item, colleague_share):
        text = "Proud of what we built: I spent March on the search and it is fast. #employee"

        assert (
            caption_too_similar(user=ambassador_user, item=item, network="sandbox", text=text)
            is None
        )

    def test_my_own_shares_do_not_count(self, ambassador_user, item):
        factories.ShareFactory(user=ambassador_user, content_item=item, text=SUGGESTED)

        assert (
            caption_too_similar(user=ambassador_user, item=item, network="sandbox", text=SUGGESTED)
            is None
        )

    def test_other_items_and_networks_do_not_count(self, ambassador_user, item):
        colleague = factories.ambassador(username="colleague")
        factories.ShareFactory(user=colleague, content_item=factories.ContentItemFactory())
        factories.ShareFactory(user=colleague, content_item=item, network="x", text=SUGGESTED)

        assert (
            caption_too_similar(user=ambassador_user, item=item, network="sandbox", text=SUGGESTED)
            is None
        )

    def test_cancelled_and_failed_shares_do_not_count(self, ambassador_user, item, colleague_share):
        colleague_share.status = Share.Status.CANCELLED
        colleague_share.save()
        factories.ShareFactory(
            user=factories.ambassador(username="other"),
            content_item=item,
            text=SUGGESTED,
            status=Share.Status.FAILED,
        )

        assert (
            caption_too_similar(user=ambassador_user, item=item, network="sandbox", text=SUGGESTED)
            is None
        )

    def test_scheduled_shares_count_like_published_ones(
        self, ambassador_user, item, colleague_share
    ):
        colleague_share.status = Share.Status.SCHEDULED
        colleague_share.save()

        assert (
            caption_too_similar(user=ambassador_user, item=item, network="sandbox", text=SUGGESTED)
            == colleague_share
        )

    def test_the_threshold_is_inclusive_and_comes_from_the_settings(
        self, ambassador_user, item, colleague_share
    ):
        text = "Proud of what we made. #employee"
        score = caption_similarity(text, SUGGESTED)
        assert SIMILARITY_THRESHOLD <= score < 0.9

        with override_settings(CAPTION_SIMILARITY_THRESHOLD=score):
            assert caption_too_similar(
                user=ambassador_user, item=item, network="sandbox", text=text
            )
        with override_settings(CAPTION_SIMILARITY_THRESHOLD=0.9):
            assert not caption_too_similar(
                user=ambassador_user, item=item, network="sandbox", text=text
            )

    def test_long_personal_captions_pass_and_long_copies_are_found(self, ambassador_user, item):
        words = [f"word{n}" for n in range(120)]
        long_caption = " ".join(words)
        colleague = factories.ambassador(username="colleague")
        copy = factories.ShareFactory(
            user=colleague, content_item=item, network="linkedin", text=long_caption
        )
        factories.ShareFactory(
            user=factories.ambassador(username="writer"),
            content_item=item,
            network="linkedin",
            text=" ".join(reversed(words)),
        )

        assert (
            caption_too_similar(
                user=ambassador_user,
                item=item,
                network="linkedin",
                text=f"{long_caption} and a sentence of my own",
            )
            == copy
        )
        assert (
            caption_too_similar(
                user=ambassador_user,
                item=item,
                network="linkedin",
                text=" ".join(f"mine{n}" for n in range(120)),
            )
            is None
        )
