import pytest
from cryptography.fernet import Fernet
from django.db import connection

from advocacy.models import NetworkAccount
from tests import factories

pytestmark = pytest.mark.django_db


def test_tokens_are_encrypted_in_the_database(ambassador_user):
    account = factories.sandbox_account(ambassador_user)
    token = account.access_token

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token FROM advocacy_networkaccount WHERE id = %s", [account.pk]
        )
        stored = cursor.fetchone()[0]

    assert token and token not in stored
    assert NetworkAccount.objects.get(pk=account.pk).access_token == token


def test_the_key_can_be_rotated_without_losing_accounts(ambassador_user, settings):
    from django.core.management import call_command

    from advocacy import crypto

    account = factories.sandbox_account(ambassador_user)
    token = account.access_token
    old_key = settings.TOKEN_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()

    settings.TOKEN_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_token_key")
    settings.TOKEN_ENCRYPTION_KEYS = [new_key]
    crypto._fernet.cache_clear()

    assert NetworkAccount.objects.get(pk=account.pk).access_token == token
