"""Encryption at rest for network tokens.

Fernet (AES-128-CBC + HMAC-SHA256) from `cryptography`; MultiFernet makes key rotation possible:
the first key of TOKEN_ENCRYPTION_KEYS encrypts, all of them decrypt.
"""

from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "TOKEN_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(make one with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.TOKEN_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    try:
        return fernet().decrypt(value.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored token cannot be decrypted with any key in TOKEN_ENCRYPTION_KEYS."
        ) from exc


def reencrypt(value: str) -> str:
    """Re-encrypt a stored value under the current primary key."""
    return fernet().rotate(value.encode()).decode()


class EncryptedTextField(models.TextField[str, str]):
    """A text column that holds Fernet ciphertext; Python code only ever sees plain text.

    An empty string stays empty (no token), so "has a token" remains a cheap query.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(str(value))
