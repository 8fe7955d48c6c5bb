# ruff: noqa: S608  (table names come from the models' meta, values are bound parameters or int())
"""Points (S3-8, S3-9): rule sets per body and year (versioned, frozen once published), a record's points, and a
member's yearly total kept up to date incrementally; `recompute_year` rebuilds a year's totals in bulk SQL and
gives the same numbers (`compute_total` is the one definition both follow).

A member's total for a year: for each kind, min(positive points, the kind's cap) plus the deductions of that kind
(deductions are never capped); the sum over kinds, at most the year's cap.
"""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perm
from ..models import Kind, KindCap, MemberYear, Outcome, Publication, Record, RuleSet, ScoringRule, TotalCount
from .common import check_year_open

R = Record.Status
RS = RuleSet.Status
POINTS_LIMIT = 1000


def ruleset_for(body, year) -> RuleSet | None:
    """The rules in force for the body and year (the active or frozen version); a county without its own rule
    set for the year uses its nearest ancestor body's (S3-18)."""
    ids = list(reversed(body.ancestor_ids()))
    sets = {
        rs.body_id: rs for rs in RuleSet.objects.filter(body_id__in=ids, year=year, status__in=[RS.ACTIVE, RS.FROZEN])
    }
    for pk in ids:
        if pk in sets:
            return sets[pk]
    return None


def _rule_table(ruleset: RuleSet | None) -> tuple[dict, dict, int | None]:
    """({(kind, outcome): rule}, {kind: cap}, year cap), cached on the rule set object."""
    if ruleset is None:
        return {}, {}, None
    cached = getattr(ruleset, "_table", None)
    if cached is None:
        rules = {(r.kind, r.outcome): r for r in ruleset.rules.all()}
        caps = dict(ruleset.caps.values_list("kind", "cap"))
        cached = ruleset._table = (rules, caps, ruleset.year_cap)
    return cached


def price(record: Record, ruleset: RuleSet | None) -> tuple[ScoringRule | None, int]:
    """The rule a record falls under and its points (points per unit × quantity); a correction that cancels earns
    nothing."""
    rules, _caps, _ycap = _rule_table(ruleset)
    rule = rules.get((record.kind, record.outcome))
    if rule is None or record.outcome == Outcome.CANCELLED:
        return None, 0
    return rule, rule.points * record.quantity


def compute_total(per_kind: dict, caps: dict, year_cap: int | None) -> int:
    """per_kind: {kind: (positive points, deductions ≤ 0)}."""
    total = 0
    for kind, (positive, negative) in per_kind.items():
        cap = caps.get(kind)
        total += (min(positive, cap) if cap is not None else positive) + negative
    if year_cap is not None:
        total = min(total, year_cap)
    return total


def _profile(body, member):
    return MemberProfile.objects.filter(user=member, body=body).values("committee_id", "sector_id").first() or {}


def refresh_member_year(*, body, member, year) -> MemberYear:
    """Recount one member's year from their counted records (one aggregate query), in the caller's transaction."""
    rows = (
        Record.objects.filter(body=body, member=member, year=year, status=R.COUNTED)
        .values("kind")
        .annotate(
            pos=Sum(Case(When(points__gt=0, then="points"), default=0, output_field=IntegerField())),
            neg=Sum(Case(When(points__lt=0, then="points"), default=0, output_field=IntegerField())),
            n=Count("id"),
        )
    )
    per_kind, count = {}, 0
    for row in rows:
        per_kind[row["kind"]] = (row["pos"] or 0, row["neg"] or 0)
        count += row["n"]
    _rules, caps, year_cap = _rule_table(ruleset_for(body, year))
    total = compute_total(per_kind, caps, year_cap)
    profile = _profile(body, member)
    my, created = MemberYear.objects.select_for_update().get_or_create(body=body, member=member, year=year)
    before = None if created else _keys(my)
    my.total, my.records = total, count
    my.committee_id, my.sector_id = profile.get("committee_id"), profile.get("sector_id")
    my.save(update_fields=["total", "records", "committee", "sector", "updated_at"])
    _move_count(my, before, _keys(my))
    return my


# ---- the counts behind the ranks (TotalCount) -------------------------------------------------------------------


def _keys(my: MemberYear) -> list[tuple[str, int, int]]:
    """The (scope, unit, total) counters a member's year adds one to."""
    keys = [(TotalCount.Scope.BODY.value, my.body_id, my.total)]
    if my.committee_id is not None:
        keys.append((TotalCount.Scope.COMMITTEE.value, my.committee_id, my.total))
    if my.sector_id is not None:
        keys.append((TotalCount.Scope.SECTOR.value, my.sector_id, my.total))
    return keys


def _move_count(my: MemberYear, before: list | None, after: list) -> None:
    """Move the member from the counters of `before` to those of `after` (one upsert, in the caller's transaction;
    the rows in key order, so that two transactions never wait on each other crosswise)."""
    delta = defaultdict(int)
    for key in before or ():
        delta[key] -= 1
    for key in after:
        delta[key] += 1
    rows = sorted((key, n) for key, n in delta.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(TotalCount._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [p for (scope, unit, total), n in rows for p in (my.body_id, my.year, scope, unit, total, n)]
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (body_id, year, scope, unit_id, total, members) VALUES {values} "
            f"ON CONFLICT (body_id, year, scope, unit_id, total) DO UPDATE SET members = {table}.members + "
            f"excluded.members",
            params,
        )


@transaction.atomic
def recount(*, body, year: int) -> None:
    """Rebuild the year's counters behind the ranks from its MemberYear rows (the full recomputation does this
    too; for rows written in bulk outside the services, e.g. a data load)."""
    with connection.cursor() as cur:
        _rebuild_counts(cur, body, year)


def _rebuild_counts(cur, body, year) -> None:
    """The year's counters from its MemberYear rows (three aggregate INSERT … SELECT)."""
    q = connection.ops.quote_name
    tc, my = q(TotalCount._meta.db_table), q(MemberYear._meta.db_table)
    cur.execute(f"DELETE FROM {tc} WHERE body_id = %s AND year = %s", [body.pk, year])
    for scope, column in (("b", "body_id"), ("c", "committee_id"), ("s", "sector_id")):
        cur.execute(
            f"INSERT INTO {tc} (body_id, year, scope, unit_id, total, members) "
            f"SELECT body_id, year, %s, {column}, total, COUNT(*) FROM {my} "
            f"WHERE body_id = %s AND year = %s AND {column} IS NOT NULL GROUP BY body_id, year, {column}, total",
            [scope, body.pk, year],
        )


# ---- rule sets ------------------------------------------------------------------------------------------------


def _may_edit_rules(actor, body) -> bool:
    return perm.is_liaison(actor, body)


def _points(value, *, code="points_invalid"):
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Points must be a whole number."), code=code)
    if abs(n) > POINTS_LIMIT:
        raise ValidationFailed(_("Points must lie between -1000 and 1000."), code=code)
    return n


@transaction.atomic
def create_ruleset(*, actor, body, year: int, copy_from: RuleSet | None = None, year_cap=None, threshold=0) -> RuleSet:
    """A new draft version of the body's rules for `year`, optionally a copy of another version (e.g. last
    year's). A published year takes no new version."""
    if actor is not None and not _may_edit_rules(actor, body):
        raise NotFound()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give a year."), code="year_invalid")
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Give a year."), code="year_invalid")
    check_year_open(body, year)
    last = RuleSet.objects.filter(body=body, year=year).order_by("-version").first()
    rs = RuleSet.objects.create(
        body=body,
        year=year,
        version=(last.version + 1) if last else 1,
        year_cap=None if year_cap in (None, "") else _points(year_cap, code="year_cap_invalid"),
        threshold=_points(threshold or 0, code="threshold_invalid"),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if copy_from is not None:
        ScoringRule.objects.bulk_create(
            [ScoringRule(ruleset=rs, kind=r.kind, outcome=r.outcome, points=r.points) for r in copy_from.rules.all()]
        )
        KindCap.objects.bulk_create([KindCap(ruleset=rs, kind=c.kind, cap=c.cap) for c in copy_from.caps.all()])
        if year_cap in (None, ""):
            rs.year_cap, rs.threshold = copy_from.year_cap, copy_from.threshold
            rs.save(update_fields=["year_cap", "threshold"])
    audit(
        "duty.ruleset.create",
        actor=actor,
        obj=rs,
        org_unit=body,
        after={"year": year, "version": rs.version, "copy_from": getattr(copy_from, "pk", None)},
    )
    return rs


def _draft(actor, ruleset) -> RuleSet:
    rs = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if actor is not None and not _may_edit_rules(actor, rs.body):
        raise NotFound()
    if rs.status != RS.DRAFT:
        raise Conflict(_("Only a draft version can be changed; make a new version."), code="ruleset_not_draft")
    return rs


@transaction.atomic
def set_rule(*, actor, ruleset: RuleSet, kind: str, outcome: str, points) -> ScoringRule | None:
    """Set (or, with points None, remove) the points of one kind and outcome in a draft version."""
    rs = _draft(actor, ruleset)
    if kind not in Kind.values or outcome not in Outcome.values:
        raise ValidationFailed(_("Unknown kind or outcome."), code="rule_invalid")
    if points in (None, ""):
        ScoringRule.objects.filter(ruleset=rs, kind=kind, outcome=outcome).delete()
        rule = None
    else:
        rule, _c = ScoringRule.objects.update_or_create(
            ruleset=rs, kind=kind, outcome=outcome, defaults={"points": _points(points)}
        )
    audit(
        "duty.ruleset.rule",
        actor=actor,
        obj=rs,
        org_unit=rs.body,
        after={"kind": kind, "outcome": outcome, "points": getattr(rule, "points", None)},
    )
    return rule


@transaction.atomic
def set_cap(*, actor, ruleset: RuleSet, kind: str, cap) -> None:
    rs = _draft(actor, ruleset)
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown kind or outcome."), code="rule_invalid")
    if cap in (None, ""):
        KindCap.objects.filter(ruleset=rs, kind=kind).delete()
    else:
        value = _points(cap, code="cap_invalid")
        if value < 0:
            raise ValidationFailed(_("A cap cannot be negative."), code="cap_invalid")
        KindCap.objects.update_or_create(ruleset=rs, kind=kind, defaults={"cap": value})
    audit("duty.ruleset.cap", actor=actor, obj=rs, org_unit=rs.body, after={"kind": kind, "cap": cap})


@transaction.atomic
def activate_ruleset(*, actor, ruleset: RuleSet) -> RuleSet:
    """Put a draft version in force: the previous version is retired, the year's records are priced by the new
    rules and the totals recomputed. A published (frozen) year cannot change."""
    rs = _draft(actor, ruleset)
    check_year_open(rs.body, rs.year)
    RuleSet.objects.filter(body=rs.body, year=rs.year, status=RS.ACTIVE).update(status=RS.RETIRED)
    rs.status, rs.activated_at = RS.ACTIVE, timezone.now()
    rs.save(update_fields=["status", "activated_at"])
    audit(
        "duty.ruleset.activate", actor=actor, obj=rs, org_unit=rs.body, after={"year": rs.year, "version": rs.version}
    )
    recompute_year(body=rs.body, year=rs.year, reprice=True, actor=actor)
    return rs


# ---- the full recomputation -----------------------------------------------------------------------------------


def _reprice(body, year, ruleset) -> None:
    """Price every record of the year under the rules in force (two statements: the matching rules, then zero)."""
    table = connection.ops.quote_name
    rec, rule = table(Record._meta.db_table), table(ScoringRule._meta.db_table)
    params = [body.pk, year]
    with connection.cursor() as cur:
        if ruleset is None:
            cur.execute(f"UPDATE {rec} SET points = 0, rule_id = NULL WHERE body_id = %s AND year = %s", params)
            return
        cur.execute(
            f"UPDATE {rec} SET rule_id = (SELECT r.id FROM {rule} r WHERE r.ruleset_id = %s AND r.kind = {rec}.kind "
            f"AND r.outcome = {rec}.outcome), points = COALESCE((SELECT r.points FROM {rule} r WHERE r.ruleset_id = %s "
            f"AND r.kind = {rec}.kind AND r.outcome = {rec}.outcome), 0) * quantity "
            f"WHERE body_id = %s AND year = %s",
            [ruleset.pk, ruleset.pk, *params],
        )
        cur.execute(
            f"UPDATE {rec} SET points = 0, rule_id = NULL WHERE body_id = %s AND year = %s AND outcome = %s",
            [*params, Outcome.CANCELLED.value],
        )


def recompute_year(*, body, year: int, reprice: bool = False, actor=None) -> dict:
    """Rebuild every member's total of the body and year from the counted records, set-based: one aggregate pass
    over the records into a temporary table, one INSERT … SELECT of the missing rows (members of the body and
    members with records; born with their totals), one UPDATE … FROM of the rows whose total changed (an unchanged
    row is not written), then the counters behind the ranks (optionally re-pricing the records first). No loop per
    member. Same totals as the incremental path. Returns {"members": n, "records": m}."""
    ruleset = ruleset_for(body, year)
    q = connection.ops.quote_name
    rec, my, cap, prof = (
        q(Record._meta.db_table),
        q(MemberYear._meta.db_table),
        q(KindCap._meta.db_table),
        q(MemberProfile._meta.db_table),
    )
    tmp = "duty_recompute_totals"
    year_cap = ruleset.year_cap if ruleset else None
    with transaction.atomic():
        if reprice:
            _reprice(body, year, ruleset)
        now = timezone.now()
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # The per-member aggregate reads the covering index duty_record_year_totals in (member, kind)
                # order: grouping as it streams is three times faster than hashing 5M rows (measured), which the
                # planner would otherwise choose; no JIT compilation for a one-off statement.
                cur.execute("SET LOCAL enable_hashagg = off")
                cur.execute("SET LOCAL jit = off")
                cur.execute("SET LOCAL work_mem = '64MB'")
            capped = "CASE WHEN c.cap IS NOT NULL AND k.pos > c.cap THEN c.cap ELSE k.pos END + k.neg"
            total = f"SUM({capped})"
            if year_cap is not None:
                total = f"CASE WHEN {total} > {int(year_cap)} THEN {int(year_cap)} ELSE {total} END"
            cur.execute(f"DROP TABLE IF EXISTS {tmp}")
            cur.execute(
                f"CREATE TEMPORARY TABLE {tmp} AS "
                f"WITH k AS (SELECT member_id, kind, "
                f"SUM(CASE WHEN points > 0 THEN points ELSE 0 END) AS pos, "
                f"SUM(CASE WHEN points < 0 THEN points ELSE 0 END) AS neg, COUNT(*) AS n "
                f"FROM {rec} WHERE body_id = %s AND year = %s AND status = 'counted' GROUP BY member_id, kind) "
                f"SELECT k.member_id AS member_id, {total} AS total, SUM(k.n) AS n FROM k "
                f"LEFT JOIN {cap} c ON c.ruleset_id = %s AND c.kind = k.kind GROUP BY k.member_id",
                [body.pk, year, getattr(ruleset, "pk", 0)],
            )
            if connection.vendor == "postgresql":
                cur.execute("SET LOCAL enable_hashagg = on")  # the statements below may hash again
            # A temporary table is neither indexed nor analysed by itself: without both, the joins below would be
            # planned as nested loops over it.
            cur.execute(f"CREATE UNIQUE INDEX {tmp}_member ON {tmp} (member_id)")
            cur.execute(f"ANALYZE {tmp}")
            # Members of the body and members with records get a row, born with their totals. The missing rows
            # are listed first and inserted after: an INSERT … SELECT … WHERE NOT EXISTS over the table it fills
            # is planned on that table's statistics, and on a first recompute (an empty table) PostgreSQL chose a
            # nested loop that scanned the growing table once per member (quadratic: 14 minutes at 150,000).
            cur.execute(f"DROP TABLE IF EXISTS {tmp}_new")
            cur.execute(
                f"CREATE TEMPORARY TABLE {tmp}_new AS "
                f"SELECT m.member_id AS member_id, p.committee_id AS committee_id, p.sector_id AS sector_id, "
                f"COALESCE(t.total, 0) AS total, COALESCE(t.n, 0) AS n "
                f"FROM (SELECT user_id AS member_id FROM {prof} WHERE body_id = %s AND is_active "
                f"  UNION SELECT member_id FROM {tmp}) m "
                f"LEFT JOIN {prof} p ON p.user_id = m.member_id AND p.body_id = %s "
                f"LEFT JOIN {tmp} t ON t.member_id = m.member_id "
                f"WHERE NOT EXISTS (SELECT 1 FROM {my} x WHERE x.body_id = %s AND x.member_id = m.member_id "
                f"AND x.year = %s)",
                [body.pk, body.pk, body.pk, year],
            )
            cur.execute(
                f"INSERT INTO {my} (body_id, member_id, year, committee_id, sector_id, total, records, updated_at) "
                f"SELECT %s, member_id, %s, committee_id, sector_id, total, n, %s FROM {tmp}_new",
                [body.pk, year, now],
            )
            cur.execute(f"DROP TABLE {tmp}_new")
            # The existing rows whose total or count differs (members without counted records: zero).
            cur.execute(
                f"UPDATE {my} SET total = u.total, records = u.n, updated_at = %s FROM ("
                f"SELECT m.id AS id, COALESCE(t.total, 0) AS total, COALESCE(t.n, 0) AS n FROM {my} m "
                f"LEFT JOIN {tmp} t ON t.member_id = m.member_id WHERE m.body_id = %s AND m.year = %s) u "
                f"WHERE {my}.id = u.id AND ({my}.total <> u.total OR {my}.records <> u.n)",
                [now, body.pk, year],
            )
            cur.execute(f"DROP TABLE {tmp}")
            _rebuild_counts(cur, body, year)
            cur.execute(
                f"SELECT COUNT(*), COALESCE(SUM(records), 0) FROM {my} WHERE body_id = %s AND year = %s",
                [body.pk, year],
            )
            members, records = cur.fetchone()
        audit(
            "duty.year.recompute",
            actor=actor,
            org_unit=body,
            after={"year": year, "members": members, "records": int(records), "reprice": reprice},
        )
    return {"members": members, "records": int(records)}


def totals_by_python(body, year) -> dict[int, int]:
    """The same totals computed record by record in Python (for the test that both paths agree)."""
    _rules, caps, year_cap = _rule_table(ruleset_for(body, year))
    per = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for member_id, kind, points in Record.objects.filter(body=body, year=year, status=R.COUNTED).values_list(
        "member_id", "kind", "points"
    ):
        slot = per[member_id][kind]
        slot[0 if points > 0 else 1] += points
    return {m: compute_total({k: tuple(v) for k, v in kinds.items()}, caps, year_cap) for m, kinds in per.items()}


def members_changed_committee(*, body, member) -> None:
    """After a profile change: the member's rows of open years follow their committee and sector (and the
    counters behind the ranks with them)."""
    profile = _profile(body, member)
    rows = MemberYear.objects.select_for_update().filter(body=body, member=member)
    for my in rows.exclude(year__in=list(_published_years(body))).order_by("year"):
        before = _keys(my)
        my.committee_id, my.sector_id = profile.get("committee_id"), profile.get("sector_id")
        my.save(update_fields=["committee", "sector", "updated_at"])
        _move_count(my, before, _keys(my))


def _published_years(body):
    return Publication.objects.filter(body=body).values_list("year", flat=True)


__all__ = [
    "Q",
    "activate_ruleset",
    "compute_total",
    "create_ruleset",
    "price",
    "recompute_year",
    "recount",
    "refresh_member_year",
    "ruleset_for",
    "set_cap",
    "set_rule",
]
