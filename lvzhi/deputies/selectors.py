"""Reads of deputies' pages, stations and reception days, for the public (published only) and for the office."""

from django.db.models import Count, Prefetch, Q

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.core.timeutil import local_date

from . import permissions as perm
from .models import Booking, Channel, ChannelPost, ContactRecord, DeputyPage, ReceptionDay, Station


def published_pages(body=None):
    qs = DeputyPage.objects.filter(is_published=True).select_related("deputy", "body", "station")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("body__path", "election", "pk")


def public_page(pk) -> DeputyPage:
    pk = query_int(pk)
    page = published_pages().filter(pk=pk).first() if pk else None
    if page is None:
        raise NotFound()
    return page


def page_of_deputy(deputy) -> DeputyPage | None:
    return DeputyPage.objects.filter(deputy=deputy).select_related("body", "station").order_by("pk").first()


def office_pages(user):
    return DeputyPage.objects.filter(perm.office_q(user)).select_related("deputy", "body", "station").order_by("pk")


def access_page_for_office(user, pk) -> DeputyPage:
    pk = query_int(pk)
    page = office_pages(user).filter(pk=pk).first() if pk else None
    if page is None:
        raise NotFound()
    return page


def public_stations(body=None):
    qs = Station.objects.filter(is_active=True).select_related("body", "unit")
    if body is not None:
        qs = qs.filter(body=body)
    return qs.order_by("body__path", "name", "pk")


def public_station(pk) -> Station:
    pk = query_int(pk)
    station = public_stations().filter(pk=pk).first() if pk else None
    if station is None:
        raise NotFound()
    return station


def station_deputies(station) -> list:
    """The station's deputies with a published page (name links to it)."""
    return list(published_pages().filter(station=station))


def upcoming_receptions(station=None):
    qs = (
        ReceptionDay.objects.filter(status=ReceptionDay.Status.ANNOUNCED, day__gte=local_date())
        .select_related("station")
        .annotate(booked=Count("bookings", filter=Q(bookings__cancelled=False)))
    )
    if station is not None:
        qs = qs.filter(station=station)
    return qs.order_by("day", "pk")


def public_reception(pk) -> ReceptionDay:
    pk = query_int(pk)
    day = upcoming_receptions().filter(pk=pk).first() if pk else None
    if day is None:
        raise NotFound()
    return day


def bookings_of(user, reception):
    if not perm.is_station_staff(user, reception.station):
        raise NotFound()
    return Booking.objects.filter(reception=reception, cancelled=False).order_by("created_at", "pk")


def contacts_of(user):
    return (
        ContactRecord.objects.filter(Q(member=user) | Q(deputy=user))
        .select_related("member", "deputy", "body")
        .order_by("-day", "-pk")
    )


def access_contact(user, pk) -> ContactRecord:
    pk = query_int(pk)
    record = contacts_of(user).filter(pk=pk).first() if pk else None
    if record is None:
        raise NotFound()
    return record


def deputies_below(body):
    """Deputies of `body` and the bodies below it (a standing-committee member's contacts)."""
    return (
        User.objects.filter(
            role_assignments__role=Role.DEPUTY,
            role_assignments__revoked_at__isnull=True,
            role_assignments__unit__path__startswith=body.path,
            is_active=True,
        )
        .distinct()
        .order_by("real_name", "pk")
    )


def public_channel(pk) -> Channel:
    pk = query_int(pk)
    channel = Channel.objects.select_related("unit", "body").filter(pk=pk).first() if pk else None
    if channel is None:
        raise NotFound()
    return channel


def channels(body=None):
    qs = Channel.objects.select_related("unit", "body")
    return qs.filter(body=body) if body is not None else qs


def channel_posts(channel):
    """Shown posts (not replies), newest first, with their shown replies."""
    replies = (
        ChannelPost.objects.filter(status=ChannelPost.Status.VISIBLE)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return (
        ChannelPost.objects.filter(channel=channel, parent__isnull=True, status=ChannelPost.Status.VISIBLE)
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
        .order_by("-created_at", "-pk")
    )


def pending_posts(channel):
    return ChannelPost.objects.filter(channel=channel, status=ChannelPost.Status.PENDING).order_by("created_at", "pk")


def find_pages(bodies, query: str = ""):
    """Published pages of these bodies' deputies, by name, constituency or station (the message form's chooser)."""
    qs = published_pages().filter(body__in=list(bodies))
    if query:
        qs = qs.filter(
            Q(deputy__real_name__icontains=query) | Q(constituency__icontains=query) | Q(station__name__icontains=query)
        )
    return qs


def find_stations(bodies, query: str = ""):
    """Active stations of these bodies, by name or address (area)."""
    qs = public_stations().filter(body__in=list(bodies))
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(address__icontains=query) | Q(body__name__icontains=query))
    return qs


def station_bookings(user, station, *, reception_id=None):
    """The bookings of the station's reception days for its staff, the latest day first (cancelled ones too)."""
    if not perm.is_station_staff(user, station):
        raise NotFound()
    qs = Booking.objects.filter(reception__station=station).select_related("reception")
    if reception_id:
        qs = qs.filter(reception_id=reception_id)
    return qs.order_by("-reception__day", "reception_id", "created_at", "pk")


def station_days(station, limit: int = 60):
    """The station's reception days (announced or cancelled), latest first, for the booking list's filter."""
    return list(ReceptionDay.objects.filter(station=station).order_by("-day", "-pk")[:limit])


def access_booking(user, pk) -> Booking:
    pk = query_int(pk)
    booking = (
        Booking.objects.select_related("reception__station__unit", "reception__station__body").filter(pk=pk).first()
        if pk
        else None
    )
    if booking is None or not perm.is_station_staff(user, booking.reception.station):
        raise NotFound()
    return booking
