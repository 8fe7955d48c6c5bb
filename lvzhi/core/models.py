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
