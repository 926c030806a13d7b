"""Pages for marketing's content management (/manage/...) and the suggestion page every
employee can use (/suggest/), one module per topic. Thin: parse the form, call one service or
selector, render."""

from campaigns.views.budgets import budget_credits_topped_up, budget_manage
from campaigns.views.campaigns import (
    campaign_calendar,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
)
from campaigns.views.content import (
    content_create,
    content_edit,
    content_list,
    content_status,
    variant_create_view,
    variant_delete_view,
    variant_update_view,
)
from campaigns.views.manage import manage_home, topic_list
from campaigns.views.suggestions import (
    suggestion_approve,
    suggestion_create,
    suggestion_reject,
    suggestion_review_list,
)

__all__ = [
    "budget_credits_topped_up",
    "budget_manage",
    "campaign_calendar",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "content_create",
    "content_edit",
    "content_list",
    "content_status",
    "manage_home",
    "suggestion_approve",
    "suggestion_create",
    "suggestion_reject",
    "suggestion_review_list",
    "topic_list",
    "variant_create_view",
    "variant_delete_view",
    "variant_update_view",
]
