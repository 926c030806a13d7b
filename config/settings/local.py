"""Local development and `make demo`: SQLite, filesystem broker, console email."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
