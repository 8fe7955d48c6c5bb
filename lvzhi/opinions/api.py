"""The public-opinion reports API at /api/v1/opinions (bearer token or session).

The member writes, submits, follows and rates reports; staff read their queue, take steps
(`POST /{id}/steps/{step}`, the same table as the web page: `actions.STEPS`) and read statistics. Errors are
`{"code", "message"}` JSON with stable codes (e.g. `invalid_category`, `transition_not_allowed`, `already_rated`).
"""

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpResponse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.params import QueryDate, QueryId
from lvzhi.core.uploads import file_response

from . import actions, exports, present, rules, selectors, services
from .models import HOTLINE_CATEGORIES, Category
from .permissions import may_see_statistics, may_use_queue

router = Router(tags=["opinions"], auth=token_auth)


class Error(Schema):
    code: str
    message: str


class Choice(Schema):
    value: str
    label: str
    hotline: bool = False


class OpinionUnitOut(Schema):
    id: int
    name: str


class ReportBase(Schema):
    id: int
    reference: str
    title: str
    category: str
    category_label: str
    status: str
    status_label: str
    author: str
    committee: OpinionUnitOut | None
    submitted_at: dt.datetime | None
    last_submitted_at: dt.datetime | None
    answered_at: dt.datetime | None
    satisfaction: str
    round: int


class ReportRow(ReportBase):
    due_at: dt.datetime | None = None

    @staticmethod
    def resolve_category_label(obj) -> str:
        return str(obj.get_category_display()) if obj.category else ""

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.real_name

    @staticmethod
    def resolve_committee(obj):
        return {"id": obj.committee.pk, "name": obj.committee.name} if obj.committee_id else None

    @staticmethod
    def resolve_due_at(obj):
        return obj.next_due_at


class ReportPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ReportRow]


class EventOut(Schema):
    step: str
    label: str
    to_state: str
    actor: str
    at: dt.datetime
    comment: str


class UpdateOut(Schema):
    text: str
    unit: str
    at: dt.datetime


class OpinionMessageOut(Schema):
    kind: str
    author: str
    text: str
    at: dt.datetime


class OpinionDeadlineOut(Schema):
    kind: str
    responsible: str
    last_day: dt.date
    due_at: dt.datetime
    met_at: dt.datetime | None
    paused: bool


class OpinionAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    width: int
    height: int
    url: str


class OpinionReportOut(ReportBase):
    content: str
    location: str
    hotline: OpinionUnitOut | None
    co_reporters: list[OpinionUnitOut]
    result: str
    answer: str
    proposal_id: int | None
    history: list[EventOut]
    updates: list[UpdateOut]
    thread: list[OpinionMessageOut]
    deadlines: list[OpinionDeadlineOut]
    attachments: list[OpinionAttachmentOut]
    steps: list[str]


class OpinionReportIn(Schema):
    title: str = Field("", max_length=20_000)  # a size bound only: the service names the real limit
    content: str = Field("", max_length=50_000)
    category: str = Field("", max_length=50)
    location: str = Field("", max_length=1000)
    co_reporter_ids: list[int] = Field(default_factory=list, max_length=50)
    submit: bool = False


class StepIn(Schema):
    text: str = Field("", max_length=20_000)
    category: str = Field("", max_length=50)
    committee: int | None = None
    level: str = Field("", max_length=20)
    title: str = Field("", max_length=20_000)  # a size bound only: the service names the real limit
    leader: int | None = None  # instruct / correct_instruction: the leader (default: the actor, if a leader)
    day: str = Field("", max_length=20)  # instruct / correct_instruction: the date of the instruction, ISO
    instruction: int | None = None  # correct_instruction / withdraw_instruction: which instruction


class OpinionPageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)


class OpinionMineQuery(OpinionPageQuery):
    tab: str = Field("mine", max_length=10)


class OpinionQueueQuery(OpinionPageQuery):
    state: str = Field("open", max_length=10)
    status: str = Field("", max_length=20)
    category: str = Field("", max_length=30)
    committee: QueryId | None = None
    q: str = Field("", max_length=100)
    date_from: QueryDate | None = None
    date_to: QueryDate | None = None


class PeriodQuery(Schema):
    date_from: QueryDate | None = None
    date_to: QueryDate | None = None


class StatRow(Schema):
    committee: OpinionUnitOut
    received: int
    forwarded: int
    forwarded_on_time: int
    handled: int
    closed: int
    avg_route: float | None
    avg_handle: float | None
    avg_feedback: float | None
    avg_total: float | None
    rated: int
    satisfied: int
    basically: int
    unsatisfied: int
    overdue: int


class StatsOut(Schema):
    date_from: dt.date
    date_to: dt.date
    rows: list[StatRow]


def _page(qs, number):
    paginator = Paginator(qs, rules.PAGE_SIZE)
    page = paginator.get_page(number)
    return {"count": paginator.count, "page": page.number, "pages": paginator.num_pages, "items": list(page)}


@router.get("/categories", response=list[Choice], summary="The categories; `hotline` marks the hotline kinds")
def categories(request):
    return [{"value": c.value, "label": str(c.label), "hotline": c in HOTLINE_CATEGORIES} for c in Category]


@router.get("/mine", response=ReportPage, summary="The user's reports (tab: mine, drafts, co)")
def mine(request, query: Query[OpinionMineQuery]):
    tab = query.tab if query.tab in selectors.MY_TABS else "mine"
    return _page(selectors.my_reports(request.auth, tab=tab), query.page)


@router.post("", response={201: OpinionReportOut, 400: Error, 403: Error, 409: Error}, summary="Write a report (draft)")
def create(request, payload: OpinionReportIn):
    report = services.create_report(
        actor=request.auth,
        title=payload.title,
        content=payload.content,
        category=payload.category,
        location=payload.location,
        co_reporter_ids=payload.co_reporter_ids,
        submit=payload.submit,
    )
    return Status(201, present.report_json(request.auth, selectors.access_report(request.auth, report.pk)))


@router.get("/queue", response=ReportPage, summary="The staff work queue (open: overdue and due soon first)")
def work_queue(request, query: Query[OpinionQueueQuery]):
    if not may_use_queue(request.auth):
        raise NotFound()
    params = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in query.dict().items() if v is not None}
    return _page(selectors.queue(request.auth, selectors.parse_queue_filters(params)), query.page)


@router.get("/queue.xlsx", summary="The filtered queue as an Excel workbook")
def work_queue_xlsx(request, query: Query[OpinionQueueQuery]):
    if not may_use_queue(request.auth):
        raise NotFound()
    params = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in query.dict().items() if v is not None}
    filters = selectors.parse_queue_filters(params)
    data, count = exports.queue_workbook(selectors.queue(request.auth, filters))
    services.log_export(actor=request.auth, what="queue", count=count, filters=filters.as_dict)
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="opinions.xlsx"'
    return response


@router.get("/statistics", response=StatsOut, summary="Per committee and period (default: this year)")
def statistics(request, query: Query[PeriodQuery]):
    if not may_see_statistics(request.auth):
        raise NotFound()
    params = {k: v.isoformat() for k, v in query.dict().items() if v is not None}
    period = selectors.parse_period(params)
    rows = selectors.statistics(selectors.statistics_units(request.auth), period)
    for row in rows:
        row["committee"] = {"id": row["unit"].pk, "name": row["unit"].name}
    return {"date_from": period.date_from, "date_to": period.date_to, "rows": rows}


@router.get("/{int:report_id}", response=OpinionReportOut, summary="One report with its history, updates and thread")
def detail(request, report_id: int):
    return present.report_json(request.auth, selectors.access_report(request.auth, report_id))


@router.put("/{int:report_id}", response={200: OpinionReportOut, 400: Error, 404: Error, 409: Error}, summary="Change")
def change(request, report_id: int, payload: OpinionReportIn):
    report = selectors.access_report(request.auth, report_id)
    report = services.save_report(
        actor=request.auth,
        title=payload.title,
        content=payload.content,
        category=payload.category,
        location=payload.location,
        co_reporter_ids=payload.co_reporter_ids,
        report=report,
    )
    if payload.submit:
        report = services.submit_report(actor=request.auth, report=report)
    return present.report_json(request.auth, selectors.access_report(request.auth, report.pk))


@router.delete("/{int:report_id}", response={204: None, 404: Error, 409: Error}, summary="Delete a draft")
def delete(request, report_id: int):
    services.discard_draft(actor=request.auth, report=selectors.access_report(request.auth, report_id))
    return Status(204, None)


@router.post("/{int:report_id}/submit", response={200: OpinionReportOut, 400: Error, 404: Error, 409: Error})
def submit(request, report_id: int):
    report = services.submit_report(actor=request.auth, report=selectors.access_report(request.auth, report_id))
    return present.report_json(request.auth, selectors.access_report(request.auth, report.pk))


@router.post("/{int:report_id}/attachments", response={201: OpinionAttachmentOut, 400: Error, 404: Error, 409: Error})
def upload(request, report_id: int, file: File[UploadedFile]):
    report = selectors.access_report(request.auth, report_id)
    item = services.add_attachment(actor=request.auth, report=report, upload=file)
    return Status(
        201,
        {
            "id": item.pk,
            "name": item.name,
            "content_type": item.content_type,
            "size": item.size,
            "width": item.width,
            "height": item.height,
            "url": f"/api/v1/opinions/{report.pk}/attachments/{item.pk}",
        },
    )


@router.get("/{int:report_id}/attachments/{int:attachment_id}", summary="A photo")
def attachment(request, report_id: int, attachment_id: int):
    item = selectors.access_attachment(request.auth, report_id, attachment_id)
    return file_response(item.file, filename=item.name, content_type=item.content_type)


@router.post(
    "/{int:report_id}/steps/{step}",
    response={200: OpinionReportOut, 400: Error, 403: Error, 404: Error, 409: Error},
    summary="Take a step (accept, forward, return, transfer, answer, rate …)",
)
def take_step(request, report_id: int, step: str, payload: StepIn):
    report = selectors.access_report(request.auth, report_id)
    actions.perform(actor=request.auth, report=report, name=step, data=payload.dict())
    try:
        return present.report_json(request.auth, selectors.access_report(request.auth, report_id))
    except NotFound:
        return present.report_json(request.auth, report)
