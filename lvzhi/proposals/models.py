"""Bills, suggestions and proposals (议案/建议/提案) from drafting to the evaluated result (S4-2.2.4).

One module for both kinds of body: a people's congress's deputies submit bills (议案) and suggestions (建议), a
CPPCC committee's members submit proposals (提案); the same lifecycle, per-body rules (`rules.py`).

A `Proposal` is reviewed by the body's proposals office and assigned (交办) to handling units: one lead unit (主办)
and co-handling units (协办), each an `Assignment` with its own deadlines, so that every unit's clock runs on its
own and restarts when an item is transferred (转办) to another unit (the old assignment stays, `transferred`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    BILL = "bill", _("Bill")
    SUGGESTION = "suggestion", _("Suggestion")
    PROPOSAL = "proposal", _("Proposal")


# The series names in registration references (official document numbers, not interface text).
REFERENCE_PREFIX = {Kind.BILL: "议案", Kind.SUGGESTION: "建议", Kind.PROPOSAL: "提案"}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    NONE = "none", _("No evaluation given")


class Classification(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: conditions lacking, to be solved later")
    D = "D", _("D: kept for reference")


class Proposal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        MERGED = "merged", _("Merged")
        CONVERTED = "converted", _("Turned into an opinion letter")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        HANDLING = "handling", _("Being handled")
        REPLIED = "replied", _("Replied")
        REHANDLING = "rehandling", _("Being handled again")
        CLOSED = "closed", _("Closed")

    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("proposals office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="proposals"
    )
    by_delegation = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("submitted by the delegation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    category = models.CharField(_("category"), max_length=40, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text="|word|word|")
    during_session = models.BooleanField(_("submitted during the session"), default=False)
    session_name = models.CharField(_("session"), max_length=80, blank=True)
    disclosure_consent = models.BooleanField(_("the proposer agrees to public disclosure"), default=False)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    converted_from = models.CharField(_("converted from"), max_length=12, blank=True, choices=Kind.choices)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    key_supervision = models.BooleanField(_("key supervision"), default=False)
    supervision_note = models.CharField(_("supervision note"), max_length=300, blank=True)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_public = models.BooleanField(_("public"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(default=0)
    rehandle_allowance = models.PositiveSmallIntegerField(default=0)  # extra re-handlings the office allowed
    rating = models.CharField(_("evaluation"), max_length=12, blank=True, choices=Rating.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bill, suggestion or proposal")
        verbose_name_plural = _("bills, suggestions and proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "kind", "number"],
                condition=Q(number__isnull=False),
                name="proposals_number_once",
            )
        ]
        indexes = [
            models.Index(fields=["proposer", "-created_at"], name="proposals_by_proposer"),
            models.Index(fields=["office", "status", "-submitted_at"], name="proposals_office_status"),
            models.Index(fields=["office", "-submitted_at", "-id"], name="proposals_office_flow"),
            models.Index(fields=["body", "year", "status"], name="proposals_body_year"),
            models.Index(
                fields=["body", "-submitted_at"], condition=Q(key_supervision=True), name="proposals_key_supervision"
            ),
            models.Index(fields=["-published_at"], condition=Q(is_public=True), name="proposals_public_feed"),
            models.Index(fields=["merged_into"], name="proposals_merged_into"),
        ]

    def __str__(self):
        return self.title

    @property
    def keyword_list(self) -> list[str]:
        return [k for k in self.keywords.split("|") if k]

    @property
    def is_congress(self) -> bool:
        return self.kind in (Kind.BILL, Kind.SUGGESTION)

    @property
    def reference(self) -> str:
        """The registration reference once accepted, e.g. "2026-建议-0012" (a document number: the same in every
        language of the interface); empty before."""
        if self.number is None:
            return ""
        return f"{self.year}-{REFERENCE_PREFIX[self.kind]}-{self.number:04d}"


class CoSigner(models.Model):
    """A deputy or member invited to co-sign (联名); counts once confirmed in the app."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cosigned")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposals_cosign_once")]
        indexes = [models.Index(fields=["user", "status"], name="proposals_cosigner_user")]

    def __str__(self):
        return f"{self.user_id}@{self.proposal_id}"


class Assignment(models.Model):
    """One handling unit's part in one item: lead (主办) or co-handling (协办), with its own deadlines."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-handling unit")

    class Status(models.TextChoices):
        HANDLING = "handling", _("Being handled")
        OPINION_SENT = "opinion_sent", _("Opinion sent")
        REPLIED = "replied", _("Replied")
        TRANSFERRED = "transferred", _("Transferred")
        CLOSED = "closed", _("Closed")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("part"), max_length=4, choices=Role.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.HANDLING)
    # Copied from the item (they never change) so that a unit's queue and the statistics are one indexed table.
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    assigned_at = models.DateTimeField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    contacted_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    opinion_at = models.DateTimeField(null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Facts of the lead unit's reply, recorded when it is sent (the statistics read them).
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_on_time = models.BooleanField(null=True, blank=True)
    classification = models.CharField(max_length=1, blank=True, choices=Classification.choices)
    rating = models.CharField(max_length=12, blank=True, choices=Rating.choices)
    office_escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(role="lead") & ~Q(status__in=["transferred", "closed"]),
                name="proposals_one_lead",
            ),
            models.UniqueConstraint(
                fields=["proposal", "unit"], condition=~Q(status="transferred"), name="proposals_unit_once"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "assigned_at"], name="proposals_unit_queue"),
            models.Index(
                fields=["body", "year", "unit"],
                include=[
                    "role",
                    "status",
                    "replied_at",
                    "replied_on_time",
                    "classification",
                    "rating",
                    "extended",
                    "opinion_at",
                ],
                name="proposals_unit_stats",
            ),
            models.Index(fields=["proposal", "role"], name="proposals_assignment_item"),
            models.Index(fields=["body", "year", "unit"], condition=Q(status="handling"), name="proposals_unit_open"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.unit_id}@{self.proposal_id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.HANDLING


class Contact(models.Model):
    """A handling unit's contact with the proposer (见面、电话、座谈…), recorded before the reply."""

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit in person")
        MEETING = "meeting", _("Meeting or forum")
        PHONE = "phone", _("Telephone")
        SITE = "site", _("Site inspection")
        LETTER = "letter", _("Letter or online")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="contacts")
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    contacted_on = models.DateField(_("date"))
    note = models.CharField(_("what was discussed"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact with the proposer")
        verbose_name_plural = _("contacts with the proposer")
        ordering = ["contacted_on", "id"]


class UnitRequest(models.Model):
    """A handling unit asks the office for an extension (延期) or a transfer (转办), with a reason."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("Extension")
        TRANSFER = "transfer", _("Transfer")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("request", "Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="requests")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="unit_requests")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=500)
    requested_until = models.DateField(_("new time limit"), null=True, blank=True)
    suggested_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("suggested unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    new_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("new unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("extension or transfer request")
        verbose_name_plural = _("extension and transfer requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(status="pending"), name="proposals_one_pending_request"
            )
        ]
        indexes = [models.Index(fields=["office", "status", "created_at"], name="proposals_request_queue")]


class Reply(models.Model):
    """The lead unit's reply letter (答复函) of one round, drafted by its staff and signed off by its head."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed off")
        SENT = "sent", _("Sent")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="replies")
    round = models.PositiveSmallIntegerField(default=1)
    content = models.TextField(_("reply letter"))
    classification = models.CharField(_("class"), max_length=1, choices=Classification.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply letter")
        verbose_name_plural = _("reply letters")
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="proposals_reply_per_round")]


class Evaluation(models.Model):
    """The proposer's evaluation of one reply (or the record that none came in time)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evaluations")
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    round = models.PositiveSmallIntegerField()
    rating = models.CharField(_("evaluation"), max_length=12, choices=Rating.choices)
    comment = models.CharField(_("comment"), max_length=1000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["proposal", "round"], name="proposals_evaluation_per_round")]


class Counter(models.Model):
    """The last registration number of a body's items of one kind in one year."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year", "kind"], name="proposals_counter_once")]
