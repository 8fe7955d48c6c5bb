"""The onboarding API at /api/v1/onboarding (bearer token or session), the page's actions for scripts and the
offices' tools: upload a file of a kind, read its check (problems, paginated), confirm it naming the rows left out,
poll the progress, cancel it, download the report, the templates and the exports. The same permissions as the
page (`permissions.py`): anything of a body the caller may not onboard answers 404. Errors are `{"code",
"message"}`: `file_size`, `file_invalid`, `header_missing`, `term_unknown`, `file_not_clean` (with
`detail.rows`), `job_not_checked`, `job_not_cancellable`, `exclude_rows_invalid`, `not_found`."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from . import report, selectors, services
from .models import ImportJob

router = Router(tags=["onboarding"], auth=token_auth)
PAGE_SIZE = 50
MAX_EXCLUDED = 50_000


def _job(job: ImportJob) -> dict:
    return {
        "id": job.pk,
        "body": job.body_id,
        "kind": job.kind,
        "status": job.status,
        "file_name": job.file_name,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "replaces_term": job.replaces_term,
        "percent": job.percent,
        "error": job.error,
        "rows": {
            "total": job.rows_total,
            "checked": job.rows_checked,
            "bad": job.rows_bad,
            "excluded": job.rows_excluded,
            "written": job.cursor,
            "created": job.rows_created,
            "updated": job.rows_updated,
            "unchanged": job.rows_unchanged,
            "failed": job.rows_failed,
            "left": job.rows_left,
        },
        "term": {"stays": job.term_stays, "leaves": job.term_leaves, "new": job.term_new},
    }


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _body(request, body_id: int, kind: str) -> OrgUnit:
    body = OrgUnit.objects.filter(pk=body_id).first()
    if body is None or kind not in ImportJob.Kind.values or not perm.may_import(request.user, body, kind):
        raise NotFound()
    return body


@router.get("/jobs", summary="The import jobs of the bodies the caller onboards (newest first)")
def jobs(request, page: int = 1):
    if not perm.may_onboard(request.user):
        raise NotFound()
    chunk = Paginator(selectors.jobs_for(request.user), PAGE_SIZE).get_page(page)
    return {"page": chunk.number, "count": chunk.paginator.count, "items": [_job(j) for j in chunk]}


@router.post("/jobs", response={201: dict}, summary="Upload a file of a kind (members, units, staff, proposals)")
def upload(
    request,
    file: File[UploadedFile],
    body: Form[int],
    kind: Form[str],
    replaces_term: Form[str] = "",
):
    target = _body(request, body, kind)
    job = services.create_job(actor=request.user, body=target, kind=kind, upload=file, replaces_term=replaces_term)
    return Status(201, _job(job))


@router.get("/jobs/{job_id}", summary="A job and its progress (rows checked, written, failed)")
def job(request, job_id: int):
    return _job(selectors.access_job(request.user, job_id))


@router.get("/jobs/{job_id}/problems", summary="The problems of the file's rows, in words for the office")
def problems(request, job_id: int, page: int = 1):
    chunk = Paginator(selectors.problems_of(selectors.access_job(request.user, job_id)), PAGE_SIZE).get_page(page)
    items = [
        {"row": p.row, "column": p.column, "code": p.code, "message": p.message, "excluded": p.excluded} for p in chunk
    ]
    return {"page": chunk.number, "count": chunk.paginator.count, "items": items}


class ConfirmIn(Schema):
    exclude_rows: list[int] = []
    send_sms: bool = False


@router.post("/jobs/{job_id}/confirm", summary="Import the checked file, naming every row left out")
def confirm(request, job_id: int, data: ConfirmIn):
    target = selectors.access_job(request.user, job_id)
    if len(data.exclude_rows) > MAX_EXCLUDED:
        raise ValidationFailed(code="exclude_rows_invalid")
    services.confirm_job(actor=request.user, job=target, exclude_rows=data.exclude_rows, send_sms=data.send_sms)
    return _job(selectors.access_job(request.user, job_id))


@router.post("/jobs/{job_id}/cancel", summary="Drop a checked file (its upload is deleted)")
def cancel(request, job_id: int):
    return _job(services.cancel_job(actor=request.user, job=selectors.access_job(request.user, job_id)))


@router.get("/jobs/{job_id}/report.xlsx", summary="The report: what each row became, the problems, the leavers")
def job_report(request, job_id: int):
    target = selectors.access_job(request.user, job_id)
    return _xlsx(report.report_workbook(target), f"onboarding-{target.pk}.xlsx")


@router.get("/bodies/{body_id}/{kind}/template.xlsx", summary="The empty template of a kind for a body")
def template(request, body_id: int, kind: str):
    body = _body(request, body_id, kind)
    return _xlsx(services.template_workbook(body=body, kind=kind), f"template-{kind}.xlsx")


@router.get("/bodies/{body_id}/{kind}/export.xlsx", summary="A body's list in the template's format (round trip)")
def export(request, body_id: int, kind: str):
    body = _body(request, body_id, kind)
    return _xlsx(services.export_workbook(actor=request.user, body=body, kind=kind), f"{kind}-{body.pk}.xlsx")
