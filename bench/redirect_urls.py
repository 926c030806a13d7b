"""URLconf (and WSGI entry point) of bench/redirect.py: the project's URLs plus
/bench/bare/, a view returning the same redirect as /r/<code> without any lookup or counting,
so that the two can be compared on the same server.

    gunicorn bench.redirect_urls:application   (BENCH_REDIRECT_TO=<the share's destination>)
"""

import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.cache import never_cache  # noqa: E402
from django.views.decorators.http import require_safe  # noqa: E402

from config.urls import urlpatterns as project_urlpatterns  # noqa: E402

BARE_DESTINATION = os.environ.get("BENCH_REDIRECT_TO", "https://example.com/")


@never_cache
@require_safe
def bare_redirect(request: HttpRequest) -> HttpResponse:
    # The same response as advocacy.clicks.redirect.tracked_redirect, headers included.
    response = HttpResponseRedirect(BARE_DESTINATION)
    response["Referrer-Policy"] = "no-referrer-when-downgrade"
    response["X-Robots-Tag"] = "noindex"
    return response


urlpatterns = [path("bench/bare/", bare_redirect), *project_urlpatterns]

settings.ROOT_URLCONF = "bench.redirect_urls"
application = get_wsgi_application()
