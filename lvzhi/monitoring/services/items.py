"""The item log of each outlet (S2-25, S1-3.3): items come from the platform's own publication register (the
`content.published` hook), from a website's RSS/Atom feeds and sitemap, from an Excel import or by hand for
third-party platforms. A new item is compared with items of the same title on other outlets of the body: a
different text is an `inconsistent_item` finding (S2-25: the same item reads the same everywhere)."""

import datetime as dt
import hashlib
import io
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.screening import services as screening

from .. import permissions as perm
from .. import rules
from ..models import ItemSource, OutletItem, Watch
from .findings import raise_finding

_SPACE = re.compile(r"[\s\u3000]+")
_PUNCT = re.compile(r"[，。、；：！？,.;:!?“”\"'‘’（）()【】\[\]《》<>—\-_]+")


def title_key(title: str) -> str:
    norm = _PUNCT.sub("", _SPACE.sub("", title or "")).lower()
    return hashlib.sha256(norm.encode()).hexdigest()


def content_hash(text: str) -> str:
    norm = _SPACE.sub("", text or "")
    return hashlib.sha256(norm.encode()).hexdigest() if norm else ""


def _consistency(item: OutletItem) -> None:
    if not item.content_hash:
        return
    others = (
        OutletItem.objects.filter(title_key=item.title_key, outlet__body_id=item.outlet.body_id)
        .exclude(outlet_id=item.outlet_id)
        .exclude(content_hash="")
        .exclude(content_hash=item.content_hash)
        .select_related("outlet")
        .order_by("published_at")[:5]
    )
    for other in others:
        evidence = {
            "title": item.title,
            "url": item.url,
            "excerpt": item.excerpt[:200],
            "other_outlet": other.outlet.name,
            "other_url": other.url,
            "other_excerpt": other.excerpt[:200],
        }
        raise_finding(
            kind="inconsistent_item",
            summary=_("“%(title)s” reads differently on %(other)s")
            % {"title": item.title[:80], "other": other.outlet.name},
            outlet=item.outlet,
            url=item.url or item.ref,
            evidence=evidence,
        )


def add_item(
    *, outlet, source: str, ref: str, title: str, published_at, url: str = "", is_original: bool = True,
    text: str = "", actor=None,
) -> tuple[OutletItem, bool]:  # fmt: skip
    """Log one item (idempotent per outlet and `ref`). Returns (item, created)."""
    title = (title or "").strip()[:300] or (url or ref)[:300]
    with transaction.atomic():
        existing = OutletItem.objects.filter(outlet=outlet, ref=ref[:500]).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                item = OutletItem.objects.create(
                    outlet=outlet, source=source, ref=ref[:500], title=title, title_key=title_key(title),
                    url=(url or "")[:500], published_at=published_at, is_original=is_original,
                    content_hash=content_hash(text), excerpt=_SPACE.sub(" ", text or "").strip()[:500],
                    created_by=actor if getattr(actor, "pk", None) else None,
                )  # fmt: skip
        except IntegrityError:
            return OutletItem.objects.get(outlet=outlet, ref=ref[:500]), False
        _consistency(item)
    return item, True


def on_content_published(*, entry, article=None, **_kwargs) -> None:
    """Listener of the `content.published` hook: a publication through Lvzhi is an item of the watched websites of
    its department (a `site` hosted by the entry's unit) and of the body's portal."""
    watches = list(
        Watch.objects.filter(
            outlet__platform__in=("portal", "site"), outlet__host_unit_id__in={entry.unit_id, entry.body_id}
        ).select_related("outlet")
    )
    if not watches:
        return
    text = screening.html_text(getattr(entry.revision, "body_html", "") or "")
    is_repost = bool(getattr(article, "is_repost", False))
    for watch in watches:
        add_item(
            outlet=watch.outlet, source=ItemSource.REGISTER, ref=f"register:{entry.article_id}:{entry.revision_id}",
            title=entry.title, published_at=entry.published_at, url=f"/content/a/{entry.article_id}/",
            is_original=not is_repost, text=text,
        )  # fmt: skip


def _watch_outlet(actor, outlet):
    if outlet is None or not perm.may_manage_outlet(actor, outlet):
        raise NotFound()


@transaction.atomic
def enter_item(*, actor, outlet, title: str, url: str, published_at, is_original: bool, text: str = "") -> OutletItem:
    _watch_outlet(actor, outlet)
    title = clean_text(title, field="title", max_length=300, label=_("Title"))
    url = clean_text(url, field="url", max_length=500, label=_("Address"), required=False)
    text = clean_text(text, field="text", max_length=20000, label=_("Text"), required=False, multiline=True)
    if not isinstance(published_at, dt.datetime):
        raise ValidationFailed(_("Give the publication time."), code="published_at_required")
    if published_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("The publication time lies in the future."), code="published_at_future")
    ref = url or f"manual:{title_key(title)[:16]}:{published_at.isoformat()}"
    item, created = add_item(
        outlet=outlet, source=ItemSource.MANUAL, ref=ref, title=title, url=url, published_at=published_at,
        is_original=is_original, text=text, actor=actor,
    )  # fmt: skip
    if not created:
        raise ValidationFailed(_("This item is already logged."), code="duplicate_item")
    record("monitoring.item.enter", actor=actor, obj=item, org_unit=outlet.host_unit, after={"outlet": outlet.pk})
    return item


_YES = {"是", "原创", "yes", "y", "1", "true"}


def _parse_time(value):
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(12))
    else:
        text = str(value or "").strip()
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"):
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@transaction.atomic
def import_items(*, actor, outlet, data: bytes) -> int:
    """Excel import (third-party platforms): columns 标题, 链接, 发布时间, 原创 (是/否), 正文 (optional), first row
    headings. All or nothing: a bad row refuses the file with its row number."""
    _watch_outlet(actor, outlet)
    if not data or len(data) > rules.IMPORT_MAX_BYTES:
        raise ValidationFailed(_("The file is empty or larger than 2 MB."), code="file_size")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (any unreadable file is the same answer)
        raise ValidationFailed(_("The file is not an Excel workbook (.xlsx)."), code="file_invalid") from None
    rows = book.active.iter_rows(min_row=2, values_only=True)
    made = 0
    for number, row in enumerate(rows, start=2):
        if number - 1 > rules.IMPORT_MAX_ROWS:
            raise ValidationFailed(_("At most 2,000 rows per file."), code="too_many_rows")
        cells = list(row or ()) + [None] * 5
        if not any(cells[:4]):
            continue
        title = str(cells[0] or "").strip()
        moment = _parse_time(cells[2])
        if not title or moment is None or len(title) > 300:
            raise ValidationFailed(
                _("Row %(row)d: give a title (at most 300 characters) and a publication time.") % {"row": number},
                code="row_invalid",
            )
        url = str(cells[1] or "").strip()[:500]
        ref = url or f"import:{title_key(title)[:16]}:{moment.isoformat()}"
        _item, created = add_item(
            outlet=outlet, source=ItemSource.IMPORT, ref=ref, title=title, url=url, published_at=moment,
            is_original=str(cells[3] or "是").strip().lower() in _YES, text=str(cells[4] or ""), actor=actor,
        )  # fmt: skip
        made += int(created)
    record("monitoring.item.import", actor=actor, obj=outlet, org_unit=outlet.host_unit, after={"items": made})
    return made
