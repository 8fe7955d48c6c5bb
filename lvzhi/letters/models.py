"""One engine for the public's messages (群众留言): to a deputy, to a contact station, or to the host unit of a
government website or account (纠错, enquiry, complaint, comment, suggestion). The writer's phone is verified by
an SMS code; name and phone are kept SM4-encrypted for the office; the writer follows the message by its lookup
code. A public reply is shown only after the office approves it (`publication`)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.crypto import EncryptedCharField


def new_lookup_code() -> str:
    """40 bits, no 0/O/1/I."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Target(models.TextChoices):
    DEPUTY = "deputy", _("A deputy")
    STATION = "station", _("A contact station")
    OUTLET = "outlet", _("A government website or account")


class Kind(models.TextChoices):
    ERROR_REPORT = "error_report", _("Error report")
    ENQUIRY = "enquiry", _("Enquiry")
    COMPLAINT = "complaint", _("Complaint")
    COMMENT = "comment", pgettext_lazy("letter kind", "Comment")
    SUGGESTION = "suggestion", pgettext_lazy("letter kind", "Suggestion")


class Letter(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, being handled")
        FORWARDED = "forwarded", _("Forwarded to the competent department")
        PASSED_ON = "passed_on", _("Passed on by the deputy")
        ANSWERED = "answered", pgettext_lazy("letter status", "Answered")
        CLOSED = "closed", _("Concluded")
        REJECTED = "rejected", _("Not accepted")

    class Publication(models.TextChoices):
        NONE = "none", _("Not public")
        PENDING = "pending", _("Awaiting the office's review")
        PUBLISHED = "published", pgettext_lazy("letter publication", "Published")
        REFUSED = "refused", _("Not published")

    class PassedAs(models.TextChoices):
        SUGGESTION = "suggestion", _("A deputy's suggestion")
        OPINION = "opinion", _("A public-opinion report")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")  # answers for it
    target = models.CharField(max_length=10, choices=Target.choices)
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey("deputies.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outlet = models.ForeignKey("newmedia.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    via = models.CharField(max_length=8, default="page")  # page | qr | api
    title = models.CharField(max_length=100)
    text = models.TextField()
    writer_name = EncryptedCharField(blank=True, default="")
    phone = EncryptedCharField()
    phone_key = models.CharField(max_length=64)
    lookup_code = models.CharField(max_length=8, unique=True, default=new_lookup_code)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reply = models.TextField(blank=True, default="")
    public_reply = models.TextField(blank=True, default="")
    publication = models.CharField(max_length=10, choices=Publication.choices, default=Publication.NONE)
    forwarded_to = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    passed_as = models.CharField(max_length=12, choices=PassedAs.choices, blank=True, default="")
    passed_ref = models.CharField(max_length=60, blank=True, default="")
    result = models.TextField(blank=True, default="")
    reject_reason = models.CharField(max_length=200, blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status", "next_due_at"], name="letters_unit_queue_idx"),
            models.Index(fields=["deputy", "status", "next_due_at"], name="letters_deputy_queue_idx"),
            models.Index(fields=["forwarded_to", "status"], name="letters_forwarded_idx"),
            models.Index(fields=["body", "publication", "created_at"], name="letters_body_pub_idx"),
            models.Index(fields=["publication", "published_at"], name="letters_public_idx"),
            models.Index(fields=["phone_key", "created_at"], name="letters_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(target="deputy", deputy__isnull=False))
                | (models.Q(target="station", station__isnull=False))
                | (models.Q(target="outlet", outlet__isnull=False)),
                name="letters_target_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(publication="published") | ~models.Q(public_reply=""),
                name="letters_published_has_reply",
            ),
        ]

    def __str__(self):
        return f"群众留言 {self.lookup_code}"


class PhoneCode(models.Model):
    """An SMS code proving a writer holds the number (valid `rules.CODE_MINUTES`, `rules.CODE_TRIES` tries)."""

    phone_key = models.CharField(max_length=64)
    code_digest = models.CharField(max_length=64)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_key", "created_at"], name="letters_code_phone_idx")]


class Feature(models.TextChoices):
    DEPUTY = "deputy", _("Messages to deputies")
    STATION = "station", _("Messages to contact stations")
    OUTLET = "outlet", _("Messages and error reports to government sites")
    RECEPTION = "reception", _("Reception-day booking")
    CHANNEL = "channel", _("Group channels")


class FeatureControl(models.Model):
    """How a body runs one public feature (S2-31): open, restricted (messages accepted, never published, lower
    limits) or switched off; with its rate limits. Every change is also a `SecurityRecord`."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESTRICTED = "restricted", _("Restricted")
        OFF = "off", _("Switched off")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    feature = models.CharField(max_length=10, choices=Feature.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    per_number_per_day = models.PositiveSmallIntegerField(default=3)
    per_ip_per_hour = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "feature"], name="letters_one_control")]


class SecurityRecord(models.Model):
    """The security assessment of an interactive feature (S2-31): each assessment and each change of its state."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    feature = models.CharField(max_length=10, choices=Feature.choices)
    state = models.CharField(max_length=10, choices=FeatureControl.State.choices)
    per_number_per_day = models.PositiveSmallIntegerField()
    per_ip_per_hour = models.PositiveSmallIntegerField()
    assessment = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["body", "created_at"], name="letters_security_idx")]
