from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key` header (the phone app's offline drafts): kept so that a retry of the
    same draft replays the first answer instead of filing twice (`lvzhi.core.idempotency`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField(default=0)  # the first answer's status code
    location = models.CharField(max_length=300, blank=True)  # where the first answer redirected to
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotent_user_key")]
        indexes = [models.Index(fields=["created_at"], name="core_idempotent_created")]


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
