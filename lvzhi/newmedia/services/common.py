"""Shared pieces of the new-media services: locks, checks of names, units, people and files."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.core.uploads import clean_image, store_file
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workdays import calendar

from .. import permissions as perm
from .. import rules
from ..models import Duty, Filing, Outlet

HOST_KINDS = (UnitKind.BODY, UnitKind.DEPARTMENT, UnitKind.HANDLING_UNIT)


def lock_outlet(outlet) -> Outlet:
    locked = Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
    if locked is None:
        raise NotFound()
    return Outlet.objects.select_related("host_unit", "competent_office", "body").get(pk=locked.pk)


def lock_filing(filing) -> Filing:
    locked = Filing.objects.select_for_update().filter(pk=filing.pk).first()
    if locked is None:
        raise NotFound()
    return Filing.objects.select_related("outlet__host_unit", "outlet__competent_office", "unit", "office").get(
        pk=locked.pk
    )


def text(value, *, field, label, max_length, required=True, multiline=False) -> str:
    return clean_text(value, field=field, label=label, max_length=max_length, required=required, multiline=multiline)


def host_unit_ok(unit: OrgUnit) -> None:
    """S1-3.1, S2-12: the body itself or one of its departments hosts; never an internal sub-unit."""
    if unit.kind not in HOST_KINDS or not (unit.is_body or unit.parent_id == unit.body_id):
        raise ValidationFailed(
            _("Accounts are not opened in the name of an internal sub-unit; the unit itself hosts them."),
            code="internal_subunit",
        )


def competent_office_of(unit: OrgUnit) -> OrgUnit:
    """S1-2, S2-4: the government office of the unit's own level (its body)."""
    return unit if unit.is_body or unit.body_id is None else unit.body


def check_name(name: str) -> str:
    name = text(name, field="name", label=_("The name"), max_length=rules.NAME_MAX)
    if any(word in name for word in rules.EVENT_WORDS):
        raise ValidationFailed(
            _("No account is opened for a one-off event or campaign (S2-12); use the unit's own account."),
            code="one_off_event",
        )
    return name


def region_words(body: OrgUnit) -> set[str]:
    """Administrative-region and government-body names (S2-15): the fixed list, every body's name and its
    place name (the name without its body suffix), every government unit's name and short name."""
    words = set(rules.REGION_WORDS)
    for name, short in OrgUnit.objects.filter(kind=UnitKind.BODY).values_list("name", "short_name"):
        for value in (name, short):
            if not value:
                continue
            words.add(value)
            for suffix in ("人民政府", "人大常委会", "政协", "委员会"):
                if value.endswith(suffix) and len(value) > len(suffix) + 1:
                    place = value[: -len(suffix)]
                    words.add(place)
                    if place[-1] in "省市县区州镇乡" and len(place) > 2:
                        words.add(place[:-1])
    units = OrgUnit.objects.filter(body_type="government").exclude(kind=UnitKind.BODY)
    for name, short in units.values_list("name", "short_name"):
        words.update(v for v in (name, short) if v and len(v) >= 3)
    return {w for w in words if len(w) >= 2}


def needs_city_approval(name: str, body: OrgUnit) -> bool:
    return any(word in name for word in region_words(body))


def check_decision(decision_date, decision_ref) -> tuple[dt.date, str]:
    if not isinstance(decision_date, dt.date):
        raise ValidationFailed(
            _("Give the date of the collective decision (S2-12, S2-17)."), code="decision_date_required"
        )
    if decision_date > local_date() or decision_date < local_date() - dt.timedelta(days=3660):
        raise ValidationFailed(_("The date of the decision is not plausible."), code="decision_date_invalid")
    ref = text(decision_ref, field="decision_ref", label=_("The collective decision"), max_length=rules.REF_MAX)
    return decision_date, ref


def file_by(decision_date: dt.date, unit) -> dt.date:
    """The last day to file: the body's limit in working days after the decision day (not counted)."""
    return calendar.due_date(calendar.add_working_days(start_of_day(decision_date), rules.filing_days(unit)))


def clean_people(people: dict, unit) -> list[tuple[str, object]]:
    """S2-13: a chief editor, editors, reviewers and technical staff, each a platform user with the right role."""

    rows = []
    for duty in Duty:
        ids = [int(i) for i in (people or {}).get(duty.value, []) if str(i).isdigit()][:20]
        if not ids:
            raise ValidationFailed(
                _("Name the account's %(duty)s (S2-13).") % {"duty": duty.label}, code="people_missing"
            )
        users = list(User.objects.filter(pk__in=ids, is_active=True))
        if len(users) != len(set(ids)):
            raise ValidationFailed(_("A person named is not a user of the platform."), code="person_unknown")
        for user in users:
            if not perm.may_fill(user, duty.value, unit):
                raise ValidationFailed(
                    _("%(name)s does not hold the role needed to be the account's %(duty)s.")
                    % {"name": user.real_name, "duty": duty.label},
                    code="person_not_eligible",
                )
            rows.append((duty.value, user))
    return rows


@dataclass(frozen=True)
class CheckedImage:
    """An avatar or a scanned agreement checked and re-encoded, not yet stored (`store` writes it)."""

    name: str
    data: bytes
    sha256: str

    def store(self, fieldfile) -> str:
        """Write it for `fieldfile` through `store_file`: removed again if the transaction rolls back."""
        return store_file(fieldfile, self.name, self.data)


def image_file(upload, *, max_bytes: int, prefix: str) -> CheckedImage:
    """An avatar or a scanned agreement through the one upload checker (nothing written yet)."""
    data = upload.read(max_bytes + 1) if hasattr(upload, "read") else bytes(upload)
    image = clean_image(data, max_bytes=max_bytes)
    digest = hashlib.sha256(image.data).hexdigest()
    return CheckedImage(f"{prefix}-{digest[:16]}.{image.ext}", image.data, digest)
