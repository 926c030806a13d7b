import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def _startup_checks() -> None:
    # A WSGI server (gunicorn, uwsgi) runs no system checks: the network setup's are logged
    # here, where an operator reads the web process's log (e.g. a retired LinkedIn version).
    # Imported here, after get_wsgi_application() has loaded Django's apps.
    from advocacy.networks.linkedin.checks import network_checks_log  # noqa: PLC0415

    try:
        network_checks_log(process="web")
    except Exception:  # a check must never keep the site from starting
        logging.getLogger(__name__).warning("start-up checks failed", exc_info=True)


_startup_checks()
