"""The LinkedIn API versions this code knows, and when LinkedIn stops answering each one.

LinkedIn's REST API is versioned by month (the `LinkedIn-Version: YYYYMM` header) and each
version is supported "for a minimum of one year" before its sunset; after the sunset every
call with it is refused with `426 {"code": "NONEXISTENT_VERSION", "message": "Requested
version ... is not active"}`. The sunset dates are published on the migrations page:
https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations and the support
window on https://learn.microsoft.com/en-us/linkedin/marketing/versioning (both read on
2026-12-07). A version released but not yet on the migrations page gets an estimated sunset:
the first day of its month one year later, the earliest date the one-year promise allows.

When LinkedIn publishes new versions or sunsets, add them here (and move the default of
settings.LINKEDIN_VERSION to a version supported for at least six more months).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# How long before a sunset the system check starts warning.
WARN_BEFORE = timedelta(days=60)


@dataclass(frozen=True)
class LinkedInVersion:
    name: str  # the header value, YYYYMM
    sunset: date
    estimated: bool = False  # True: not yet on the migrations page, one year after release


def _estimated(name: str) -> LinkedInVersion:
    year, month = int(name[:4]), int(name[4:])
    return LinkedInVersion(name, date(year + 1, month, 1), estimated=True)


KNOWN_VERSIONS: dict[str, LinkedInVersion] = {
    version.name: version
    for version in (
        # Retired, for a clear message when one is still configured. 202501 to 202506: the
        # "Reminders" of https://learn.microsoft.com/en-us/linkedin/marketing/integrations/recent-changes
        LinkedInVersion("202501", date(2026, 1, 15)),
        LinkedInVersion("202502", date(2026, 2, 16)),
        LinkedInVersion("202503", date(2026, 3, 16)),
        LinkedInVersion("202504", date(2026, 4, 15)),
        LinkedInVersion("202505", date(2026, 5, 15)),
        LinkedInVersion("202506", date(2026, 6, 15)),
        # The deprecation notice on LinkedIn's pages: "202508 ... will be sunset on August
        # 17, 2026".
        LinkedInVersion("202508", date(2026, 8, 17)),
        # The migrations page's table (202512 was never released).
        LinkedInVersion("202510", date(2026, 10, 15)),
        LinkedInVersion("202511", date(2026, 11, 16)),
        LinkedInVersion("202601", date(2027, 1, 15)),
        LinkedInVersion("202602", date(2027, 2, 15)),
        LinkedInVersion("202603", date(2027, 3, 16)),
        # Not yet on the migrations page; seen quoted from it in n8n-io/n8n#39065 (2026-09-18).
        LinkedInVersion("202604", date(2027, 4, 15)),
        # Released, sunset not yet published: the recent-changes page lists them
        # (https://learn.microsoft.com/en-us/linkedin/marketing/integrations/recent-changes,
        # 202607 in July 2026), 202609 was the latest on 2026-09-18 (n8n-io/n8n#39065).
        _estimated("202605"),
        _estimated("202606"),
        _estimated("202607"),
        _estimated("202608"),
        _estimated("202609"),
    )
}


class VersionState(StrEnum):
    SUPPORTED = "supported"
    SUNSET_SOON = "sunset_soon"  # within WARN_BEFORE of its sunset
    RETIRED = "retired"  # on or after its sunset: LinkedIn refuses every call
    UNKNOWN = "unknown"  # not in KNOWN_VERSIONS


@dataclass(frozen=True)
class VersionStatus:
    name: str
    state: VersionState
    version: LinkedInVersion | None

    @property
    def sunset(self) -> date | None:
        return self.version.sunset if self.version else None


def version_status(name: str, *, today: date) -> VersionStatus:
    version = KNOWN_VERSIONS.get(name)
    if version is None:
        return VersionStatus(name, VersionState.UNKNOWN, None)
    if today >= version.sunset:
        state = VersionState.RETIRED
    elif today >= version.sunset - WARN_BEFORE:
        state = VersionState.SUNSET_SOON
    else:
        state = VersionState.SUPPORTED
    return VersionStatus(name, state, version)


def versions_supported(*, today: date) -> list[LinkedInVersion]:
    """The known versions LinkedIn still answers, latest sunset first."""
    alive = [v for v in KNOWN_VERSIONS.values() if v.sunset > today]
    return sorted(alive, key=lambda v: v.sunset, reverse=True)
