"""Contact stations (代表联络站) and their reception days (代表接待日): the office sets up a station and its deputies;
the station's staff announce reception days; the public books a place (phone verified by SMS code, capacity kept
under a row lock, one booking per number and day) and gets an SMS confirmation with the booking code."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import clean_mobile, clean_text, safe_text
from lvzhi.letters import services as letters
from lvzhi.notify.services import send_sms
from lvzhi.orgs.models import OrgUnit

from .. import permissions as perm
from ..models import Booking, ReceptionDay, Station


def _deputies(body, ids) -> list:
    users = list(User.objects.filter(pk__in=[int(i) for i in ids or () if str(i).isdigit()]))
    if any(not has_role(u, Role.DEPUTY, body) for u in users):
        raise ValidationFailed(_("Choose deputies of this body."), code="deputy_invalid")
    return users


@transaction.atomic
def save_station(
    *, actor, body, unit, name: str, address: str = "", opening_hours: str = "", deputy_ids=(), station=None
) -> Station:
    if not perm.is_office(actor, body):
        raise NotFound()
    if not isinstance(unit, OrgUnit) or not unit.is_within(body):
        raise ValidationFailed(_("Choose the station's unit within the body."), code="unit_invalid")
    values = {
        "name": clean_text(name, field="name", max_length=100, label=_("Name")),
        "address": clean_text(address, field="address", max_length=200, label=_("Address"), required=False),
        "opening_hours": clean_text(
            opening_hours, field="opening_hours", max_length=200, label=_("Opening hours"), required=False
        ),
    }
    if station is None:
        station = Station.objects.create(body=body, unit=unit, **values)
    else:
        for key, value in values.items():
            setattr(station, key, value)
        station.unit = unit
        station.save()
    station.deputies.set(_deputies(body, deputy_ids))
    record("deputies.station.save", actor=actor, obj=station, org_unit=body, after={"deputies": len(deputy_ids or ())})
    return station


@transaction.atomic
def add_station_deputy(*, actor, station: Station, deputy) -> bool:
    """Put one deputy of the station's body on the station (onboarding from a list); False if already there. The
    caller authorises (the body's office importing its deputies)."""
    if not has_role(deputy, Role.DEPUTY, station.body):
        raise ValidationFailed(_("Choose deputies of this body."), code="deputy_invalid")
    if station.deputies.filter(pk=deputy.pk).exists():
        return False
    station.deputies.add(deputy)
    record("deputies.station.add_deputy", actor=actor, obj=station, org_unit=station.body, after={"deputy": deputy.pk})
    return True


@transaction.atomic
def announce_reception(
    *, actor, station: Station, day: dt.date, hours: str, topic: str = "", capacity: int = 10, deputy_ids=()
) -> ReceptionDay:
    if not perm.is_station_staff(actor, station):
        raise NotFound()
    if not isinstance(day, dt.date) or day <= local_date():
        raise ValidationFailed(_("Announce a day after today."), code="day_invalid")
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 200:
        raise ValidationFailed(_("Give between 1 and 200 places."), code="capacity_invalid")
    reception = ReceptionDay.objects.create(
        station=station,
        day=day,
        hours=clean_text(hours, field="hours", max_length=40, label=_("Hours")),
        topic=clean_text(topic, field="topic", max_length=200, label=_("Topic"), required=False),
        capacity=capacity,
    )
    reception.deputies.set(_deputies(station.body, deputy_ids))
    record("deputies.reception.announce", actor=actor, obj=reception, org_unit=station.unit, after={"day": str(day)})
    return reception


@transaction.atomic
def cancel_reception(*, actor, reception: ReceptionDay, reason: str) -> ReceptionDay:
    if not perm.is_station_staff(actor, reception.station):
        raise NotFound()
    reason = clean_text(reason, field="reason", max_length=200, label=_("Reason"))
    reception = ReceptionDay.objects.select_for_update().get(pk=reception.pk)
    if reception.status == ReceptionDay.Status.CANCELLED:
        raise Conflict(_("The reception day is already cancelled."), code="already_cancelled")
    reception.status = ReceptionDay.Status.CANCELLED
    reception.save(update_fields=["status"])
    for booking in reception.bookings.filter(cancelled=False):
        send_sms(
            phone=booking.phone,
            text=safe_text(
                _("The reception day on %(day)s at %(station)s is cancelled: %(reason)s")
                % {"day": reception.day.isoformat(), "station": reception.station.name, "reason": reason},
                max_length=200,
            ),
        )
    record("deputies.reception.cancel", actor=actor, obj=reception, org_unit=reception.station.unit)
    return reception


def book_reception(
    *, reception: ReceptionDay, phone: str, code: str, name: str = "", matter: str = "", ip: str = "", captcha=("", "")
) -> Booking:
    phone = clean_mobile(phone, field="phone")
    name = clean_text(name, field="name", max_length=40, label=_("Name"), required=False)
    matter = clean_text(
        matter, field="matter", max_length=500, label=_("What you wish to raise"), required=False, multiline=True
    )
    key = letters.phone_key(phone)
    letters.admit(body=reception.station.body, feature="reception", phone_key=key, ip=ip)
    letters.check_code(phone=phone, code=code, ip=ip, captcha=captcha)
    return _book(reception, phone=phone, key=key, name=name, matter=matter)


@transaction.atomic
def _book(reception, *, phone, key, name, matter) -> Booking:
    reception = ReceptionDay.objects.select_for_update().select_related("station").get(pk=reception.pk)
    if reception.status != ReceptionDay.Status.ANNOUNCED or reception.day < local_date():
        raise Conflict(_("This reception day can no longer be booked."), code="reception_closed")
    if reception.bookings.filter(cancelled=False, phone_key=key).exists():
        raise Conflict(_("This number has already booked this reception day."), code="already_booked")
    if reception.bookings.filter(cancelled=False).count() >= reception.capacity:
        raise Conflict(_("All places of this reception day are taken."), code="fully_booked")
    booking = Booking.objects.create(reception=reception, phone=phone, phone_key=key, name=name, matter=matter)
    record("deputies.reception.book", actor=None, obj=booking, org_unit=reception.station.unit)
    send_sms(
        phone=phone,
        text=safe_text(
            _("Booked: reception day %(day)s %(hours)s at %(station)s, %(address)s. Booking code %(code)s.")
            % {
                "day": reception.day.isoformat(),
                "hours": reception.hours,
                "station": reception.station.name,
                "address": reception.station.address,
                "code": booking.code,
            },
            max_length=300,
        ),
    )
    return booking


MARKS = ("attended", "no_show", "cancel")


@transaction.atomic
def mark_booking(*, actor, booking: Booking, mark: str) -> Booking:
    """The station's staff mark a booking attended or not shown (on or after the day), or cancel it (before the day;
    the booker is told by SMS). Audited; a booking already cancelled or marked answers Conflict."""
    booking = Booking.objects.select_for_update().select_related("reception__station").get(pk=booking.pk)
    reception = booking.reception
    if not perm.is_station_staff(actor, reception.station):
        raise NotFound()
    if mark not in MARKS:
        raise ValidationFailed(_("Choose attended, did not come or cancel."), code="mark_invalid")
    if booking.cancelled:
        raise Conflict(_("The booking is already cancelled."), code="booking_cancelled")
    if booking.attendance:
        raise Conflict(_("The booking is already marked."), code="booking_marked")
    before = {"attendance": booking.attendance, "cancelled": booking.cancelled}
    if mark == "cancel":
        if reception.day < local_date():
            raise Conflict(_("The reception day is over; mark the booking instead."), code="reception_over")
        booking.cancelled = True
        send_sms(
            phone=booking.phone,
            text=safe_text(
                _("Your booking %(code)s for the reception day on %(day)s at %(station)s is cancelled by the station.")
                % {"code": booking.code, "day": reception.day.isoformat(), "station": reception.station.name},
                max_length=200,
            ),
        )
    else:
        if reception.day > local_date():
            raise Conflict(_("Attendance is marked on or after the reception day."), code="day_not_reached")
        booking.attendance = mark
    booking.marked_by = actor
    booking.marked_at = timezone.now()
    booking.save(update_fields=["cancelled", "attendance", "marked_by", "marked_at"])
    record(
        "deputies.booking.mark",
        actor=actor,
        obj=booking,
        org_unit=reception.station.unit,
        before=before,
        after={"attendance": booking.attendance, "cancelled": booking.cancelled, "mark": mark},
    )
    return booking
