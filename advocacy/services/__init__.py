"""Writes of the advocacy domain. Every function is `<entity>_<action>` with keyword-only
arguments; validation errors are Django ValidationErrors with a message a person understands."""

from advocacy.services.accounts import (
    account_connect_oauth,
    account_connect_sandbox,
    account_disconnect,
    accounts_remind_expiring,
    shares_retry_failed,
)
from advocacy.services.ambassadors import (
    ambassador_opt_in,
    ambassador_opt_out,
    user_preferences_update,
)
from advocacy.services.autoshare import (
    autoshare_active,
    autoshare_grant,
    autoshare_revoke,
    autoshare_run,
)
from advocacy.services.clicks import click_record, visitor_salts_purge
from advocacy.services.metrics import metrics_refresh
from advocacy.services.publishing import share_publish, share_reconcile, shares_dispatch_due
from advocacy.services.queue import (
    queue_add,
    queue_move_to_now,
    queue_next_free_slots,
    queue_pause,
    queue_remove,
    queue_reorder,
    queue_resume,
    queue_shares,
    queue_slots_set,
    queue_suggestions,
)
from advocacy.services.settings import user_settings_update
from advocacy.services.shares import share_cancel, share_check, share_create

__all__ = [
    "account_connect_oauth",
    "account_connect_sandbox",
    "account_disconnect",
    "accounts_remind_expiring",
    "ambassador_opt_in",
    "ambassador_opt_out",
    "autoshare_active",
    "autoshare_grant",
    "autoshare_revoke",
    "autoshare_run",
    "click_record",
    "metrics_refresh",
    "queue_add",
    "queue_move_to_now",
    "queue_next_free_slots",
    "queue_pause",
    "queue_remove",
    "queue_reorder",
    "queue_resume",
    "queue_shares",
    "queue_slots_set",
    "queue_suggestions",
    "share_cancel",
    "share_check",
    "share_create",
    "share_publish",
    "share_reconcile",
    "shares_dispatch_due",
    "shares_retry_failed",
    "user_preferences_update",
    "user_settings_update",
    "visitor_salts_purge",
]
