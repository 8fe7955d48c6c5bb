"""The indicator scheme as versioned data (S1-A, S2-40): loaded from `inspections/data/indicators-<v>.json`."""

import hashlib
import json
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from ..models import AppliesTo, Indicator, IndicatorKind, SchemeVersion

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_FILE = DATA_DIR / "indicators-2019.json"


def _check(data: dict) -> list[dict]:
    items = data.get("items")
    if not isinstance(items, list) or not items or not data.get("version") or not data.get("source"):
        raise ValidationFailed(_("The indicator file needs a version, its source and items."), code="scheme_invalid")
    codes = set()
    for item in items:
        code = str(item.get("code", ""))
        if not code or code in codes:
            raise ValidationFailed(_("Every indicator needs its own code."), code="scheme_invalid")
        codes.add(code)
        if item.get("kind") not in IndicatorKind.values or item.get("applies_to") not in AppliesTo.values:
            raise ValidationFailed(_("An indicator's kind or scope is not known."), code="scheme_invalid")
        if item["kind"] == IndicatorKind.DEDUCTION and int(item.get("points", 0)) <= 0:
            raise ValidationFailed(_("A deduction indicator needs its points."), code="scheme_invalid")
    for scope in AppliesTo.values:
        total = sum(int(i.get("points", 0)) for i in items if i["applies_to"] == scope and i["kind"] == "deduction")
        if total and total != 100:
            raise ValidationFailed(_("The deduction points of a scope must add up to 100."), code="scheme_invalid")
    return items


@transaction.atomic
def load_scheme(*, actor=None, raw: bytes | None = None) -> SchemeVersion:
    """Load a scheme version from its JSON file (the 2019 scheme by default). Loading the same file again changes
    nothing; another file under a version already loaded is refused (a version once used is never rewritten)."""
    raw = raw if raw is not None else DEFAULT_FILE.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationFailed(_("The indicator file is not valid JSON."), code="scheme_invalid") from None
    items = _check(data)
    digest = hashlib.sha256(raw).hexdigest()
    existing = SchemeVersion.objects.filter(version=str(data["version"])).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise Conflict(_("This version is loaded already with other content."), code="scheme_version_exists")
        return existing
    version = SchemeVersion.objects.create(
        version=str(data["version"]),
        valid_from=int(data.get("valid_from") or data["version"]),
        title=str(data.get("title", ""))[:200],
        source=str(data["source"]),
        note=str(data.get("note", "")),
        pass_mark=int(data.get("pass_mark", 60)),
        sha256=digest,
    )
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            code=str(i["code"]),
            name=str(i["name"])[:300],
            area=str(i.get("area", ""))[:40],
            kind=i["kind"],
            points=int(i.get("points", 0)),
            applies_to=i["applies_to"],
            services=bool(i.get("services", False)),
            position=n,
        )
        for n, i in enumerate(items)
    )
    record(
        "inspections.scheme.load",
        actor=actor,
        obj=version,
        after={"version": version.version, "items": len(items), "sha256": digest},
    )
    return version


def scheme_for(year: int) -> SchemeVersion:
    """The version that applies to `year`: the latest one valid from that year or before (loaded on first use)."""
    version = SchemeVersion.objects.filter(valid_from__lte=year).order_by("-valid_from", "-pk").first()
    if version is None and not SchemeVersion.objects.exists():
        load_scheme()
        version = SchemeVersion.objects.filter(valid_from__lte=year).order_by("-valid_from", "-pk").first()
    if version is None:
        raise NotFound(_("No indicator scheme applies to this year."), code="no_scheme")
    return version


def indicators(version: SchemeVersion, scope: str | None = None) -> list[Indicator]:
    qs = version.indicators.all()
    if scope:
        qs = qs.filter(applies_to=scope)
    return list(qs.order_by("position", "pk"))
