"""Re-encrypt every stored network token under the first key of TOKEN_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old one after it), run this command, then remove
the old key. Loading decrypts with any listed key; saving encrypts with the first.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from advocacy.models import NetworkAccount


class Command(BaseCommand):
    help = "Re-encrypt network tokens with the current primary key."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for pk in NetworkAccount.objects.values_list("pk", flat=True).iterator():
            with transaction.atomic():
                # Locked, so a token refresh running at the same time cannot be overwritten.
                account = NetworkAccount.objects.select_for_update().filter(pk=pk).first()
                if account is None:
                    continue
                account.save(update_fields=["access_token", "refresh_token"])
                count += 1
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted the tokens of {count} accounts."))
