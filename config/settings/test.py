"""Tests: SQLite in a file (so a separately started worker sees the same database) unless
DATABASE_URL points at PostgreSQL, as it does in CI. Secrets are made up per run and handed to
child processes (the end-to-end worker) through the environment."""

import os
import secrets
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

# token_urlsafe: django-environ reads a value starting with "$" as a reference to another variable.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("TOKEN_ENCRYPTION_KEYS", Fernet.generate_key().decode())
if "CELERY_FILESYSTEM_BROKER_DIR" not in os.environ:  # child processes inherit the parent's
    os.environ["CELERY_FILESYSTEM_BROKER_DIR"] = tempfile.mkdtemp(prefix="advocacy-broker-")

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, VAR_DIR

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # a fresh clone has no var/ until `make demo` made one
    # One file per test run (runs may overlap); child processes inherit the name.
    os.environ.setdefault("TEST_SQLITE_NAME", str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3"))
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_SQLITE_NAME"]}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files kept in memory are the test process's own. An end-to-end test whose separately started
# worker must read a stored file (a share's photo) sets TEST_MEDIA_ROOT for both processes.
if os.environ.get("TEST_MEDIA_ROOT"):
    MEDIA_ROOT = Path(os.environ["TEST_MEDIA_ROOT"])
    STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# An end-to-end test reads the emails its separately started worker sends from files there.
if os.environ.get("TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
# Each click goes to the stream within its request, so that a test finds it there at once;
# the spool's own tests (and bench/redirect) turn the spool on.
CLICK_SPOOL_SECONDS = float(os.environ.get("CLICK_SPOOL_SECONDS", "0"))
