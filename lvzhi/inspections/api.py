"""The inspections API at /api/v1/inspections (bearer token or session): self-inspections with their steps, rounds
with scoring and publication, findings with their steps, the year's assessments, and the public results (no
login). Errors are `{"code", "message"}`; what a user may not see answers 404."""

import json

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_date, query_year
from lvzhi.orgs.models import OrgUnit

from . import actions, exchange, present, selectors, services
from . import permissions as perm
from .models import Assessment, Round

router = Router(tags=["inspections"], auth=token_auth)


class InspectionStepIn(Schema):
    text: str = ""


class RoundIn(Schema):
    office: int
    kind: str
    year: int
    period: int
    checked_on: str  # YYYY-MM-DD
    title: str = ""
    outlet_ids: list[int] = []


class InspectionItemIn(Schema):
    deduction: str = "0"
    veto: bool = False
    note: str = ""


class ScoreIn(Schema):
    items: dict[str, InspectionItemIn] = {}


def _member(request):
    if not perm.is_inspections_user(request.user):
        raise NotFound()


def _page(page_obj, fn) -> dict:
    return {"page": page_obj.number, "pages": page_obj.paginator.num_pages, "items": [fn(x) for x in page_obj]}


@router.get("/self")
def self_list(request, page: int = 1, status: str = ""):
    _member(request)
    return _page(selectors.self_inspections(request.user, page=page, status=status), present.self_dict)


@router.get("/self/{report_id}")
def self_one(request, report_id: int):
    report = selectors.access_self(request.user, report_id)
    data = present.self_dict(report, actions.SELF_STEPS.available(request.user, report))
    data["history"] = present.self_history(report)
    return data


@router.post("/self/{report_id}/steps/{name}")
def self_step(request, report_id: int, name: str, payload: InspectionStepIn):
    report = selectors.access_self(request.user, report_id)
    actions.SELF_STEPS.perform(actor=request.user, obj=report, name=name, data=payload.dict())
    report = selectors.access_self(request.user, report_id)
    return present.self_dict(report, actions.SELF_STEPS.available(request.user, report))


@router.get("/rounds")
def round_list(request, page: int = 1):
    _member(request)
    return _page(selectors.rounds(request.user, page=page), present.round_dict)


@router.post("/rounds")
def round_create(request, payload: RoundIn):
    office = OrgUnit.objects.filter(pk=payload.office).first()
    if office is None:
        raise NotFound()
    obj = services.create_round(
        actor=request.user,
        office=office,
        kind=payload.kind,
        year=payload.year,
        period=payload.period,
        checked_on=query_date(payload.checked_on),
        title=payload.title,
        outlet_ids=payload.outlet_ids or None,
    )
    return present.round_dict(obj, selectors.checks_of(obj))


@router.get("/rounds/{round_id}")
def round_one(request, round_id: int):
    obj = selectors.access_round(request.user, round_id)
    return present.round_dict(obj, selectors.checks_of(obj), actions.ROUND_STEPS.available(request.user, obj))


@router.post("/rounds/{round_id}/steps/{name}")
def round_step(request, round_id: int, name: str, payload: InspectionStepIn):
    obj = selectors.access_round(request.user, round_id)
    actions.ROUND_STEPS.perform(actor=request.user, obj=obj, name=name, data=payload.dict())
    obj = selectors.access_round(request.user, round_id)
    return present.round_dict(obj, selectors.checks_of(obj), actions.ROUND_STEPS.available(request.user, obj))


@router.post("/checks/{check_id}/score")
def score(request, check_id: int, payload: ScoreIn):
    check = selectors.access_check(request.user, check_id)
    items = {code: item.dict() for code, item in payload.items.items()}
    return present.check_dict(services.score_outlet(actor=request.user, check=check, items=items))


@router.get("/fixes")
def fix_list(request, page: int = 1, state: str = ""):
    _member(request)
    return _page(selectors.fixes(request.user, page=page, state=state), present.fix_dict)


@router.get("/fixes/{fix_id}")
def fix_one(request, fix_id: int):
    fix = selectors.access_fix(request.user, fix_id)
    data = present.fix_dict(fix, actions.FIX_STEPS.available(request.user, fix))
    data["history"] = present.fix_history(fix)
    return data


@router.post("/fixes/{fix_id}/steps/{name}")
def fix_step(request, fix_id: int, name: str, payload: InspectionStepIn):
    fix = selectors.access_fix(request.user, fix_id)
    actions.FIX_STEPS.perform(actor=request.user, obj=fix, name=name, data=payload.dict())
    fix = selectors.access_fix(request.user, fix_id)
    return present.fix_dict(fix, actions.FIX_STEPS.available(request.user, fix))


@router.get("/assessments")
def assessment_list(request, year: int, page: int = 1):
    _member(request)
    return _page(selectors.assessments(request.user, year=year, page=page), present.assessment_dict)


@router.get("/public/rounds/{round_id}", auth=None)
def public_round(request, round_id: int):
    obj = Round.objects.filter(pk=round_id, status=Round.Status.PUBLISHED).select_related("version").first()
    if obj is None:
        raise NotFound()
    return present.round_dict(obj, selectors.checks_of(obj))


@router.get("/public/assessments", auth=None)
def public_assessments(request, office: int, year: int, page: int = 1):
    year = query_year(year)
    qs = Assessment.objects.filter(office_id=office, year=year, published_at__isnull=False)
    qs = qs.select_related("outlet", "unit", "version").order_by("unit__path", "outlet_id")
    return _page(Paginator(qs, 100).get_page(page), present.assessment_dict)


@router.get("/registry/export")
def registry_export(request, office: int):
    unit = OrgUnit.objects.filter(pk=office).first()
    if unit is None:
        raise NotFound()
    return exchange.export_registry(actor=request.user, office=unit)


@router.post("/registry/reconcile")
def registry_reconcile(request, office: int):
    unit = OrgUnit.objects.filter(pk=office).first()
    if unit is None or len(request.body) > 5_000_000:
        raise NotFound()
    try:
        document = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        document = None
    return exchange.reconcile(actor=request.user, office=unit, document=document)
