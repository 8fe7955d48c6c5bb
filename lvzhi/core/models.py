from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DailyCount(models.Model):
    """The general daily roll-up (`lvzhi.core.rollup`): per source (a case kind, "app.model"), body, unit, local
    day and metric, how many cases count. Plain id columns, no foreign keys: any module's cases, any org unit."""

    source = models.CharField(max_length=40)
    body_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(default=0)  # 0: the case has no unit
    day = models.DateField()
    metric = models.CharField(max_length=80)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "body_id", "unit_id", "day", "metric"], name="core_dailycount_bucket"
            )
        ]
        indexes = [models.Index(fields=["source", "body_id", "day"], name="core_dailycount_body_day")]
