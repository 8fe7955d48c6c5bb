"""The one ninja API object under /api/v1/. Each app contributes a router from its own api.py.

Every error is JSON `{"code": <stable>, "message": <for people>}`; clients switch on `code`.
"""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lvzhi.core.errors import ApplicationError

ERROR_STATUSES = {
    400: "Bad input (`code` names the field and problem, e.g. `title_too_long`, `nul_character`)",
    401: "Not logged in, or the token is invalid",
    403: "Not allowed",
    404: "Not found (also for what the user may not see)",
    409: "Changed meanwhile, or a duplicate",
    413: "The request body is too large",
    422: "The request does not match the schema",
    429: "Too many requests",
}
ERROR_SCHEMA = {
    "title": "ApiError",
    "type": "object",
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "detail": {}},
    "required": ["code", "message"],
}


class LvzhiAPI(NinjaAPI):
    """Every answer of the API is documented: each operation lists the error answers every endpoint can give
    (they come from the exception handlers below and `lvzhi.core.middleware.BadRequestMiddleware`)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, **ref})
        return schema


api = LvzhiAPI(title="Lvzhi 履职 API", version="1", urls_namespace="api")

HTTP_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}


def error_response(request, code: str, message, status: int, detail=None):
    body = {"code": code, "message": str(message)}
    if detail is not None:
        body["detail"] = detail
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    detail = [{"loc": list(e.get("loc", [])), "msg": e.get("msg", "")} for e in exc.errors]
    return error_response(request, "validation_failed", _("The data given is not valid."), 422, detail)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc: AuthenticationError):
    return error_response(request, "unauthorized", _("Please log in."), 401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error_response(request, "not_found", _("Not found."), 404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    code = HTTP_CODES.get(exc.status_code, "error")
    return error_response(request, code, exc, exc.status_code)


def _mount():
    # the routers import every app's models and schemas: mounted here, after this module defined the error handlers
    from lvzhi.accounts.api import router as accounts_router
    from lvzhi.backoffice.api import router as office_router
    from lvzhi.consultation.api import router as consultation_router
    from lvzhi.content.api import router as content_router
    from lvzhi.deliberation.api import router as deliberation_router
    from lvzhi.deputies.api import router as deputies_router
    from lvzhi.duty.api import router as duty_router
    from lvzhi.feedback.api import router as feedback_router
    from lvzhi.inspections.api import router as inspections_router
    from lvzhi.learning.api import router as learning_router
    from lvzhi.letters.api import router as letters_router
    from lvzhi.monitoring.api import router as monitoring_router
    from lvzhi.newmedia.api import router as newmedia_router
    from lvzhi.notify.api import router as notify_router
    from lvzhi.onboarding.api import router as onboarding_router
    from lvzhi.opinions.api import router as opinions_router
    from lvzhi.portal.api import router as portal_router
    from lvzhi.proposals.api import router as proposals_router
    from lvzhi.workdays.api import router as workdays_router

    api.add_router("/", accounts_router)
    api.add_router("/inbox", notify_router)
    api.add_router("/calendar", workdays_router)
    api.add_router("/content", content_router)
    api.add_router("/opinions", opinions_router)
    api.add_router("/proposals", proposals_router)
    api.add_router("/office", office_router)
    api.add_router("/duty", duty_router)
    api.add_router("/feedback", feedback_router)
    api.add_router("/deliberation", deliberation_router)
    api.add_router("/consultation", consultation_router)
    api.add_router("/newmedia", newmedia_router)
    api.add_router("/monitoring", monitoring_router)
    api.add_router("/inspections", inspections_router)
    api.add_router("/portal", portal_router)
    api.add_router("/letters", letters_router)
    api.add_router("/deputies", deputies_router)
    api.add_router("/learning", learning_router)
    api.add_router("/onboarding", onboarding_router)


_mount()


def not_found_json(request, *args, **kwargs):
    """Any /api/ path that no endpoint matches (e.g. `/api/v1/opinions/-1`): JSON, whatever DEBUG says."""

    return JsonResponse({"code": "not_found", "message": str(_("Not found."))}, status=404)
