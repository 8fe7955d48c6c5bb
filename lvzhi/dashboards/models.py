"""The on-time roll-up of every deadline of the platform (`lvzhi.dashboards.rollup`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineMonth(models.Model):
    """Per responsible unit, deadline rule (workflow + kind) and month of the last day: how many deadlines fell due,
    were met on time, met late, are still open and are open past their time (as of the last recount: the services'
    transitions and the tick job `dashboards.overdue` keep it exact). A few rows per unit and month: the dashboards
    read these, never the deadlines or the case tables."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    workflow = models.CharField(_("workflow"), max_length=60)
    kind = models.CharField(_("kind"), max_length=40)
    month = models.DateField(_("month"))  # the first day of the month holding the deadline's last day
    due = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("deadlines of a month")
        verbose_name_plural = _("deadlines per month")
        constraints = [
            models.UniqueConstraint(fields=["unit", "workflow", "kind", "month"], name="dashboards_deadline_bucket"),
            models.CheckConstraint(
                condition=models.Q(due__gte=models.F("on_time") + models.F("late") + models.F("open")),
                name="dashboards_deadline_counts_add_up",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "month"], name="dashboards_deadline_body"),
            models.Index(fields=["unit", "month"], name="dashboards_deadline_unit"),
        ]

    def __str__(self):
        return f"{self.unit_id}:{self.workflow}.{self.kind}@{self.month:%Y-%m}"


class RollupMark(models.Model):
    """Up to when the tick job has counted deadlines falling overdue (one row per job)."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}@{self.at}"


class MonthCount(models.Model):
    """The general daily roll-up (`core.DailyCount`) summed per month (`lvzhi.dashboards.monthly`): a year of a
    province is a few hundred thousand rows here instead of millions of daily ones. Kept by the hooks
    `core.rollup.recounted` (the month of every recounted day, in its transaction) and `core.rollup.rebuilt`."""

    source = models.CharField(max_length=40)
    body_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(default=0)
    month = models.DateField()  # its first day
    metric = models.CharField(max_length=80)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "body_id", "unit_id", "month", "metric"], name="dashboards_monthcount_bucket"
            )
        ]
        indexes = [
            models.Index(fields=["source", "body_id", "month"], name="dashboards_monthcount_body"),
            models.Index(fields=["source", "unit_id", "month"], name="dashboards_monthcount_unit"),
        ]

    def __str__(self):
        return f"{self.source}:{self.unit_id}@{self.month:%Y-%m}:{self.metric}={self.n}"


class BodyMonth(models.Model):
    """`MonthCount` summed per body (`lvzhi.dashboards.summaries`): `tree=False` rows hold the body's own units,
    `tree=True` rows the body and every body below it — a province's leader reads ~250 rows for two years of the
    whole province instead of summing hundreds of thousands. Recounted (never incremented) with every month bucket."""

    source = models.CharField(max_length=40)
    body_id = models.BigIntegerField()
    tree = models.BooleanField(default=False)
    month = models.DateField()  # its first day
    metric = models.CharField(max_length=80)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "body_id", "tree", "month", "metric"], name="dashboards_bodymonth_bucket"
            )
        ]

    def __str__(self):
        return f"{self.source}:{self.body_id}{'+' if self.tree else ''}@{self.month:%Y-%m}:{self.metric}={self.n}"


class UnitYear(models.Model):
    """`MonthCount` summed per unit and calendar year: the rankings (reports per committee, satisfaction per handling
    unit) order a few thousand of these rows in the database and read the top ones only."""

    source = models.CharField(max_length=40)
    body_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=80)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "body_id", "unit_id", "year", "metric"], name="dashboards_unityear_bucket"
            )
        ]
        indexes = [
            models.Index(fields=["source", "year", "metric", "body_id"], name="dashboards_unityear_rank"),
            models.Index(fields=["source", "unit_id", "year"], name="dashboards_unityear_unit"),
        ]

    def __str__(self):
        return f"{self.source}:{self.unit_id}@{self.year}:{self.metric}={self.n}"


class _DeadlineCounts(models.Model):
    due = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DeadlineBody(_DeadlineCounts):
    """`DeadlineMonth` summed per body, rule and month (`lvzhi.dashboards.deadline_summaries`): `tree=False` the
    body's own units, `tree=True` the body and every body below it (a province's two years: ~200 rows)."""

    body_id = models.BigIntegerField()
    tree = models.BooleanField(default=False)
    workflow = models.CharField(max_length=60)
    kind = models.CharField(max_length=40)
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["body_id", "tree", "workflow", "kind", "month"], name="dashboards_deadlinebody_bucket"
            )
        ]

    def __str__(self):
        return f"{self.body_id}{'+' if self.tree else ''}:{self.workflow}.{self.kind}@{self.month:%Y-%m}"


class DeadlineUnitYear(_DeadlineCounts):
    """`DeadlineMonth` summed per unit, rule and calendar year, plus one row of all rules (workflow = kind = ""):
    the slowest units of a province are ordered over a few thousand of these rows."""

    body_id = models.BigIntegerField()
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    workflow = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "workflow", "kind", "year"], name="dashboards_deadlineunityear_bucket"
            )
        ]
        indexes = [models.Index(fields=["body_id", "year", "workflow", "kind"], name="dashboards_dlunityear_body")]

    def __str__(self):
        return f"{self.unit_id}:{self.workflow or '*'}.{self.kind or '*'}@{self.year}"
