"""Settings shared by every environment. Everything that differs between machines comes from
the environment (or a local, git-ignored `.env` file), never from the repository."""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

# Django's admin, form and field classes take a type argument for mypy (ModelAdmin[Team]);
# this lets them take it at runtime too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------------------
SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# The public base URL of this installation: tracked links (/r/<code>) and sandbox post links
# are built from it, because they are shown outside of any request (in posts, in emails).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_celery_beat",
    "django_htmx",
    # Connecting LinkedIn and X (advocacy/networks/): allauth's connect flow only.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.twitter_oauth2",
    "advocacy",
    "campaigns",
    "policy",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "advocacy.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "feed"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "advocacy.context_processors.roles",
                "advocacy.context_processors.network_notice",
                "advocacy.context_processors.network_pauses",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------
# SQLite is the embedded default (make demo); DATABASE_URL=postgres://... in production and CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat write concurrently: WAL lets readers go on, and
    # IMMEDIATE transactions take the write lock up front instead of failing half-way with
    # "database is locked" (https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6's default: a link typed without scheme is https

# --- Cache -------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Passwords, i18n, static -----------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Amsterdam")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Network tokens are encrypted at rest with Fernet. The first key encrypts, every key listed
# decrypts, so a key is rotated by putting a new one first and running
# `manage.py rotate_token_key` before the old one is removed.
TOKEN_ENCRYPTION_KEYS = env.list("TOKEN_ENCRYPTION_KEYS")

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Employee advocacy scheduler API",
    "DESCRIPTION": "Curate content, opt in, share to your own networks, and see the reach you earn.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Share.Status is used by several serializers; one name for its enum component.
    "ENUM_NAME_OVERRIDES": {"ShareStatusEnum": "advocacy.models.Share.Status"},
}

# --- Celery --------------------------------------------------------------------------------
# Embedded default: kombu's filesystem transport (no server to install). Production: Redis
# or RabbitMQ through CELERY_BROKER_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
CELERY_FILESYSTEM_BROKER_DIR = Path(
    env("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "broker"))
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR),
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "store_processed": False,
        # The transport polls its folder; the default (1 s) caps one worker at one share a
        # second (bench/dispatch.py measured a p99 lag of 243 s for 300 shares; 10 s at 0.1).
        "polling_interval": env.float("CELERY_FILESYSTEM_POLLING_INTERVAL", default=0.1),
    }
    for folder in (CELERY_FILESYSTEM_BROKER_DIR, CELERY_FILESYSTEM_BROKER_DIR / "control"):
        folder.mkdir(parents=True, exist_ok=True)
    # The filesystem transport has no fanout exchange, so remote control is off.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_IGNORE_RESULT = True  # the share row is the source of truth, not a result backend
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes the database connection before and after every task unless this
# is set: a new PostgreSQL connection per share (bench/fanout.py measured it as most of a
# worker's system time). The connection is reused for this many tasks, then reopened.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"advocacy.tasks.share_publish_task": {"queue": "publish"}}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Picks up shares whose time has come, whose retry is due, or whose message was lost.
    "dispatch-due-shares": {"task": "advocacy.tasks.shares_dispatch_due_task", "schedule": 10.0},
    "refresh-metrics": {"task": "advocacy.tasks.metrics_refresh_task", "schedule": 300.0},
    "auto-share": {"task": "advocacy.tasks.autoshare_run_task", "schedule": timedelta(hours=1)},
    "new-content-digests": {
        "task": "advocacy.tasks.digests_send_due_task",
        "schedule": timedelta(hours=1),
    },
    # Moves tracked-link clicks from the Redis stream into the database (no-op without Redis).
    "flush-clicks": {"task": "advocacy.tasks.clicks_flush_task", "schedule": 10.0},
    "purge-old-quota-counters": {
        "task": "advocacy.tasks.quota_counters_purge_task",
        "schedule": timedelta(hours=1),
    },
    # Brings the report rollups up to date: recounts the shares marked since the last run (a
    # full rebuild of yesterday and today on the first run of a day).
    "rebuild-report-rollups": {
        "task": "reports.tasks.rollups_refresh_task",
        "schedule": timedelta(minutes=2),
    },
    # Emails an ambassador once, days before a LinkedIn connection expires.
    "remind-expiring-connections": {
        "task": "advocacy.tasks.accounts_remind_expiring_task",
        "schedule": timedelta(hours=1),
    },
    # Emails each motivator their team's digest when due (weekly or monthly, as they chose).
    "team-digests": {
        "task": "reports.tasks.team_digests_send_due_task",
        "schedule": timedelta(hours=1),
    },
    "purge-old-visitor-salts": {
        "task": "advocacy.tasks.visitor_salts_purge_task",
        "schedule": timedelta(hours=6),
    },
}

# --- Product settings -----------------------------------------------------------------------
# Team digest webhooks: hosts allowed besides hooks.slack.com and *.webhook.office.com (the
# server makes the request, so any other host must be named here; comma-separated).
DIGEST_WEBHOOK_HOSTS = env.list("DIGEST_WEBHOOK_HOSTS", default=[])
# Tracked links (/r/<code>): how long a code's destination is cached, how long an unknown code
# is remembered as unknown, and the Redis stream that carries clicks to the flush.
CLICK_LINK_CACHE_SECONDS = env.int("CLICK_LINK_CACHE_SECONDS", default=300)
CLICK_LINK_NEGATIVE_SECONDS = env.int("CLICK_LINK_NEGATIVE_SECONDS", default=30)
CLICK_STREAM_KEY = env("CLICK_STREAM_KEY", default="advocacy:clicks")
CLICK_STREAM_MAXLEN = env.int("CLICK_STREAM_MAXLEN", default=5_000_000)
CLICK_FLUSH_MAX_BATCHES = env.int("CLICK_FLUSH_MAX_BATCHES", default=200)
# Each web process sends its clicks to the stream in batches, every CLICK_SPOOL_SECONDS or
# at CLICK_SPOOL_BATCH clicks (advocacy/clicks/spool.py). 0 sends each click in its request.
CLICK_SPOOL_SECONDS = env.float("CLICK_SPOOL_SECONDS", default=0.05)
CLICK_SPOOL_BATCH = env.int("CLICK_SPOOL_BATCH", default=500)
# A share enqueued this long ago but still "scheduled" lost its broker message: enqueue again.
SHARE_REENQUEUE_AFTER = timedelta(minutes=env.int("SHARE_REENQUEUE_AFTER_MINUTES", default=5))
# A share claimed ("publishing") for longer than this without an answer is marked "unknown".
SHARE_PUBLISHING_STALE_AFTER = timedelta(minutes=10)
SHARE_MAX_ATTEMPTS = 5
# An unknown share whose network could not be asked (unreachable) is looked up again after this.
SHARE_RECONCILE_AGAIN_AFTER = timedelta(minutes=1)
# A post's figures are read every METRICS_EARLY_EVERY in its first METRICS_EARLY_DAYS, then daily
# until METRICS_TRACK_DAYS, then never (advocacy/publishing/metrics.py).
METRICS_TRACK_DAYS = 30
METRICS_EARLY_DAYS = timedelta(days=2)
METRICS_EARLY_EVERY = timedelta(hours=1)
# Seconds the sandbox network waits before answering a post it has already stored.
SANDBOX_ANSWER_DELAY = env.float("SANDBOX_ANSWER_DELAY", default=0.0)

# --- Networks (X, LinkedIn) ----------------------------------------------------------------
# API hosts are settings so tests, development and benchmarks can point the providers at the
# local fake network (tests/fakenet). App credentials come from the environment only.
X_API_BASE_URL = env("X_API_BASE_URL", default="https://api.twitter.com").rstrip("/")
X_CLIENT_ID = env("X_CLIENT_ID", default="")
X_CLIENT_SECRET = env("X_CLIENT_SECRET", default="")
LINKEDIN_API_BASE_URL = env("LINKEDIN_API_BASE_URL", default="https://api.linkedin.com").rstrip("/")
# The LinkedIn API version sent with every call (the LinkedIn-Version header). LinkedIn supports
# each monthly version for at least a year, then answers 426 to every call: the versions this
# code knows and their sunsets are in advocacy/networks/linkedin/versions.py, and a system
# check (advocacy/networks/linkedin/checks.py) warns 60 days before the sunset and is an error after it. While
# LinkedIn refuses the version, LinkedIn shares wait (nothing fails) and staff get one email;
# change this and restart the web and worker processes, and they go out.
# 202607: released July 2026; its sunset is not yet on LinkedIn's migrations page (checked
# 2026-12-07: https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations),
# and LinkedIn's promise of at least a year puts it no earlier than 2027-07-01.
LINKEDIN_VERSION = env("LINKEDIN_VERSION", default="202607")
LINKEDIN_CLIENT_ID = env("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env("LINKEDIN_CLIENT_SECRET", default="")
# Posting quotas per network, per user and per app, counted across all workers (Redis, or the
# database without REDIS_URL): {network: {"user"|"app": [[limit, window seconds], ...]}}. A
# share that would go past one waits for the window to end instead of being refused. Defaults
# are the networks' documented posting limits; check your app's console for yours:
# X https://docs.x.com/x-api/fundamentals/rate-limits (POST /2/tweets: 100 per 15 minutes per
# user, 10,000 per 24 hours per app); LinkedIn, Share on LinkedIn: 150 posts per member and
# 100,000 per app per day, reset at midnight UTC
# (https://learn.microsoft.com/linkedin/shared/api-guide/concepts/rate-limits).
NETWORK_QUOTAS = env.json(
    "NETWORK_QUOTAS",
    default={
        "x": {"user": [[100, 900]], "app": [[10_000, 86_400]]},
        "linkedin": {"user": [[150, 86_400]], "app": [[100_000, 86_400]]},
    },
)
# A post sent in a window's last QUOTA_WINDOW_GUARD counts in the next window as well: it might
# reach the network after the network's window turned.
QUOTA_WINDOW_GUARD = timedelta(seconds=env.float("QUOTA_WINDOW_GUARD_SECONDS", default=2.0))
# What one post costs, in the currency of the budget, on a network that bills per post. X
# bills a post with a link (every share carries its tracked link) at about $0.20.
NETWORK_POST_COSTS = env.json("NETWORK_POST_COSTS", default={"x": "0.20"})
# A share held back by a spent budget looks again this often (marketing may raise it).
BUDGET_RECHECK_AFTER = timedelta(hours=1)
# X answers 402 when the app's pay-per-use credits are spent: X shares wait, marketing is told
# once, and they are tried again after this long (or at once from "Credits topped up").
X_CREDITS_RECHECK_AFTER = timedelta(minutes=env.int("X_CREDITS_RECHECK_AFTER_MINUTES", default=60))
# A 429 that does not say which limit it is (LinkedIn's: its daily limits and its short
# "infrastructure protection" answer look alike) is retried this many times after a short
# back-off (RATE_LIMIT_SHORT_WAIT, doubling), before the share waits for the daily reset.
RATE_LIMIT_SHORT_RETRIES = env.int("RATE_LIMIT_SHORT_RETRIES", default=3)
RATE_LIMIT_SHORT_WAIT = timedelta(seconds=env.int("RATE_LIMIT_SHORT_WAIT_SECONDS", default=120))
# Connecting accounts (advocacy/networks/, django-allauth's connect flow). X's authorize page
# and LinkedIn's OpenID Connect server are settings so tests can use the local fake network;
# X's token and profile endpoints follow X_API_BASE_URL.
X_AUTHORIZE_URL = env("X_AUTHORIZE_URL", default="https://x.com/i/oauth2/authorize")
LINKEDIN_OIDC_URL = env("LINKEDIN_OIDC_URL", default="https://www.linkedin.com/oauth").rstrip("/")
# An ambassador is warned (health, banner, one email) this many days before a connection
# without refresh token (LinkedIn self-serve apps: 60-day tokens) expires.
NETWORK_EXPIRY_WARNING_DAYS = env.int("NETWORK_EXPIRY_WARNING_DAYS", default=10)


def social_providers(
    *,
    linkedin_client_id: str,
    linkedin_secret: str,
    linkedin_oidc_url: str,
    x_client_id: str,
    x_secret: str,
) -> dict[str, dict[str, object]]:
    """allauth's apps, from the environment only (no SocialApp rows, no secrets in the
    database). A network without a client id has no app: its Connect button says so."""
    linkedin = {
        "provider_id": "linkedin",
        "name": "LinkedIn",
        "client_id": linkedin_client_id,
        "secret": linkedin_secret,
        "settings": {
            "server_url": linkedin_oidc_url,
            "scope": ["openid", "profile", "email", "w_member_social"],
            "token_auth_method": "client_secret_post",
        },
    }
    x = {"client_id": x_client_id, "secret": x_secret}
    return {
        "openid_connect": {
            "provider_class": "advocacy.networks.linkedin.connect.provider.LinkedInConnectProvider",
            "APPS": [linkedin] if linkedin_client_id else [],
        },
        "twitter_oauth2": {
            "provider_class": "advocacy.networks.x.connect.provider.XConnectProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [x] if x_client_id else [],
        },
    }


SOCIALACCOUNT_PROVIDERS = social_providers(
    linkedin_client_id=LINKEDIN_CLIENT_ID,
    linkedin_secret=LINKEDIN_CLIENT_SECRET,
    linkedin_oidc_url=LINKEDIN_OIDC_URL,
    x_client_id=X_CLIENT_ID,
    x_secret=X_CLIENT_SECRET,
)
SOCIALACCOUNT_ADAPTER = "advocacy.networks.adapters.SocialAccountAdapter"
ACCOUNT_ADAPTER = "advocacy.networks.adapters.AccountAdapter"
# Tokens live encrypted in NetworkAccount only; allauth would keep them in plain text.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_QUERY_EMAIL = False
# The callback URLs allauth hands to the networks use SITE_URL's scheme (behind a proxy the
# request may look like plain http).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"

# (connect, read) seconds for every outbound call to a network (advocacy/networks/http.py).
PROVIDER_CONNECT_TIMEOUT = env.float("PROVIDER_CONNECT_TIMEOUT", default=5.0)
PROVIDER_READ_TIMEOUT = env.float("PROVIDER_READ_TIMEOUT", default=20.0)

# System checks an operator has looked at and chooses to silence, by id (comma-separated),
# e.g. advocacy.W001 for "the LinkedIn API version retires within 60 days" (advocacy/networks/linkedin/checks.py).
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="advocacy@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
