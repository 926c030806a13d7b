from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _


def validate_http_url(value: str) -> None:
    """Only http(s) links: a javascript:, data: or file: link must never reach a post or a
    redirect."""
    scheme = urlsplit(value.strip()).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(
            _("Only http:// and https:// links can be shared (this one starts with “%(scheme)s:”).")
            % {"scheme": scheme or _("nothing")},
            code="bad_link_scheme",
        )
    URLValidator(schemes=["http", "https"], message=_("This is not a valid web address."))(value)


class HttpURLField(models.URLField[str, str]):
    """A URL column that accepts only http(s) links, with one clear message for the rest."""

    default_validators = [validate_http_url]
