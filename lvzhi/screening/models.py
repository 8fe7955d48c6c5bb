"""Word lists for screening (S2-21, S0-9): secrecy terms, sensitive terms, adverts and gambling spam.

A list has a kind and an optional scope: a body (it applies to that body and the bodies below) or none (it applies
everywhere). `ScreeningState` holds one row whose version changes with every change of any list, so that each
process rebuilds its Aho–Corasick automaton only when the lists changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    SECRET = "secret", _("Secrecy terms")
    SENSITIVE = "sensitive", _("Sensitive terms")
    ADVERT = "advert", _("Adverts and gambling spam")


class WordList(models.Model):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=ListKind.choices)
    body = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("applies to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("A body: the list applies to it and the bodies below. Empty: it applies everywhere."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A default list: the data file it comes from (lvzhi/screening/data/), the file's version and its source.
    source_file = models.CharField(_("data file"), max_length=50, blank=True)
    source_version = models.CharField(_("version"), max_length=30, blank=True)
    source_note = models.CharField(_("source"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("word list")
        verbose_name_plural = _("word lists")
        ordering = ["kind", "name", "pk"]
        indexes = [
            models.Index(fields=["is_active", "kind"], name="screening_list_active_kind"),
            models.Index(fields=["body", "is_active"], name="screening_list_body_active"),
        ]

    def __str__(self):
        return self.name


class Term(models.Model):
    word_list = models.ForeignKey(WordList, on_delete=models.CASCADE, related_name="terms")
    # Stored normalised (ASCII letters in lower case, full-width forms as half-width), as matched.
    text = models.CharField(_("screening term"), max_length=50)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("screening term")
        verbose_name_plural = _("screening terms")
        ordering = ["text", "pk"]
        constraints = [models.UniqueConstraint(fields=["word_list", "text"], name="screening_term_once_per_list")]
        indexes = [models.Index(fields=["word_list", "is_active", "text"], name="screening_term_list_active")]

    def __str__(self):
        return self.text


class ScreeningState(models.Model):
    """One row (pk=1): `version` counts changes; `stamp` is new on every change (survives rolled-back tests)."""

    version = models.PositiveBigIntegerField(default=1)
    stamp = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("screening state")
        verbose_name_plural = _("screening state")

    def __str__(self):
        return f"v{self.version}"
