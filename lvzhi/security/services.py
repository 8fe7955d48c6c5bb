"""Raising, counting and handling security incidents (S2-34). Domain apps and the foundation call these.

    raise_incident(*, kind, severity, subject=None, org_unit=None, detail=None, key="") -> Incident
    count_misuse(key, *, window_minutes) -> int
    note_token_misuse(*, reason, token_id=None, user=None) -> Incident | None
    raise_after_request(**same as raise_incident)   (survives a rollback of the caller's transaction)
    acknowledge(*, actor, incident) / close(*, actor, incident)

An incident is written in the caller's transaction (it commits with the lockout it reports), audited as
`security.incident.raise`, and the security administrators over its unit (all of them for an incident without a
unit) get an inbox message, and an SMS for high and critical ones. Repeats within `LVZHI_INCIDENT_WINDOW_MINUTES`
(same kind, subject and key) only count on the existing incident: no new row, no new message.
"""

import contextvars
import datetime as dt
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import current_ip, record
from lvzhi.core.errors import Conflict
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit

from .models import Incident, MisuseCounter

TOKEN_MISUSE_THRESHOLD = 5  # bad tokens presented within the window before it is an incident
TOKEN_MISUSE_WINDOW_MINUTES = 10
NOTIFY_BY_SMS = frozenset({Incident.Severity.HIGH, Incident.Severity.CRITICAL})


def _window(now, minutes: int) -> int:
    return int(now.timestamp() // (minutes * 60))


def window_minutes() -> int:
    return max(1, int(getattr(settings, "LVZHI_INCIDENT_WINDOW_MINUTES", 60)))


def security_admins(org_unit_id: int | None):
    """Active users holding the security-administrator role at the unit or above it (reaching down); every
    security administrator for an incident without a unit."""

    assignments = RoleAssignment.objects.filter(role=Role.SECADMIN, revoked_at__isnull=True)
    if org_unit_id is not None:
        unit = OrgUnit.objects.filter(pk=org_unit_id).only("path").first()
        above = unit.ancestor_ids() if unit is not None else [org_unit_id]
        assignments = assignments.filter(Q(unit_id=org_unit_id) | Q(include_descendants=True, unit_id__in=above))
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).order_by("pk")


def _notify(incident: Incident) -> None:
    title = _("Security incident #%(id)s: %(kind)s") % {"id": incident.pk, "kind": incident.get_kind_display()}
    body = _("Severity: %(severity)s. Open the security incidents in the back office.") % {
        "severity": incident.get_severity_display()
    }
    notify(
        security_admins(incident.org_unit_id),
        title=title,
        body=body,
        link=f"/office/security/incidents/{incident.pk}/",
        event="security.incident.raise",
        obj=incident,
        sms=incident.severity in NOTIFY_BY_SMS,
    )


def raise_incident(
    *,
    kind: str,
    severity: str,
    subject=None,
    org_unit=None,
    detail: dict | None = None,
    key: str = "",
    now=None,
) -> Incident:
    """Raise (or count a repeat of) an incident. `subject` is a model instance or a (type, id) pair; `detail` holds
    references only (ids, counts, codes); `key` tells apart incidents of one kind and subject (e.g. a masked
    number). Returns the incident."""
    now = now or timezone.now()
    if subject is None:
        subject_type, subject_id = "", ""
    elif isinstance(subject, tuple):
        subject_type, subject_id = str(subject[0])[:60], str(subject[1])[:40]
    else:
        subject_type, subject_id = subject._meta.label_lower[:60], str(subject.pk)[:40]
    dedup_key = f"{kind}|{subject_type}|{subject_id}|{key}"[:120]
    minutes = window_minutes()
    with transaction.atomic():
        recent = (
            Incident.objects.select_for_update()
            .filter(dedup_key=dedup_key, last_seen_at__gte=now - dt.timedelta(minutes=minutes))
            .exclude(status=Incident.Status.CLOSED)
            .order_by("-last_seen_at")
            .first()
        )
        if recent is not None:
            return _repeat(recent, now)
        incident = Incident(
            kind=kind,
            severity=severity,
            dedup_key=dedup_key,
            window=_window(now, minutes),
            first_seen_at=now,
            last_seen_at=now,
            subject_type=subject_type,
            subject_id=subject_id,
            org_unit_id=getattr(org_unit, "pk", org_unit),
            ip=current_ip.get(),
            detail=detail or {},
        )
        try:
            with transaction.atomic():
                incident.save(force_insert=True)
        except IntegrityError:  # raised at the same moment by another server: count on theirs
            theirs = (
                Incident.objects.select_for_update()
                .exclude(status=Incident.Status.CLOSED)
                .get(dedup_key=dedup_key, window=incident.window)
            )
            return _repeat(theirs, now)
        record(
            "security.incident.raise",
            obj=incident,
            org_unit=incident.org_unit_id,
            after={"incident": incident.pk, "kind": kind, "severity": severity, "subject": dedup_key.split("|")[1:3]}
            | {"detail": incident.detail},
        )
        _notify(incident)
    return incident


def _repeat(incident: Incident, now) -> Incident:
    Incident.objects.filter(pk=incident.pk).update(occurrences=F("occurrences") + 1, last_seen_at=now)
    incident.refresh_from_db(fields=["occurrences", "last_seen_at"])
    return incident


# --- incidents that must outlive a rolled-back transaction ------------------------------------------------------

_pending: contextvars.ContextVar[tuple] = contextvars.ContextVar("lvzhi_pending_incidents", default=())


def raise_after_request(**kwargs) -> None:
    """For a refusal that rolls back its own transaction (a blocked submission): the incident is written when the
    request ends (PendingIncidentsMiddleware), whatever became of the transaction. Outside a request, call
    `flush_pending()` after the transaction."""
    _pending.set(_pending.get() + (kwargs,))


def flush_pending() -> list[Incident]:
    pending = _pending.get()
    _pending.set(())
    return [raise_incident(**kwargs) for kwargs in pending]


# --- repeated misuse ------------------------------------------------------------------------------------------


def count_misuse(key: str, *, window_minutes: int, now=None) -> int:
    """Count one occurrence of `key` in the current window (shared by every app server); returns the count."""
    now = now or timezone.now()
    window = _window(now, window_minutes)
    with transaction.atomic():
        if not MisuseCounter.objects.filter(key=key[:120], window=window).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    MisuseCounter.objects.create(key=key[:120], window=window, count=1)
            except IntegrityError:
                MisuseCounter.objects.filter(key=key[:120], window=window).update(count=F("count") + 1)
        return MisuseCounter.objects.filter(key=key[:120], window=window).values_list("count", flat=True).get()


def note_token_misuse(*, reason: str, token_id: int | None = None, user=None, now=None) -> Incident | None:
    """A revoked, expired or unknown API token was presented. Counted per token (per client address for unknown
    ones); from the TOKEN_MISUSE_THRESHOLD-th time in the window on it is an incident."""
    ip = current_ip.get() or ""
    key = f"token:{token_id}" if token_id else f"token-ip:{ip}"
    count = count_misuse(key, window_minutes=TOKEN_MISUSE_WINDOW_MINUTES, now=now)
    if count < TOKEN_MISUSE_THRESHOLD:
        return None
    return raise_incident(
        kind=Incident.Kind.TOKEN_MISUSE,
        severity=Incident.Severity.HIGH,
        subject=("accounts.apitoken", token_id) if token_id else None,
        org_unit=getattr(user, "unit_id", None),
        detail={"reason": reason, "token": token_id, "user": getattr(user, "pk", None), "count": count},
        key="" if token_id else ip,
        now=now,
    )


def purge_counters(now=None) -> int:
    """Tick job: counters of windows that ended more than a day ago are deleted."""
    now = now or timezone.now()
    cutoff = _window(now - dt.timedelta(days=1), TOKEN_MISUSE_WINDOW_MINUTES)
    deleted, _rows = MisuseCounter.objects.filter(window__lt=cutoff).delete()
    return deleted


def clear_expired_sessions(now=None) -> None:
    """Tick job (residual information): sessions past their expiry (a browser closed without logging out) are
    deleted from the session store, not left lying in the database."""

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


# --- handling by the security administrator --------------------------------------------------------------------


def _move(*, actor, incident: Incident, sources, target: str, event: str, stamp: dict) -> Incident:
    with transaction.atomic():
        updated = Incident.objects.filter(pk=incident.pk, status__in=sources).update(status=target, **stamp)
        if not updated:
            raise Conflict(_("This incident was changed meanwhile; reload and try again."), code="incident_changed")
        before = incident.status
        incident.refresh_from_db()
        record(
            event,
            actor=actor,
            obj=incident,
            org_unit=incident.org_unit_id,
            before={"status": before},
            after={"status": target},
        )
    return incident


def acknowledge(*, actor, incident: Incident) -> Incident:
    """The security administrator has seen it and is dealing with it (open → acknowledged)."""
    now = timezone.now()
    return _move(
        actor=actor,
        incident=incident,
        sources=[Incident.Status.OPEN],
        target=Incident.Status.ACKNOWLEDGED,
        event="security.incident.acknowledge",
        stamp={"acknowledged_by": actor, "acknowledged_at": now},
    )


def close(*, actor, incident: Incident) -> Incident:
    """Dealt with (open or acknowledged → closed). A later repeat raises a new incident."""
    now = timezone.now()
    stamp = {"closed_by": actor, "closed_at": now}
    if incident.status == Incident.Status.OPEN:
        stamp |= {"acknowledged_by": actor, "acknowledged_at": now}
    return _move(
        actor=actor,
        incident=incident,
        sources=[Incident.Status.OPEN, Incident.Status.ACKNOWLEDGED],
        target=Incident.Status.CLOSED,
        event="security.incident.close",
        stamp=stamp,
    )


@transaction.atomic
def record_export(*, actor, status: str, count: int) -> None:
    """The security administrator exported the incident list (audited: who, which filter, how many)."""
    record("security.incident.export", actor=actor, after={"status": status or "all", "count": count})
