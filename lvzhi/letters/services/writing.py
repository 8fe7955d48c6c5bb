"""Writing a message (S4-2.2.3, S2-30, S1-5.3's 纠错): to a deputy (from their page or by their QR code), to a
contact station, or to the host unit of a government website or account. Checked in this order, so that a typo
never burns the SMS code: the target and the feature's switch, the texts (screened: secret and advert terms are
refused and reported; personal data typed into the text is kept masked), the rate limits per number and per IP, then
the SMS code; then the message is saved and its answer limit starts."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.validation import clean_mobile, clean_text
from lvzhi.notify.services import notify
from lvzhi.screening import services as screening
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Feature, Kind, Letter, Target
from ..permissions import UNIT_ROLES
from ..workflows import LETTER_FLOW
from .codes import check_code, phone_key
from .controls import admit

FEATURES = {Target.DEPUTY: Feature.DEPUTY, Target.STATION: Feature.STATION, Target.OUTLET: Feature.OUTLET}


def _where(*, page=None, station=None, outlet=None) -> dict:
    """Target, body, answering unit and the named object, from exactly one of a deputy's page, a station, a site."""
    if sum(x is not None for x in (page, station, outlet)) != 1:
        raise ValidationFailed(_("Choose whom the message is for."), code="target_required")
    if page is not None:
        unit = page.station.unit if page.station_id else perm.office_of(page.body)
        return {"target": Target.DEPUTY, "body": page.body, "unit": unit, "deputy": page.deputy, "station": None}
    if station is not None:
        return {"target": Target.STATION, "body": station.body, "unit": station.unit, "station": station}
    host = outlet.host_unit
    return {"target": Target.OUTLET, "body": host.body or host, "unit": host, "outlet": outlet}


def _clean(kind, title, text, name) -> dict:
    if kind not in Kind.values:
        raise ValidationFailed(_("Choose what kind of message this is."), code="kind_invalid")
    return {
        "kind": kind,
        "title": clean_text(title, field="title", max_length=rules.TITLE_MAX, label=_("Message subject")),
        "text": clean_text(text, field="text", max_length=rules.TEXT_MAX, label=_("Your message"), multiline=True),
        "writer_name": clean_text(name, field="name", max_length=rules.NAME_MAX, label=_("Name"), required=False),
    }


def _screen(fields: dict, body) -> None:
    findings = screening.scan(f"{fields['title']}\n{fields['text']}", body=body)
    if screening.has_blocking(findings) or any(f.kind == "advert" for f in findings):
        screening.report_blocked(actor=None, findings=findings, org_unit=body)
        raise ValidationFailed(
            _("The message contains words that may not be sent (secret or advertising terms)."), code="text_blocked"
        )
    fields["title"] = screening.mask(fields["title"])
    fields["text"] = screening.mask(fields["text"])


def write_letter(
    *,
    kind: str,
    title: str,
    text: str,
    phone: str,
    code: str,
    name: str = "",
    page=None,
    station=None,
    outlet=None,
    ip: str = "",
    via: str = "page",
    captcha=("", ""),
) -> Letter:
    where = _where(page=page, station=station, outlet=outlet)
    fields = _clean(kind, title, text, name)
    phone = clean_mobile(phone, field="phone")
    _screen(fields, where["body"])
    feature = FEATURES[where["target"]]
    admit(body=where["body"], feature=feature, phone_key=phone_key(phone), ip=ip)
    key = check_code(phone=phone, code=code, ip=ip, captcha=captcha)
    return _save(where, fields, phone=phone, key=key, via=via if via in ("page", "qr", "api") else "page")


@transaction.atomic
def _save(where: dict, fields: dict, *, phone: str, key: str, via: str) -> Letter:
    letter = Letter.objects.create(**where, **fields, phone=phone, phone_key=key, via=via)
    wf.start(
        letter,
        actor=None,
        workflow=LETTER_FLOW,
        event="write",
        audit_after={"kind": letter.kind, "target": letter.target, "via": via},
    )
    recipients = [letter.deputy] if letter.deputy_id else users_with_roles(letter.unit, UNIT_ROLES)
    notify(
        recipients,
        title=_("New public message: %(title)s") % {"title": letter.title},
        link=f"/letters/{letter.pk}/",
        event="letters.letter.write",
        obj=letter,
    )
    return letter
