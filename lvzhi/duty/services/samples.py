"""The members' work committee's quarterly random sample of archived records (S3-7, seed 003 art. 7): drawn with
a recorded seed, so that anyone can draw the same sample again; each sampled record is checked and noted."""

import random
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perm
from .. import rules
from ..models import Record, Sample, SampleItem
from .common import text

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def population(body, year: int, quarter: int) -> list[int]:
    first, last = QUARTER_MONTHS[quarter]
    return list(
        Record.objects.filter(
            body=body, year=year, status=Record.Status.COUNTED, day__month__gte=first, day__month__lte=last
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def draw(ids: list[int], seed: str, size: int) -> list[int]:
    """The sample of `size` ids from the sorted population: the same seed gives the same sample."""
    return sorted(random.Random(seed).sample(ids, min(size, len(ids))))


@transaction.atomic
def draw_sample(*, actor, body, year, quarter, size, seed: str = "") -> Sample:
    if not perm.is_liaison(actor, body):
        raise NotFound()
    try:
        year, quarter, size = int(year), int(quarter), int(size)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the year, the quarter and the sample size."), code="sample_invalid")
    if quarter not in QUARTER_MONTHS or not 1 <= size <= rules.SAMPLE_SIZE_MAX:
        raise ValidationFailed(_("Give the year, the quarter and the sample size."), code="sample_invalid")
    seed = seed or secrets.token_hex(8)
    ids = population(body, year, quarter)
    chosen = draw(ids, seed, size)
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                body=body,
                year=year,
                quarter=quarter,
                seed=seed,
                size=len(chosen),
                population=len(ids),
                drawn_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This quarter's sample is already drawn."), code="sample_exists")
    SampleItem.objects.bulk_create([SampleItem(sample=sample, record_id=pk) for pk in chosen])
    audit(
        "duty.sample.draw",
        actor=actor,
        obj=sample,
        org_unit=body,
        after={"year": year, "quarter": quarter, "seed": seed, "population": len(ids), "records": chosen},
    )
    return sample


@transaction.atomic
def check_item(*, actor, item_id, result: str, note: str = "") -> SampleItem:
    item = (
        SampleItem.objects.select_for_update(of=("self",))
        .select_related("sample", "sample__body")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not perm.is_liaison(actor, item.sample.body):
        raise NotFound()
    if result not in (SampleItem.Result.CORRECT, SampleItem.Result.PROBLEM):
        raise ValidationFailed(_("Choose the result of the check."), code="result_invalid")
    note = text(note, field="note", label=_("The note"), max_length=200, required=result == SampleItem.Result.PROBLEM)
    item.result, item.note, item.checked_by, item.checked_at = result, note, actor, timezone.now()
    item.save(update_fields=["result", "note", "checked_by", "checked_at"])
    audit(
        "duty.sample.check",
        actor=actor,
        obj=item.sample,
        org_unit=item.sample.body,
        after={"record": item.record_id, "result": result},
    )
    return item
