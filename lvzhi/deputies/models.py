"""Deputies and the public: each deputy's public page (what the office shows of them), the contact stations
(代表联络站) with their deputies, and the stations' reception days booked by the public."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.crypto import EncryptedCharField


def new_code() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Station(models.Model):
    """A contact station. Its staff are the users holding staff or head at `unit` (an office of the body)."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    address = models.CharField(max_length=200, blank=True, default="")
    opening_hours = models.CharField(max_length=200, blank=True, default="")
    deputies = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["body__path", "name", "pk"]
        indexes = [models.Index(fields=["body", "is_active"], name="deputies_station_body_idx")]

    def __str__(self):
        return self.name


class DeputyPage(models.Model):
    """A deputy's public page. `show` holds the office's switches per field (see `rules.SHOWABLE`)."""

    class Election(models.TextChoices):
        DIRECT = "direct", _("Directly elected")
        INDIRECT = "indirect", _("Elected by the congress below")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    constituency = models.CharField(max_length=100, blank=True, default="")
    election = models.CharField(max_length=10, choices=Election.choices, default=Election.DIRECT)
    introduction = models.TextField(blank=True, default="")
    photo = models.ImageField(upload_to="deputies/%Y/", blank=True, default="")
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages")
    show = models.JSONField(default=dict, blank=True)
    is_published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["body__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["body", "deputy"], name="deputies_one_page_per_body")]
        indexes = [models.Index(fields=["body", "is_published"], name="deputies_page_body_idx")]

    def __str__(self):
        return f"{self.deputy.real_name} · {self.body.name}"


class ReceptionDay(models.Model):
    """A day the station receives the public (代表接待日), announced and booked."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        CANCELLED = "cancelled", _("Cancelled")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="reception_days")
    day = models.DateField()
    hours = models.CharField(max_length=40, default="09:00-11:30")
    topic = models.CharField(max_length=200, blank=True, default="")
    capacity = models.PositiveIntegerField(default=10)
    deputies = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANNOUNCED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["station", "day"], name="deputies_reception_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(capacity__gte=1), name="deputies_capacity_positive")]


class Booking(models.Model):
    """A place booked on a reception day; the station's staff mark it attended or not shown, or cancel it."""

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    reception = models.ForeignKey(ReceptionDay, on_delete=models.PROTECT, related_name="bookings")
    name = EncryptedCharField(blank=True, default="")
    phone = EncryptedCharField()
    phone_key = models.CharField(max_length=64)
    matter = models.TextField(blank=True, default="")
    code = models.CharField(max_length=8, unique=True, default=new_code)
    cancelled = models.BooleanField(default=False)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True, default="")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attendance="") | models.Q(cancelled=False), name="deputies_cancelled_not_marked"
            ),
            models.UniqueConstraint(
                fields=["reception", "phone_key"], condition=models.Q(cancelled=False), name="deputies_one_booking"
            ),
        ]
        indexes = [models.Index(fields=["reception", "cancelled"], name="deputies_booking_idx")]


class ContactRecord(models.Model):
    """A standing-committee member's contact with a deputy (S4-2.2.2): a visit, a call, a question and its reply.
    Counted in both sides' duty records."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit or talk")
        QUESTION = "question", _("Question")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField()
    text = models.TextField()
    reply = models.TextField(blank=True, default="")
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [
            models.Index(fields=["member", "day"], name="deputies_contact_member_idx"),
            models.Index(fields=["deputy", "day"], name="deputies_contact_deputy_idx"),
        ]


class Channel(models.Model):
    """A deputy group's or delegation's channel with the public of its area (S4-2.3). Its deputies are those whose
    profile names the unit as their delegation or group; they post, answer and moderate."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")  # the group or delegation
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=100)
    area = models.CharField(max_length=100, blank=True, default="")
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["body__path", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit"], name="deputies_one_channel_per_unit")]


class ChannelPost(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        VISIBLE = "visible", _("Shown")
        HIDDEN = "hidden", _("Hidden by the moderators")

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    writer_name = EncryptedCharField(blank=True, default="")
    phone = EncryptedCharField(blank=True, default="")
    phone_key = models.CharField(max_length=64, blank=True, default="")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["channel", "status", "parent", "created_at"], name="deputies_post_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(author__isnull=False) | ~models.Q(phone_key=""), name="deputies_post_has_author"
            )
        ]
