"""The public messages API at /api/v1/letters. Without login: ask for an SMS code, write a message, follow it by its
code, search the published answers. With a token or session: the handler's queue, one message and its steps (the
same step table as the web page). Errors are `{"code", "message"}`."""

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.netaddr import client_ip
from lvzhi.deputies import selectors as deputies
from lvzhi.newmedia import selectors as newmedia

from . import actions, rules, selectors, services
from .present import for_writer, present, public_entry

router = Router(tags=["letters"], auth=token_auth)


class CodeIn(Schema):
    phone: str
    captcha_token: str = ""
    captcha: str = ""


class LetterCaptchaOut(Schema):
    required: bool
    token: str = ""
    question: str = ""


class LetterIn(Schema):
    kind: str
    title: str
    text: str
    phone: str
    code: str
    name: str = ""
    deputy: int | None = None
    station: int | None = None
    outlet: int | None = None
    via: str = "api"
    captcha_token: str = ""
    captcha: str = ""


class LetterStepIn(Schema):
    reply: str = ""
    public_reply: str = ""
    unit: int | None = None
    note: str = ""
    passed_as: str = ""
    result: str = ""
    reason: str = ""


def _target(data: LetterIn) -> dict:
    if data.deputy:
        return {"page": deputies.public_page(data.deputy)}
    if data.station:
        return {"station": deputies.public_station(data.station)}
    if data.outlet:
        return {"outlet": newmedia.public_outlet(data.outlet)}
    raise NotFound()


@router.get("/captcha", auth=None, response={200: LetterCaptchaOut})
def captcha(request, phone: str = ""):
    """After repeated failures from this address or for this number, asking for a code and writing need the answer
    to a question: this gives a new one (`required` false: none is needed now)."""
    found = services.captcha_for(ip=client_ip(request) or "", phone=phone[:20])
    if found is None:
        return 200, {"required": False}
    return 200, {"required": True, "token": found[0], "question": found[1]}


@router.post("/code", auth=None, response={200: dict})
def code(request, data: CodeIn):
    services.request_code(
        phone=data.phone, ip=client_ip(request) or "", captcha=(data.captcha_token[:40], data.captcha[:4])
    )
    return 200, {"sent": True}


@router.post("", auth=None, response={201: dict})
def write(request, data: LetterIn):
    letter = services.write_letter(
        kind=data.kind,
        title=data.title,
        text=data.text,
        phone=data.phone,
        code=data.code,
        name=data.name,
        ip=client_ip(request) or "",
        via="qr" if data.via == "qr" else "api",
        captcha=(data.captcha_token[:40], data.captcha[:4]),
        **_target(data),
    )
    return 201, for_writer(letter)


@router.get("/lookup/{code}", auth=None)
def lookup(request, code: str):
    return for_writer(selectors.by_lookup_code(code))


@router.get("/answers", auth=None)
def answers(request, q: str = "", page: int = 1):
    chunk = Paginator(selectors.knowledge_base(q[:100]), rules.PAGE_SIZE).get_page(page)
    return {"page": chunk.number, "items": [public_entry(letter) for letter in chunk]}


@router.get("/queue")
def queue(request, status: str = "", page: int = 1):
    chunk = Paginator(selectors.queue(request.user, status=status), rules.PAGE_SIZE).get_page(page)
    items = [{**for_writer(x), "unit": x.unit.name, "due_at": x.next_due_at} for x in chunk]  # the queue is filtered
    return {"count": chunk.paginator.count, "page": chunk.number, "items": items}


def _out(request, letter) -> dict:
    view = present(request.user, letter)
    view["steps"] = [s.name for s in actions.STEPS.available(request.user, letter)]
    return view


@router.get("/{letter_id}")
def detail(request, letter_id: int):
    return _out(request, selectors.access(request.user, letter_id))


@router.post("/{letter_id}/steps/{name}")
def step(request, letter_id: int, name: str, data: LetterStepIn):
    letter = selectors.access(request.user, letter_id)
    values = {k: ("" if v is None else str(v)) for k, v in data.dict().items()}
    actions.STEPS.perform(actor=request.user, obj=letter, name=name, data=values)
    return _out(request, selectors.access(request.user, letter_id))
