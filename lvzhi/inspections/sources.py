"""Facts about outlets from other modules, for the self-inspection report and the annual assessment.

A provider is a function `fn(outlet_ids, start, end) -> iterable of dict` with the keys of `Fact` (outlet id,
indicator code or kind, veto, found on, due on, fixed on, status, summary, link); register it with
`inspections.sources.register(fn)` (or a dotted path), e.g. `monitoring.selectors.assessment_facts`. Providers are
called in registration order; a provider's error propagates (a silent gap would distort an assessment).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.utils.module_loading import import_string

_PROVIDERS: list[Callable | str] = []


@dataclass(frozen=True)
class Fact:
    outlet_id: int
    indicator: str  # an indicator code of the scheme (e.g. "N-V2") or a kind the provider names
    veto: bool
    found_on: dt.date
    due_on: dt.date | None
    fixed_on: dt.date | None
    status: str
    summary: str
    link: str = ""
    source: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("found_on", "due_on", "fixed_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    def unfixed_past_due(self, on: dt.date) -> bool:
        return self.due_on is not None and self.due_on < on and (self.fixed_on is None or self.fixed_on > self.due_on)


def register(fn: Callable | str) -> None:
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)


def unregister(fn: Callable | str) -> None:
    if fn in _PROVIDERS:
        _PROVIDERS.remove(fn)


def _date(value):
    if value is None or value == "" or isinstance(value, dt.date):
        return value or None
    return dt.date.fromisoformat(str(value)[:10])


def _fact(record, source: str) -> Fact:
    get = record.get if isinstance(record, dict) else lambda k, d=None: getattr(record, k, d)
    return Fact(
        outlet_id=int(get("outlet_id")),
        indicator=str(get("indicator") or get("kind") or ""),
        veto=bool(get("veto", False)),
        found_on=_date(get("found_on")),
        due_on=_date(get("due_on")),
        fixed_on=_date(get("fixed_on")),
        status=str(get("status") or ""),
        summary=str(get("summary") or "")[:300],
        link=str(get("link") or ""),
        source=source,
    )


def facts(outlet_ids: Iterable[int], start: dt.date, end: dt.date) -> list[Fact]:
    """Every registered provider's facts about `outlet_ids` found between `start` and `end` (inclusive)."""
    ids = list(outlet_ids)
    if not ids:
        return []
    out = []
    for provider in list(_PROVIDERS):
        fn = import_string(provider) if isinstance(provider, str) else provider
        name = provider if isinstance(provider, str) else f"{fn.__module__}.{fn.__qualname__}"
        for record in fn(ids, start, end) or ():
            fact = _fact(record, name)
            if fact.outlet_id in ids and fact.found_on is not None and start <= fact.found_on <= end:
                out.append(fact)
    return out
