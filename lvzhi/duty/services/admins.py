"""Department administrators of this module (S3-15, S3-16; seed 003 arts. 15-16): one per department; handing
the role over ends the old holder's and starts the new one's in one transaction (their rights follow at once)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.orgs.models import OrgUnit, UnitKind

from .. import permissions as perm
from ..models import DepartmentAdmin

DEPARTMENT_KINDS = (UnitKind.OFFICE, UnitKind.COMMITTEE, UnitKind.DEPARTMENT)


@transaction.atomic
def assign_admin(*, actor, department: OrgUnit, user_id) -> DepartmentAdmin:
    """Name the department's administrator; an existing one hands over (ended in the same transaction)."""
    if department is None or department.kind not in DEPARTMENT_KINDS or not perm.is_liaison(actor, department.body):
        raise NotFound()
    try:
        user = User.objects.get(pk=int(user_id), is_active=True)
    except (TypeError, ValueError, User.DoesNotExist):
        raise ValidationFailed(_("Choose a person of the department."), code="user_invalid")
    if user.unit_id != department.pk:
        raise ValidationFailed(_("Choose a person of the department."), code="user_invalid")
    current = DepartmentAdmin.objects.select_for_update().filter(department=department, ended_at__isnull=True).first()
    if current is not None and current.user_id == user.pk:
        raise Conflict(_("This person is already the administrator."), code="already_admin")
    now = timezone.now()
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    try:
        with transaction.atomic():
            new = DepartmentAdmin.objects.create(department=department, user=user, assigned_by=actor)
    except IntegrityError:
        raise Conflict(code="conflict")
    audit(
        "duty.admin.hand_over" if current else "duty.admin.assign",
        actor=actor,
        obj=new,
        org_unit=department,
        before={"user": current.user_id} if current else None,
        after={"user": user.pk},
    )
    return new


def current_admin(department) -> DepartmentAdmin | None:
    return DepartmentAdmin.objects.filter(department=department, ended_at__isnull=True).select_related("user").first()
