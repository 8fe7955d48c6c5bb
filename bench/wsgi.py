"""WSGI entry of `make bench`: Lvzhi (`lvzhi.wsgi`) with the bare page (`bench.bare`) at /bench/bare/.

    gunicorn bench.wsgi -w 2        granian --interface wsgi bench.wsgi:application

Same process, settings, database, cache and session engine for both; see bench/bare.py.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")

from bench.bare import BARE_PATH, BareHandler  # noqa: E402
from lvzhi.wsgi import application as lvzhi_application  # noqa: E402  (sets Django up)

bare_application = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_application(environ, start_response)
    return lvzhi_application(environ, start_response)
