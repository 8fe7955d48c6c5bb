"""The default word lists as versioned data files (`lvzhi/screening/data/<kind>.txt`).

Each file starts with a header of `# key: value` lines (name, kind, version, description, source — the source may
take several lines) followed by one term a line. Migration 0004 imports them; an administrator re-imports them
after an update with `lvzhi screening_defaults` or the button on /office/screening/ (`services.import_defaults`).
`advert_exceptions.txt` holds ordinary words that contain an advert term ("娱乐场所"): read by the detectors.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import PermissionDenied

from . import services
from .detectors import normalise
from .models import Term, WordList
from .permissions import may_keep_global_lists

DATA_DIR = Path(__file__).resolve().parent / "data"
FILES = ("secret.txt", "sensitive.txt", "advert.txt")
EXCEPTIONS_FILE = "advert_exceptions.txt"


@dataclass(frozen=True)
class DefaultList:
    file: str
    name: str
    kind: str
    version: str
    description: str
    source: str
    terms: tuple[str, ...]


def _normalise(term: str) -> str:
    return normalise(term.strip())


def parse(text: str, *, file: str = "") -> DefaultList:
    header: dict[str, list[str]] = {}
    terms: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in {"name", "kind", "version", "description", "source"}:
                header.setdefault(key.strip(), []).append(value.strip())
            continue
        term = _normalise(line)
        if term and term not in terms:
            terms.append(term)
    missing = [k for k in ("name", "kind", "version", "source") if k not in header]
    if missing:
        raise ValueError(f"{file}: header lacks {', '.join(missing)}")
    return DefaultList(
        file=file,
        name=header["name"][0],
        kind=header["kind"][0],
        version=header["version"][0],
        description=" ".join(header.get("description", [])),
        source="".join(header["source"]),
        terms=tuple(terms),
    )


def load() -> list[DefaultList]:
    return [parse((DATA_DIR / name).read_text(encoding="utf-8"), file=name) for name in FILES]


@cache
def advert_exceptions() -> tuple[str, ...]:
    lines = (DATA_DIR / EXCEPTIONS_FILE).read_text(encoding="utf-8").splitlines()
    return tuple(_normalise(line) for line in lines if line.strip() and not line.lstrip().startswith("#"))


# ---- (re-)import ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    file: str
    list_id: int
    version: str
    added: int
    kept: int
    retired_kept: int  # terms of the file an administrator retired: they stay retired
    removed: int  # terms of an earlier version of the file that it no longer has: retired


def apply(lists, *, word_list_model, term_model, actor_id=None) -> list[ImportReport]:
    """Create or update the default lists from `lists` (shared by the migration and the service): a list without a
    body named as in the file; terms of the file it lacks are added; terms an administrator retired stay retired;
    terms added by administrators stay. Returns what changed per file."""
    reports = []
    for spec in lists:
        word_list = (
            word_list_model.objects.filter(body=None, kind=spec.kind, source_file=spec.file).first()
            or word_list_model.objects.filter(body=None, kind=spec.kind, name=spec.name).first()
        )
        if word_list is None:
            word_list = word_list_model.objects.create(name=spec.name, kind=spec.kind, created_by_id=actor_id)
        word_list.source_file = spec.file
        word_list.source_version = spec.version
        word_list.source_note = spec.source[:500]
        if spec.description:
            word_list.description = spec.description[:300]
        word_list.save(update_fields=["source_file", "source_version", "source_note", "description"])
        existing = dict(term_model.objects.filter(word_list=word_list).values_list("text", "is_active"))
        new = [t for t in spec.terms if t not in existing]
        term_model.objects.bulk_create([term_model(word_list=word_list, text=t, created_by_id=actor_id) for t in new])
        retired = sum(1 for t in spec.terms if existing.get(t) is False)
        # Terms that came from an earlier version of the file (no author) and were taken out of it: retired.
        dropped = term_model.objects.filter(word_list=word_list, created_by=None, is_active=True).exclude(
            text__in=spec.terms
        )
        removed = dropped.update(is_active=False, retired_at=timezone.now())
        reports.append(
            ImportReport(
                spec.file, word_list.pk, spec.version, len(new), len(spec.terms) - len(new) - retired, retired, removed
            )
        )
    return reports


def import_defaults(*, actor) -> list[ImportReport]:
    """Re-import the default lists from the data files (after an update of the files). `actor` None: the command
    run on the server (all files); else the files of the kinds the actor keeps for every body (the information
    office: sensitive and advert; the secrecy office: all). Audited per list (counts and version, never terms)."""

    specs = load()
    if actor is not None:
        specs = [spec for spec in specs if may_keep_global_lists(actor, spec.kind)]
        if not specs:
            raise PermissionDenied(_("You may not import the default word lists."), code="forbidden")
    with transaction.atomic():
        reports = apply(specs, word_list_model=WordList, term_model=Term, actor_id=getattr(actor, "pk", None))
        for report in reports:
            record(
                "screening.list.import_defaults",
                actor=actor,
                obj=WordList.objects.get(pk=report.list_id),
                actor_label="" if actor else "lvzhi screening_defaults",
                after={
                    "file": report.file,
                    "version": report.version,
                    "added": report.added,
                    "kept": report.kept,
                    "retired_kept": report.retired_kept,
                    "removed": report.removed,
                },
            )
        services._changed()
    return reports
