"""What a person sets for themselves: the time zone their times are read and shown in, and
how often they hear about new content."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from advocacy.models import DigestFrequency, User

# "localtime" is whatever zone this server is set to, and "Factory" is no real place.
NOT_A_PLACE = {"localtime", "Factory", "posixrules"}


@cache
def time_zone_names() -> list[str]:
    """The IANA zone names this machine knows, sorted (the installed tz database does not
    change while the process runs)."""
    return sorted(zoneinfo.available_timezones() - NOT_A_PLACE)


@transaction.atomic
def user_settings_update(
    *, user: User, time_zone: str | None = None, digest_frequency: str | None = None
) -> User:
    """None leaves a setting as it is. A new time zone changes how times are read and shown;
    shares already scheduled keep their moment."""
    changed = []
    if time_zone is not None:
        if time_zone not in time_zone_names():
            raise ValidationError(
                _("“%(value)s” is not a time zone (use a name like Europe/Amsterdam).")
                % {"value": time_zone},
                code="bad_time_zone",
            )
        user.time_zone = time_zone
        changed.append("time_zone")
    if digest_frequency is not None:
        if digest_frequency not in DigestFrequency.values:
            raise ValidationError(
                _("Choose how often to hear about new content: daily, weekly or off."),
                code="bad_digest_frequency",
            )
        user.digest_frequency = digest_frequency
        changed.append("digest_frequency")
    if changed:
        user.clean_fields(exclude=[f.name for f in User._meta.fields if f.name not in changed])
        user.save(update_fields=changed)
    return user
