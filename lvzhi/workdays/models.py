from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An administrator's correction of one day: a holiday or a working day the package does not know (yet)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {'workday' if self.is_workday else 'holiday'}"


class CalendarYear(models.Model):
    """A year the State Council schedule of chinesecalendar does not cover: its statutory holidays are predicted
    from the holiday rules until an administrator confirms the year (after entering the published schedule).
    `reminded_at`: when the administrators were told that the year is not confirmed (once)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
