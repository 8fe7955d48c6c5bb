"""Reads of security incidents, filtered for the reader."""

from lvzhi.core.errors import NotFound

from .models import Incident
from .permissions import incidents_q, may_handle_incidents


def incidents_for(user, *, status: str = ""):
    """The incidents the user handles, newest activity first (404 for everyone else)."""
    if not may_handle_incidents(user):
        raise NotFound()
    qs = Incident.objects.filter(incidents_q(user)).select_related("org_unit", "acknowledged_by", "closed_by")
    if status in Incident.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-last_seen_at", "-id")


def access_incident(user, incident_id) -> Incident:
    try:
        incident_id = int(incident_id)
    except (TypeError, ValueError):
        raise NotFound()
    incident = incidents_for(user).filter(pk=incident_id).first() if 0 < incident_id < 2**62 else None
    if incident is None:
        raise NotFound()
    return incident


def open_count(user) -> int:
    if not may_handle_incidents(user):
        return 0
    return Incident.objects.filter(incidents_q(user), status=Incident.Status.OPEN).count()
