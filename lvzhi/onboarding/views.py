"""The onboarding pages of a body's office: upload a file, see its check (every row's problems), confirm, watch
the progress (the page refreshes itself while the job runs, no script needed), download the report, the templates
and the exports. Thin: parse, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from . import report, selectors, services
from .forms import ConfirmForm, UploadForm
from .models import ImportJob

PAGE_SIZE = 50


def _bodies(user):
    q = Q(pk__in=[])
    for kind in ImportJob.Kind.values:
        q |= Q(pk__in=perm.bodies(user, kind))
    return OrgUnit.objects.filter(q).order_by("path")


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    if not perm.may_onboard(request.user):
        raise NotFound()
    bodies = _bodies(request.user)
    kinds = [{"body": b, "kinds": [k for k in ImportJob.Kind if perm.may_import(request.user, b, k)]} for b in bodies]
    allowed = {k.value for row in kinds for k in row["kinds"]}
    form = UploadForm(request.POST or None, request.FILES or None, bodies=bodies, kinds=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.create_job(
                actor=request.user,
                body=data["body"],
                kind=data["kind"],
                upload=data["file"],
                replaces_term=data["replaces_term"],
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, str(exc.message))
        else:
            return redirect("onboarding:job", job.pk)
    page = Paginator(selectors.jobs_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "onboarding/index.html", {"form": form, "page": page, "bodies": kinds})


@login_required
@require_GET
def job(request, job_id):
    job = selectors.access_job(request.user, job_id)
    problems = Paginator(selectors.problems_of(job), PAGE_SIZE).get_page(request.GET.get("page"))
    running = job.status in (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING)
    return render(
        request,
        "onboarding/job.html",
        {"job": job, "problems": problems, "running": running, "confirm": ConfirmForm()},
    )


@login_required
@require_GET
def progress(request, job_id):
    """The counters alone (the page's script polls it; without script the page refreshes itself)."""
    job = selectors.access_job(request.user, job_id)
    return render(request, "onboarding/_progress.html", {"job": job})


@login_required
@require_POST
def confirm(request, job_id):
    job = selectors.access_job(request.user, job_id)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.confirm_job(actor=request.user, job=job, **form.cleaned_data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    return redirect("onboarding:job", job.pk)


@login_required
@require_POST
def cancel(request, job_id):
    job = selectors.access_job(request.user, job_id)
    try:
        services.cancel_job(actor=request.user, job=job)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    return redirect("onboarding:job", job.pk)


@login_required
@require_GET
def job_report(request, job_id):
    job = selectors.access_job(request.user, job_id)
    return _xlsx(report.report_workbook(job), f"onboarding-{job.pk}.xlsx")


def _body(request, body_id, kind):
    body = OrgUnit.objects.filter(pk=body_id).first()
    if body is None or kind not in ImportJob.Kind.values or not perm.may_import(request.user, body, kind):
        raise NotFound()
    return body


@login_required
@require_GET
def template(request, body_id, kind):
    body = _body(request, body_id, kind)
    return _xlsx(services.template_workbook(body=body, kind=kind), f"template-{kind}.xlsx")


@login_required
@require_GET
def export(request, body_id, kind):
    body = _body(request, body_id, kind)
    return _xlsx(services.export_workbook(actor=request.user, body=body, kind=kind), f"{kind}-{body.pk}.xlsx")
