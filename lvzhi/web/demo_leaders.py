"""Demo: every unit that has back-office operators names its responsible leaders (S2-5), so the unit pages of the
back office show them and new operator accounts can be given there. Idempotent: only missing leaders are added."""

from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.roles import OPERATOR_ROLES
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import OrgUnit, UnitLeader
from lvzhi.orgs.selectors import missing_leader_duties

POSTS = {UnitLeader.Duty.PRINCIPAL: "主要负责人", UnitLeader.Duty.IN_CHARGE: "分管领导"}
NAMES = {UnitLeader.Duty.PRINCIPAL: "（演示）{unit}负责人", UnitLeader.Duty.IN_CHARGE: "（演示）{unit}分管领导"}


def load_leaders_demo(actor=None) -> int:
    unit_ids = RoleAssignment.objects.filter(role__in=OPERATOR_ROLES, revoked_at__isnull=True).values("unit_id")
    created = 0
    for unit in OrgUnit.objects.filter(pk__in=unit_ids, is_active=True).order_by("path"):
        for duty in missing_leader_duties(unit):
            label = (unit.short_name or unit.name)[:30]
            org_services.set_unit_leader(
                actor=actor, unit=unit, duty=duty, name=NAMES[duty].format(unit=label)[:50], post=POSTS[duty]
            )
            created += 1
    return created
