"""Checking one row of a file of past years' proposals and replies (历史提案及答复). Pure reads, like `rows.py`.

The proposers are matched to the body's members and deputies (imported first, with their member list) by name and
mobile or ID-card number; the handling units are units of the body; the kind is the body's (a CPPCC has 提案, a
people's congress 建议 and 议案); the same year, kind and number twice in the file is a duplicate, and a number
held by an item handled on the platform is refused (`check_history_batch`, two queries per batch).
"""

import datetime as dt
import re

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.core.timeutil import local_date
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.services.history import HISTORY_SOURCE

from .columns import CLASS_WORDS, KIND_WORDS, PROPOSAL_COLUMNS, RATING_WORDS
from .rows import Context, Row, clean_columns

_PERSON = re.compile(r"^\s*([^()（）]+?)\s*[(（]\s*([0-9Xx+\- ]+)\s*[)）]\s*$")
_SEPARATORS = re.compile(r"[、；;,，\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MAX_PEOPLE = 50
MAX_CO_UNITS = 10


def _int(row: Row, key: str, label: str, low: int, high: int) -> int | None:
    text = row.values.get(key, "")
    if not text:
        row.fail(key, f"{key}_required", _("%(field)s is required.") % {"field": label})
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        row.fail(
            key,
            f"{key}_invalid",
            _("%(field)s must be a whole number from %(low)d to %(high)d.")
            % {"field": label, "low": low, "high": high},
        )
        return None
    return int(text)


def _date(row: Row, key: str, label: str) -> dt.datetime | None:
    text = row.values.get(key, "")
    if not text:
        return None
    match = _DATE.match(text)
    try:
        day = dt.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or day > local_date(timezone.now()):
        row.fail(key, f"{key}_invalid", _("%(field)s is not a past date like 2024-06-30.") % {"field": label})
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _kind(row: Row, ctx: Context) -> str:
    allowed = ("suggestion", "bill") if ctx.is_congress else ("proposal",)
    word = row.values.get("kind", "")
    kind = KIND_WORDS.get(word) if word else allowed[0]
    if kind not in allowed:
        row.fail(
            "kind",
            "kind_invalid",
            _("The kind “%(name)s” is not one of this body's (a CPPCC: 提案; a people's congress: 建议 or 议案).")
            % {"name": word},
        )
        return ""
    return kind


def _people(row: Row) -> list[tuple[str, str]]:
    text = row.values.get("proposers", "")
    people = []
    for part in [p for p in _SEPARATORS.split(text) if p.strip()][:MAX_PEOPLE]:
        match = _PERSON.match(part)
        if match is None:
            row.fail(
                "proposers",
                "proposer_invalid",
                _("Write each proposer as name(mobile or ID-card number), separated by 、: “%(text)s”.")
                % {"text": part.strip()[:40]},
            )
            continue
        people.append((match.group(1), re.sub(r"[\s\-]", "", match.group(2)).upper().removeprefix("+86")))
    if not people and not row.problems:
        row.fail("proposers", "proposers_required", _("Name at least the first proposer."))
    return people


def _units(row: Row, ctx: Context) -> None:
    c = row.clean
    c["lead_unit"] = _unit(row, ctx, "lead_unit", row.values.get("lead_unit", ""))
    names = [n.strip() for n in _SEPARATORS.split(row.values.get("co_units", "")) if n.strip()]
    c["co_units"] = [u for u in (_unit(row, ctx, "co_units", n) for n in names[:MAX_CO_UNITS]) if u is not None]
    if names and c["lead_unit"] is None and not row.values.get("lead_unit"):
        row.fail("lead_unit", "lead_unit_required", _("Name the lead unit when there are co-handling units."))
    if c["lead_unit"] is not None and c["lead_unit"] in c["co_units"]:
        row.fail("co_units", "co_unit_is_lead", _("The lead unit cannot be a co-handling unit too."))


def _unit(row: Row, ctx: Context, key: str, name: str):
    if not name:
        return None
    unit = ctx.units_by_name.get(name)
    if unit is None:
        row.fail(
            key,
            f"unknown_{key}",
            _("The unit “%(name)s” is not one of this body's; create it first or correct the name.") % {"name": name},
        )
    return unit


def _reply(row: Row) -> None:
    c, v = row.clean, row.values
    c["submitted"] = _date(row, "submitted", _("The date of submission"))
    c["replied"] = _date(row, "replied", _("The date of the reply"))
    c["classification"] = v.get("classification", "").upper()
    if c["classification"] and c["classification"] not in CLASS_WORDS:
        row.fail("classification", "classification_invalid", _("The result class is A, B, C or D."))
    c["rating"] = RATING_WORDS.get(v.get("rating", ""), "")
    if v.get("rating") and not c["rating"]:
        row.fail("rating", "rating_invalid", _("The satisfaction is 满意, 基本满意, 不满意 or 未评价."))
    if v.get("public", "") not in ("", "是", "否"):
        row.fail("public", "public_invalid", _("Whether it is public is 是 or 否."))
    c["public"] = v.get("public") == "是"
    if c.get("reply") and not (v.get("replied") and v.get("lead_unit")):  # a wrong date or unit is told above
        row.fail("replied", "reply_incomplete", _("A reply needs its date and the lead unit that sent it."))
    if (c["rating"] or c["classification"]) and not c.get("reply"):
        row.fail("reply", "reply_required", _("A result class or a satisfaction needs the reply text."))
    if c["replied"] and c["submitted"] and c["replied"] < c["submitted"]:
        row.fail("replied", "reply_before_submission", _("The reply cannot be dated before the submission."))


def check_history(row: Row, ctx: Context) -> None:
    clean_columns(row, PROPOSAL_COLUMNS)
    c = row.clean
    this_year = local_date(timezone.now()).year
    c["year"] = _int(row, "year", _("The year"), 1950, this_year)
    c["number"] = _int(row, "number", _("The number"), 1, 99999)
    c["kind"] = _kind(row, ctx)
    c["people"] = _people(row)
    _units(row, ctx)
    _reply(row)
    if c["year"] and c["number"] and c["kind"]:
        key = f"{c['year']}|{c['kind']}|{c['number']}"
        first = ctx.seen_code.setdefault(key, row.number)
        if first != row.number:
            row.fail("number", "duplicate_number", _("The same year and number as row %(row)d.") % {"row": first})


def check_history_batch(rows: list[Row], ctx: Context) -> None:
    """The proposers among the body's members and deputies (former ones too) and the numbers taken by items handled
    on the platform: two queries for the batch."""
    # ID-card numbers are stored encrypted (no lookup by value): the candidates are found by name, then matched by
    # their mobile or (decrypted) ID-card number.
    names = {name for r in rows for name, _key in r.clean.get("people", [])}
    found: dict[str, list] = {}
    people = User.objects.filter(
        real_name__in=names, pk__in=MemberProfile.objects.filter(body=ctx.body).values("user_id")
    )
    for user in people.only("pk", "phone", "id_card", "real_name"):
        for key in {user.phone, user.id_card} - {""}:
            found.setdefault(key, []).append(user)
    numbers = {(r.clean["year"], r.clean["kind"], r.clean["number"]) for r in rows if r.clean.get("number")}
    live = set()
    if numbers:
        q = Q(pk__in=[])
        for year, kind, number in numbers:
            q |= Q(year=year, kind=kind, number=number)
        live = set(
            Proposal.objects.filter(q, body=ctx.body)
            .exclude(source_note=HISTORY_SOURCE)
            .values_list("year", "kind", "number")
        )
    for row in rows:
        _match_people(row, found)
        if (row.clean.get("year"), row.clean.get("kind"), row.clean.get("number")) in live:
            row.fail("number", "number_taken", _("This number belongs to an item handled on the platform."))


def _match_people(row: Row, found: dict) -> None:
    matched = []
    for name, key in row.clean.get("people", []):
        user = next((u for u in found.get(key, []) if u.real_name == name), None)
        if user is None:
            row.fail(
                "proposers",
                "proposer_unknown",
                _("“%(name)s” is not a member or deputy of this body with this mobile or ID-card number.")
                % {"name": name[:20]},
            )
        elif user in matched:
            row.fail("proposers", "proposer_twice", _("“%(name)s” is named twice.") % {"name": name[:20]})
        else:
            matched.append(user)
    row.clean["proposer"] = matched[0] if matched else None
    row.clean["cosigners"] = matched[1:]
