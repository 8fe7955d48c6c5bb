"""The one ninja API object under /api/v1/. Each app contributes a router from its own api.py."""

from ninja import NinjaAPI

from lvzhi.core.errors import ApplicationError

api = NinjaAPI(title="Lvzhi 履职 API", version="1", urls_namespace="api")


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


def _mount():
    from lvzhi.accounts.api import router as accounts_router
    from lvzhi.notify.api import router as notify_router
    from lvzhi.workdays.api import router as workdays_router

    api.add_router("/", accounts_router)
    api.add_router("/inbox", notify_router)
    api.add_router("/calendar", workdays_router)


_mount()
