"""Group channels (S4-2.3): a deputy group or delegation talks with the public of its area. Its deputies post and
answer (shown at once); the public posts and replies with a phone verified by SMS code, screened (secret and advert
terms refused), rate-limited per number and IP (the `channel` feature's control, S2-31), and shown only once a
deputy of the group or the office approves it."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_mobile, clean_text
from lvzhi.letters import services as letters
from lvzhi.orgs.models import UnitKind
from lvzhi.screening import services as screening

from .. import permissions as perm
from ..models import Channel, ChannelPost

P = ChannelPost.Status
TEXT_MAX = 1000


@transaction.atomic
def open_channel(*, actor, unit, title: str, area: str = "") -> Channel:
    body = unit.body or unit
    if not perm.is_office(actor, body):
        raise NotFound()
    if unit.kind not in (UnitKind.DELEGATION, UnitKind.GROUP):
        raise ValidationFailed(_("A channel belongs to a deputy group or delegation."), code="unit_invalid")
    if Channel.objects.filter(unit=unit).exists():
        raise Conflict(_("This group already has a channel."), code="channel_exists")
    channel = Channel.objects.create(
        unit=unit,
        body=body,
        title=clean_text(title, field="title", max_length=100, label=_("Title")),
        area=clean_text(area, field="area", max_length=100, label=_("Area"), required=False),
    )
    record("deputies.channel.open", actor=actor, obj=channel, org_unit=unit)
    return channel


def _text(text, body) -> str:
    text = clean_text(text, field="text", max_length=TEXT_MAX, label=_("Text"), multiline=True)
    findings = screening.scan(text, body=body)
    if screening.has_blocking(findings) or any(f.kind == "advert" for f in findings):
        screening.report_blocked(actor=None, findings=findings, org_unit=body)
        raise ValidationFailed(_("The text contains words that may not be posted."), code="text_blocked")
    return screening.mask(text, findings)


def _parent(channel, parent_id):
    if not parent_id:
        return None
    parent = ChannelPost.objects.filter(pk=parent_id, channel=channel, parent__isnull=True, status=P.VISIBLE).first()
    if parent is None:
        raise ValidationFailed(_("Reply to a post shown in this channel."), code="parent_invalid")
    return parent


@transaction.atomic
def post_as_deputy(*, actor, channel: Channel, text: str, parent_id=None) -> ChannelPost:
    if not perm.moderates(actor, channel):
        raise NotFound()
    post = ChannelPost.objects.create(
        channel=channel,
        parent=_parent(channel, parent_id),
        author=actor,
        text=_text(text, channel.body),
        status=P.VISIBLE,
    )
    record(
        "deputies.channel.post",
        actor=actor,
        obj=post,
        org_unit=channel.unit,
        after={"reply": post.parent_id is not None},
    )
    return post


def post_as_public(
    *, channel: Channel, text: str, phone: str, code: str, name: str = "", parent_id=None, ip="", captcha=("", "")
) -> ChannelPost:
    if not channel.is_open:
        raise ValidationFailed(_("This channel takes no posts now."), code="channel_closed")
    clean = _text(text, channel.body)
    phone = clean_mobile(phone, field="phone")
    name = clean_text(name, field="name", max_length=40, label=_("Name"), required=False)
    parent = _parent(channel, parent_id)
    key = letters.phone_key(phone)
    letters.admit(body=channel.body, feature="channel", phone_key=key, ip=ip)
    letters.check_code(phone=phone, code=code, ip=ip, captcha=captcha)
    with transaction.atomic():
        post = ChannelPost.objects.create(
            channel=channel, parent=parent, text=clean, writer_name=name, phone=phone, phone_key=key, status=P.PENDING
        )
        record("deputies.channel.public_post", actor=None, obj=post, org_unit=channel.unit)
    return post


@transaction.atomic
def moderate_post(*, actor, post: ChannelPost, show: bool) -> ChannelPost:
    post = ChannelPost.objects.select_for_update().select_related("channel").get(pk=post.pk)
    if not perm.moderates(actor, post.channel):
        raise NotFound()
    post.status = P.VISIBLE if show else P.HIDDEN
    post.moderated_by = actor
    post.save(update_fields=["status", "moderated_by"])
    record("deputies.channel.moderate", actor=actor, obj=post, org_unit=post.channel.unit, after={"show": show})
    return post
