"""How the rest of the product tells the reports that raw rows changed: whatever writes a
click, a metrics snapshot or a published share marks the share and its local day here, in
its own transaction, and the beat's refresh recounts what was marked (reports.services.refresh).
The one write of the reports that advocacy calls."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from reports.days import report_zone
from reports.models import ShareChange


def rollups_mark_changed(*, changes: Iterable[tuple[int, datetime]]) -> None:
    """Marks (share id, moment of the raw row) for the next refresh. Call it in the
    transaction that writes the raw rows."""
    zone = report_zone()
    pairs = {(share_id, timezone.localtime(moment, zone).date()) for share_id, moment in changes}
    ShareChange.objects.bulk_create([ShareChange(share_id=s, day=d) for s, d in sorted(pairs)])
