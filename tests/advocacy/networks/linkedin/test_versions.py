"""The LinkedIn API version has a life cycle: the shipped default is supported for months,
the system check warns 60 days before the configured version's sunset and is an error after
it, an unknown version is a warning, and the processes say so when they start."""

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from advocacy.models import NetworkPause
from advocacy.networks.linkedin.checks import (
    RETIRED,
    RETIRED_UNUSED,
    SUNSET_SOON,
    TAG,
    UNKNOWN_VERSION,
    network_checks_log,
)
from advocacy.networks.linkedin.versions import KNOWN_VERSIONS, VersionState, version_status
from config.celery_app import _startup_checks
from config.settings import base

# The estimated sunset of the default, 202607: one year after its release month.
DEFAULT_SUNSET = datetime(2027, 7, 1, 12, 0)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    """The day the versions were checked on LinkedIn's migrations page; a test that needs
    another day travels further."""
    with time_machine.travel(datetime(2026, 12, 7, 12, 0)):
        yield


def network_checks() -> list[checks.CheckMessage]:
    return checks.run_checks(tags=[TAG])


def test_the_shipped_default_is_supported_for_at_least_six_months_from_today() -> None:
    # Today is 2026-12-07 (the date the versions were checked on LinkedIn's migrations page).
    default = KNOWN_VERSIONS[base.LINKEDIN_VERSION]

    assert default.sunset >= date(2026, 12, 7) + timedelta(days=182)
    assert version_status(base.LINKEDIN_VERSION, today=date(2026, 12, 7)).state == (
        VersionState.SUPPORTED
    )


def test_estimated_sunsets_keep_linkedins_promise_of_a_year_and_no_more() -> None:
    for version in KNOWN_VERSIONS.values():
        released = date(int(version.name[:4]), int(version.name[4:]), 1)
        if version.estimated:
            assert version.sunset == released.replace(year=released.year + 1)
        else:  # published sunsets are a year after the release month, mid-month
            assert released.replace(year=released.year + 1) < version.sunset
            assert version.sunset < released.replace(year=released.year + 1) + timedelta(days=31)


def test_the_check_is_quiet_today_so_the_demo_and_the_tests_run() -> None:
    assert network_checks() == []
    call_command("check")  # raises SystemCheckError on an Error


def test_it_warns_60_days_before_the_sunset_of_the_configured_version() -> None:
    with time_machine.travel(DEFAULT_SUNSET - timedelta(days=61)):
        assert network_checks() == []
    with time_machine.travel(DEFAULT_SUNSET - timedelta(days=59)):
        (warning,) = network_checks()

    assert warning.level == checks.WARNING
    assert warning.id == SUNSET_SOON
    assert "202607" in warning.msg and "2027-07-01" in warning.msg
    assert "estimated" in warning.msg
    assert "restart the web and worker processes" in (warning.hint or "")


@override_settings(LINKEDIN_VERSION="202603")
def test_a_published_sunset_is_not_called_estimated() -> None:
    with time_machine.travel(datetime(2027, 3, 1)):
        (warning,) = network_checks()

    assert "2027-03-16" in warning.msg and "estimated" not in warning.msg


@override_settings(LINKEDIN_CLIENT_ID="li-client")
def test_after_the_sunset_it_is_an_error_that_stops_manage_py_check() -> None:
    with time_machine.travel(DEFAULT_SUNSET + timedelta(days=1)):
        (error,) = network_checks()
        with pytest.raises(SystemCheckError, match=r"advocacy\.E001"):
            call_command("check")

    assert error.level == checks.ERROR and error.id == RETIRED
    assert "LinkedIn retired API version 202607" in error.msg


@override_settings(LINKEDIN_CLIENT_ID="", LINKEDIN_VERSION="202607")
def test_without_a_linkedin_app_a_retired_version_only_warns_so_the_demo_runs() -> None:
    with time_machine.travel(DEFAULT_SUNSET + timedelta(days=1)):
        (warning,) = network_checks()
        call_command("check")  # no SystemCheckError

    assert warning.level == checks.WARNING and warning.id == RETIRED_UNUSED
    assert "LinkedIn retired API version 202607" in warning.msg


@override_settings(LINKEDIN_CLIENT_ID="li-client", LINKEDIN_VERSION="202510")
def test_the_version_retired_on_2026_10_15_is_an_error_today() -> None:
    with time_machine.travel(datetime(2026, 12, 7, 12, tzinfo=UTC)):
        (error,) = network_checks()

    assert error.id == RETIRED
    assert "2026-10-15" in error.msg
    # The advice names a version that works, with how long it does.
    assert "for example 202609, supported until at least 2027-09-01" in (error.hint or "")


@override_settings(LINKEDIN_VERSION="202699")
def test_an_unknown_version_is_a_warning_saying_so() -> None:
    (warning,) = network_checks()

    assert warning.level == checks.WARNING and warning.id == UNKNOWN_VERSION
    assert "202699" in warning.msg and "does not know" in warning.msg


@override_settings(
    LINKEDIN_CLIENT_ID="li-client", LINKEDIN_VERSION="202510", SILENCED_SYSTEM_CHECKS=[RETIRED]
)
def test_an_operator_can_silence_the_check_by_its_id() -> None:
    call_command("check")  # no SystemCheckError


@override_settings(LINKEDIN_CLIENT_ID="li-client", LINKEDIN_VERSION="202510")
def test_a_starting_process_logs_a_retired_version_as_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="advocacy.networks.linkedin.checks"):
        network_checks_log(process="worker")

    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert "worker start: advocacy.E001" in record.getMessage()
    assert "202510" in record.getMessage()


@pytest.mark.django_db
def test_a_worker_started_with_another_version_lifts_the_version_pause() -> None:
    NetworkPause.objects.create(
        network="linkedin",
        reason="api_version",
        detail="202510",
        started_at=datetime(2026, 12, 1, tzinfo=UTC),
    )

    with override_settings(LINKEDIN_VERSION="202510"):
        _startup_checks()
        assert NetworkPause.objects.exists()  # same version: still refused
    _startup_checks()  # restarted with settings.LINKEDIN_VERSION

    assert settings.LINKEDIN_VERSION == "202607"
    assert not NetworkPause.objects.exists()
