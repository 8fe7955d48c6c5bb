"""An import job from upload to report: `create_job` keeps the file and queues the check; `check_job` reads every
row (streaming) and stores each row's problems; `confirm_job` starts the writing once the file is clean or its
bad rows are excluded; `run_job` writes the rows in batches, one transaction per batch, resuming at `cursor`.

Writing is idempotent: a row whose person (by mobile number) already has the same account, role, profile and term
changes nothing; the same file imported twice leaves every row `unchanged` the second time.
"""

import datetime as dt
import hashlib
import itertools

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record
from lvzhi.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from lvzhi.core.masking import mask_phone

from .. import permissions as perm
from .. import reader, tasks
from ..columns import columns_of
from ..history import check_history, check_history_batch
from ..models import ImportJob, RowProblem, RowResult, TermRoll
from ..rows import Context, Row, check_against_accounts, check_member, check_unit
from ..staff import check_staff, check_staff_accounts
from . import writing

BATCH = 200
UNCONFIRMED_DAYS = 14  # a checked file not imported within two weeks is cancelled and its upload deleted
PROGRESS_EVERY = 500


# Per kind: the row check, the batch's check against stored accounts (or None).
_CHECKS = {
    ImportJob.Kind.MEMBERS: (check_member, check_against_accounts),
    ImportJob.Kind.UNITS: (check_unit, None),
    ImportJob.Kind.STAFF: (check_staff, check_staff_accounts),
    ImportJob.Kind.PROPOSALS: (check_history, check_history_batch),
}
# Per kind: how one checked row is written (members: `writing.write_member`, after the batch's bulk creation).
_WRITERS = {
    ImportJob.Kind.UNITS: writing.write_unit,
    ImportJob.Kind.STAFF: writing.write_staff,
    ImportJob.Kind.PROPOSALS: writing.write_past_proposal,
    ImportJob.Kind.MEMBERS: writing.write_member,
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def create_job(*, actor, body, kind: str, upload, replaces_term: str = "") -> ImportJob:
    """Keep the uploaded file and queue its check. `replaces_term`: a term change (换届), members only."""
    if kind not in ImportJob.Kind.values or not perm.may_import(actor, body, kind):
        raise NotFound()
    size = getattr(upload, "size", 0) or 0
    if not size or size > reader.MAX_BYTES:
        raise ValidationFailed(_("The file is empty or larger than 20 MB."), code="file_size")
    head = upload.read(reader._SNIFF)
    upload.seek(0)
    reader.file_format(upload.name, head)
    replaces_term = (replaces_term or "").strip()[:40] if kind == ImportJob.Kind.MEMBERS else ""
    if replaces_term and not MemberProfile.objects.filter(body=body, term=replaces_term, is_active=True).exists():
        raise ValidationFailed(
            _("No current member of this body has the term “%(term)s”.") % {"term": replaces_term}, code="term_unknown"
        )
    data = upload.read()
    job = ImportJob(
        body=body,
        kind=kind,
        created_by=actor,
        file_name=(upload.name or "")[-200:],
        file_digest=_digest(data),
        replaces_term=replaces_term,
    )
    job.file.save("import.bin", ContentFile(data), save=False)
    job.save()
    record(
        "onboarding.job.create",
        actor=actor,
        obj=job,
        org_unit=body,
        after={"kind": kind, "file": job.file_name, "replaces_term": replaces_term},
    )
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue("check", job_id), robust=True)
    return job


def _enqueue(name: str, job_id: int) -> None:
    getattr(tasks, name).enqueue(job_id)


def _rows(job: ImportJob):
    job.file.open("rb")
    return reader.read_rows(job.file.file, columns_of(job.kind))


def _save(job: ImportJob, *fields) -> None:
    job.save(update_fields=list(fields))


def check_job(job_id: int) -> ImportJob:
    """Read every row, store its problems; the job is then `checked` (or `failed` when the file is unreadable)."""
    job = ImportJob.objects.select_related("body").get(pk=job_id)
    if job.status != ImportJob.Status.CHECKING:
        return job
    RowProblem.objects.filter(job=job).delete()
    ctx = Context(job.body)
    check, check_accounts = _CHECKS[job.kind]
    total = bad = 0
    try:
        rows = _rows(job)
        while batch := [Row(n, v) for n, v in itertools.islice(rows, BATCH)]:
            for row in batch:
                check(row, ctx)
            if check_accounts is not None:
                check_accounts(batch, ctx)
            problems = [
                RowProblem(job=job, row=r.number, column=p.column, code=p.code, message=p.message[:300])
                for r in batch
                for p in r.problems
            ]
            RowProblem.objects.bulk_create(problems)
            total += len(batch)
            bad += sum(1 for r in batch if r.problems)
            job.rows_checked, job.rows_bad = total, bad
            _save(job, "rows_checked", "rows_bad")
    except ValidationFailed as exc:
        job.status, job.error = ImportJob.Status.FAILED, str(exc.message)[:300]
        job.finished_at = timezone.now()
        _save(job, "status", "error", "finished_at")
    finally:
        job.file.close()
    if job.status == ImportJob.Status.FAILED:
        discard_upload(job)
        return job
    job.rows_total = total
    if job.replaces_term:
        _compare_terms(job, ctx)
    job.status = ImportJob.Status.CHECKED
    _save(job, "rows_total", "status", "term_stays", "term_leaves", "term_new")
    return job


def _compare_terms(job: ImportJob, ctx: Context) -> None:
    """换届: the old term's current members against the new list (who stays, who leaves, who is new)."""
    old = set(
        MemberProfile.objects.filter(body=job.body, term=job.replaces_term, is_active=True).values_list(
            "user__phone", flat=True
        )
    )
    in_file = set(ctx.seen_phone)
    job.term_stays = len(old & in_file)
    job.term_leaves = len(old - in_file)
    job.term_new = len(in_file - old)


@transaction.atomic
def confirm_job(
    *, actor, job: ImportJob, exclude_bad_rows: bool = False, send_sms: bool = False, exclude_rows=None
) -> ImportJob:
    """Start writing: only a clean file, or with its bad rows excluded explicitly — all of them
    (`exclude_bad_rows`, the page) or listed by row number (`exclude_rows`, the API: the list must name every row
    with problems; a clean row it names is left out too)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not perm.may_import(actor, job.body, job.kind):
        raise NotFound()
    if job.status != ImportJob.Status.CHECKED:
        raise Conflict(_("This file is not waiting to be imported."), code="job_not_checked")
    if exclude_rows is not None:
        job.rows_excluded = _exclude_listed(job, exclude_rows)
    else:
        if job.rows_bad and not exclude_bad_rows:
            raise Conflict(_("Correct the rows with problems or exclude them explicitly."), code="file_not_clean")
        excluded = RowProblem.objects.filter(job=job).update(excluded=True) and job.rows_bad
        job.rows_excluded = excluded or 0
    if job.replaces_term:
        _snapshot_old_term(job)
    job.send_sms = bool(send_sms) and job.kind in (ImportJob.Kind.MEMBERS, ImportJob.Kind.STAFF)
    job.status = ImportJob.Status.IMPORTING
    _save(job, "rows_excluded", "send_sms", "status")
    record(
        "onboarding.job.confirm",
        actor=actor,
        obj=job,
        org_unit=job.body,
        after={"excluded": job.rows_excluded, "send_sms": job.send_sms},
    )
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue("write", job_id), robust=True)
    return job


def _exclude_listed(job: ImportJob, rows) -> int:
    listed = {int(r) for r in rows if isinstance(r, int) and not isinstance(r, bool) and 2 <= r <= reader.MAX_ROWS + 1}
    if len(listed) != len(set(rows)):
        raise ValidationFailed(_("List the spreadsheet's row numbers (2 and above)."), code="exclude_rows_invalid")
    missing = sorted(set(RowProblem.objects.filter(job=job).values_list("row", flat=True)) - listed)
    if missing:
        raise Conflict(
            _("Correct the rows with problems or exclude them explicitly."),
            code="file_not_clean",
            extra={"rows": missing[:100]},
        )
    RowProblem.objects.filter(job=job, row__in=listed).update(excluded=True)
    clean = listed - set(RowProblem.objects.filter(job=job).values_list("row", flat=True))
    RowProblem.objects.bulk_create(
        [
            RowProblem(job=job, row=r, code="excluded", message=_("Left out by the office."), excluded=True)
            for r in sorted(clean)
        ]
    )
    return len(listed)


def _snapshot_old_term(job: ImportJob) -> None:
    """The replaced term's roll as it stands before the new list changes the profiles (the history kept)."""
    users = MemberProfile.objects.filter(body=job.body, term=job.replaces_term, is_active=True).values_list(
        "user_id", flat=True
    )
    TermRoll.objects.bulk_create(
        [TermRoll(body=job.body, term=job.replaces_term, user_id=u) for u in users], ignore_conflicts=True
    )


def run_job(job_id: int, *, max_batches: int | None = None) -> ImportJob:
    """Write the rows from `cursor` on, one transaction per batch (the cursor moves in the same transaction, so a
    job that stopped resumes where it stood). `max_batches` stops early (tests, to watch the progress)."""
    job = ImportJob.objects.select_related("body", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job
    ctx = Context(job.body)
    excluded = set(RowProblem.objects.filter(job=job, excluded=True).values_list("row", flat=True))
    check = _CHECKS[job.kind][0]
    done = 0
    try:
        rows = _rows(job)
        position = 0
        while batch := [Row(n, v) for n, v in itertools.islice(rows, BATCH)]:
            for row in batch:
                check(row, ctx)  # every row, the skipped ones too: duplicates are found against earlier rows
            start = position
            position += len(batch)
            if position <= job.cursor:
                continue
            if max_batches is not None and done >= max_batches:
                return job
            _write_batch(job, ctx, batch[max(0, job.cursor - start) :], excluded)
            done += 1
    finally:
        job.file.close()
    _finish(job)
    discard_upload(job)
    return job


def discard_upload(job: ImportJob) -> bool:
    """Delete the stored upload of a job that needs it no more (done, failed, cancelled): the personal data in it is
    kept no longer than the import needs it; the rows' problems and results stay. True when a file was deleted."""
    job.refresh_from_db(fields=["status", "file"])
    if not job.file or job.status in (ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING):
        return False
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")
    return True


@transaction.atomic
def cancel_job(*, actor, job: ImportJob) -> ImportJob:
    """The office drops a checked file instead of importing it (or the tick job drops one left unconfirmed,
    `actor=None`). Its upload is deleted once the transaction commits."""
    job = ImportJob.objects.select_for_update().select_related("body").get(pk=job.pk)
    if actor is not None and not perm.may_import(actor, job.body, job.kind):
        raise NotFound()
    if job.status != ImportJob.Status.CHECKED:
        raise Conflict(_("Only a checked file that is not imported can be cancelled."), code="job_not_cancellable")
    job.status, job.finished_at = ImportJob.Status.CANCELLED, timezone.now()
    _save(job, "status", "finished_at")
    record("onboarding.job.cancel", actor=actor, obj=job, org_unit=job.body, after={"file": job.file_name})
    transaction.on_commit(lambda: discard_upload(job), robust=True)
    return job


def purge_uploads(now=None, *, unconfirmed_days: int = UNCONFIRMED_DAYS) -> int:
    """Tick job: checked files left unconfirmed for `unconfirmed_days` are cancelled; any finished job's upload still
    stored (a crash between finishing and deleting) is deleted. Returns the number of files deleted."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status=ImportJob.Status.CHECKED, created_at__lt=now - dt.timedelta(days=unconfirmed_days)
    )
    for job in stale.iterator(chunk_size=100):
        try:
            cancel_job(actor=None, job=job)
        except Conflict:
            continue  # confirmed or cancelled meanwhile (another tick, the office)
    finished = ImportJob.objects.filter(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED]
    ).exclude(file="")
    return sum(discard_upload(job) for job in finished.iterator(chunk_size=100))


@transaction.atomic
def _write_batch(job: ImportJob, ctx: Context, batch: list[Row], excluded: set[int]) -> None:
    if job.kind == ImportJob.Kind.MEMBERS:
        check_against_accounts([r for r in batch if r.number not in excluded], ctx)
        writing.preload(ctx, batch)
        if not job.send_sms:
            writing.create_new_members(
                actor=job.created_by, ctx=ctx, rows=[r for r in batch if r.number not in excluded]
            )
    elif _CHECKS[job.kind][1] is not None:
        _CHECKS[job.kind][1]([r for r in batch if r.number not in excluded], ctx)
    counts = dict.fromkeys(RowResult.Outcome.values, 0)
    results = []
    for row in batch:
        if row.created is not None:
            outcome, obj, message = RowResult.Outcome.CREATED, row.created, ""
        else:
            outcome, obj, message = _write_row(job, ctx, row, excluded)
        counts[outcome] += 1
        label = _label(job, row)
        results.append(
            RowResult(
                job=job,
                row=row.number,
                outcome=outcome,
                label=label[:100],
                object_id=getattr(obj, "pk", None),
                message=message[:300],
            )
        )
    if job.kind == ImportJob.Kind.MEMBERS:
        writing.save_rolls(ctx)
    RowResult.objects.bulk_create(results, ignore_conflicts=True)
    ImportJob.objects.filter(pk=job.pk).update(
        cursor=F("cursor") + len(batch),
        rows_created=F("rows_created") + counts["created"],
        rows_updated=F("rows_updated") + counts["updated"],
        rows_unchanged=F("rows_unchanged") + counts["unchanged"],
        rows_failed=F("rows_failed") + counts["failed"],
    )
    job.refresh_from_db(fields=["cursor", "rows_created", "rows_updated", "rows_unchanged", "rows_failed"])


def _label(job: ImportJob, row: Row) -> str:
    if job.kind == ImportJob.Kind.UNITS:
        return row.clean.get("name") or row.values.get("name", "")
    if job.kind == ImportJob.Kind.PROPOSALS:
        return f"{row.values.get('year', '')}-{row.values.get('number', '')} {row.values.get('title', '')}"
    return _person_label(row)


def _person_label(row: Row) -> str:
    return f"{row.clean.get('real_name') or row.values.get('real_name', '')} {mask_phone(row.clean.get('phone'))}"


def _write_row(job: ImportJob, ctx: Context, row: Row, excluded: set[int]):
    if row.number in excluded:
        return RowResult.Outcome.EXCLUDED, None, ""
    if row.problems:
        return RowResult.Outcome.FAILED, None, "；".join(p.message for p in row.problems)
    try:
        with transaction.atomic():
            outcome, obj = _WRITERS[job.kind](actor=job.created_by, ctx=ctx, row=row, send_sms=job.send_sms)
    except ApplicationError as exc:
        return RowResult.Outcome.FAILED, None, str(exc.message or exc.code)
    return outcome, obj, ""


@transaction.atomic
def _finish(job: ImportJob) -> None:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.IMPORTING:
        return
    if job.replaces_term:
        job.rows_left = writing.close_term(actor=job.created_by, job=job)
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    _save(job, "rows_left", "status", "finished_at")
    record(
        "onboarding.job.done",
        actor=job.created_by,
        obj=job,
        org_unit=job.body,
        after={
            "created": job.rows_created,
            "updated": job.rows_updated,
            "unchanged": job.rows_unchanged,
            "failed": job.rows_failed,
            "excluded": job.rows_excluded,
            "left": job.rows_left,
        },
    )
