"""Onboarding a body from spreadsheets (issue 20): an import job per uploaded file, the problems its rows have,
what each row became, and each term's roll (换届: who belonged to which term, kept when the term closes)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file of one kind for one body: checked first (problems per row), then written in batches.

    `cursor` is the number of data rows already written (or skipped): a job that stopped resumes there.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members and deputies")
        UNITS = "units", _("Org units")
        STAFF = "staff", _("Staff and their roles")
        PROPOSALS = "proposals", _("Past proposals and replies")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Import failed")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The upload, deleted once the job is done, failed or cancelled (or left unconfirmed, by the tick job): the
    # personal data it holds is kept no longer than the import needs it. `file_digest` and the rows' results stay.
    file = models.FileField(upload_to="onboarding/%Y/", max_length=200, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    file_digest = models.CharField(max_length=64)
    # Term change (换届): the new list is compared against this term's roll and closes it when imported.
    replaces_term = models.CharField(_("term replaced"), max_length=40, blank=True)
    send_sms = models.BooleanField(_("send initial passwords by SMS"), default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_bad = models.PositiveIntegerField(default=0)
    rows_excluded = models.PositiveIntegerField(default=0)
    cursor = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_failed = models.PositiveIntegerField(default=0)
    rows_left = models.PositiveIntegerField(default=0)
    term_stays = models.PositiveIntegerField(default=0)
    term_leaves = models.PositiveIntegerField(default=0)
    term_new = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["body", "-created_at"], name="onboarding_job_body_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(cursor__lte=models.F("rows_total")), name="onboarding_cursor_in_file")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.file_name}"

    @property
    def rows_written(self) -> int:
        return self.rows_created + self.rows_updated + self.rows_unchanged

    @property
    def percent(self) -> int:
        if self.status == self.Status.CHECKING:
            done = self.rows_checked
        elif self.status in (self.Status.IMPORTING, self.Status.DONE):
            done = self.cursor
        else:
            return 100 if self.rows_total else 0
        return min(100, done * 100 // self.rows_total) if self.rows_total else 100


class RowProblem(models.Model):
    """What is wrong with one row (or one cell) of a job's file, in words for the office."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()  # the spreadsheet's row number (the header is row 1)
    column = models.CharField(max_length=20, blank=True)
    code = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    excluded = models.BooleanField(default=False)

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"], name="onboarding_problem_row_idx")]


class RowResult(models.Model):
    """What one row became when the job was written (for the report and for resuming)."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        UNCHANGED = "unchanged", _("Unchanged")
        EXCLUDED = "excluded", _("Excluded")
        FAILED = "failed", _("Row failed")
        LEFT = "left", _("Left (former term)")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="results")
    row = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    label = models.CharField(max_length=100, blank=True)  # name (masked phone) or unit name
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["row", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "row"], name="onboarding_one_result_per_row")]


class TermRoll(models.Model):
    """A member's or deputy's place in one term (届) of one body; `is_current` is False once the term closed."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    term = models.CharField(_("term"), max_length=40)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_current = models.BooleanField(default=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["body", "term", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "term", "user"], name="onboarding_one_roll_entry")]
        indexes = [models.Index(fields=["body", "is_current"], name="onboarding_roll_current_idx")]
