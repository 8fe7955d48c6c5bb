"""Write the incidents a request deferred (a refusal that rolled its transaction back) once the request is done."""

import logging

from .services import _pending, flush_pending

logger = logging.getLogger("lvzhi")


class PendingIncidentsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _pending.set(())
        try:
            return self.get_response(request)
        finally:
            try:
                flush_pending()
            except Exception:  # noqa: BLE001  (an incident that cannot be written must not turn the answer into a 500)
                logger.exception("could not write a deferred security incident")
            _pending.reset(token)
