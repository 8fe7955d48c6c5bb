"""Reading, favourites and activity (S0-20)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perms
from ..models import ActivityEvent, Article, Favourite, ReadRecord

MAX_PING_SECONDS = 120


MAX_READING_SECONDS = 4 * 3600


def record_activity(*, actor, kind: str, article: Article, at: dt.datetime | None = None) -> bool:
    """Record a reading or favourite activity event for the duty-points module (each (user, kind, article) once).
    Returns whether a new event was recorded."""
    if kind not in ActivityEvent.Kind.values:
        raise ValidationFailed(code="unknown_activity")
    with transaction.atomic():
        _obj, created = ActivityEvent.objects.get_or_create(
            user=actor, kind=kind, article=article, defaults={"body_id": article.body_id, "at": at or timezone.now()}
        )
    return created


@transaction.atomic
def record_read(*, actor, article: Article) -> ReadRecord:
    """The reader opened the article: the first time is recorded (and audited, and an activity event), later
    visits count up."""
    if not perms.may_read(actor, article):
        raise NotFound()
    now = timezone.now()
    updated = ReadRecord.objects.filter(user=actor, article=article).update(last_read_at=now, visits=F("visits") + 1)
    if updated:
        return ReadRecord.objects.get(user=actor, article=article)
    try:
        with transaction.atomic():
            read = ReadRecord.objects.create(user=actor, article=article, first_read_at=now, last_read_at=now)
    except IntegrityError:  # two tabs at once
        return ReadRecord.objects.get(user=actor, article=article)
    record_activity(actor=actor, kind=ActivityEvent.Kind.READ, article=article, at=now)
    record("content.article.read", actor=actor, obj=article, org_unit=article.unit)
    return read


@transaction.atomic
def record_reading_time(*, actor, article: Article, seconds: int) -> ReadRecord:
    """Add reading time (a heartbeat of the reading page, at most 120 s each, 4 hours in all). Not audited."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the reading time in seconds."), code="bad_seconds")
    if seconds < 1 or seconds > MAX_PING_SECONDS:
        raise ValidationFailed(_("Give the reading time in seconds."), code="bad_seconds")
    if not perms.may_read(actor, article):
        raise NotFound()
    read = ReadRecord.objects.select_for_update().filter(user=actor, article=article).first()
    if read is None:
        raise Conflict(_("Open the article first."), code="not_opened")
    read.seconds = min(read.seconds + seconds, MAX_READING_SECONDS)
    read.last_read_at = timezone.now()
    read.save(update_fields=["seconds", "last_read_at"])
    return read


@transaction.atomic
def add_favourite(*, actor, article: Article) -> Favourite:
    if not perms.may_read(actor, article):
        raise NotFound()
    try:
        with transaction.atomic():
            favourite = Favourite.objects.create(user=actor, article=article)
    except IntegrityError:
        raise Conflict(_("This article is already among your favourites."), code="already_favourite")
    record_activity(actor=actor, kind=ActivityEvent.Kind.FAVOURITE, article=article)
    record("content.favourite.add", actor=actor, obj=article, org_unit=article.unit)
    return favourite


@transaction.atomic
def remove_favourite(*, actor, article: Article) -> None:
    deleted, _rows = Favourite.objects.filter(user=actor, article=article).delete()
    if not deleted:
        raise Conflict(_("This article is not among your favourites."), code="not_favourite")
    record("content.favourite.remove", actor=actor, obj=article, org_unit=article.unit)
