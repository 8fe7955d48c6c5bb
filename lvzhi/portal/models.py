"""The public site group (S4-2.1.3, S2-2), legislation topics and draft regulations for comment (S4-2.1.2).

A `Site` is one body's public site (its host name and/or path code, look and navigation); townships are served on
their county's site. `LegislationTopic` is a topic the public proposes for legislation or supervision, answered by
the office within working days. `Draft` is a draft regulation open for comment for a period; `DraftArticle` its
articles (parsed from the text); `DraftComment` a comment on one article or on the whole, SMS-verified, screened,
moderated and, once the period closes, marked adopted / partly adopted / not adopted with the reason.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.crypto import EncryptedCharField


def new_lookup_code() -> str:
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Site(models.Model):
    """One body's public site within the one design system: its own host name (or the path /site/<code>/), name,
    colour, logo text and navigation (codes of the body's public columns, in order; empty: all of them)."""

    body = models.OneToOneField("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=30, unique=True)
    host = models.CharField(_("host name"), max_length=100, blank=True, default="")
    name = models.CharField(_("name"), max_length=60)
    colour = models.CharField(_("colour"), max_length=7, default="#b71c1c")
    logo_text = models.CharField(_("logo text"), max_length=8, blank=True, default="")
    navigation = models.JSONField(_("navigation"), default=list, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True, default="")
    is_default = models.BooleanField(_("default site"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["host"], condition=~Q(host=""), name="portal_site_host_unique"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="portal_one_default"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="portal_site_colour_hex"),
        ]

    def __str__(self):
        return self.name

    @property
    def base(self) -> str:
        """Where the site's pages start for the current request: "/" when served under its own host name, else
        its path prefix (set by the site middleware; the prefix when the site was fetched elsewhere)."""
        return getattr(self, "_base", None) or f"/site/{self.code}/"


class TopicKind(models.TextChoices):
    LEGISLATION = "legislation", _("Legislation")
    SUPERVISION = "supervision", _("Supervision")


class LegislationTopic(models.Model):
    """A topic a member of the public proposes for legislation or supervision (立法/监督项目建议), answered by the
    office within the body's working-day limit."""

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", pgettext_lazy("topic status", "Closed")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=TopicKind.choices)
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("reasons and suggestions"))
    name = EncryptedCharField(blank=True, default="")  # optional, kept by the office only
    phone = EncryptedCharField()  # verified by SMS code; SM4 at rest, shown masked
    lookup_code = models.CharField(max_length=8, unique=True, default=new_lookup_code)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField(null=True, blank=True)
    is_public = models.BooleanField(_("shown on the site"), default=False)
    next_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("legislation topic")
        verbose_name_plural = _("legislation topics")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["body", "status", "next_due_at"], name="portal_topic_queue"),
            models.Index(fields=["body", "is_public", "-answered_at"], name="portal_topic_public"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new") | Q(answered_at__isnull=False), name="portal_topic_answered_has_time"
            )
        ]

    def __str__(self):
        return self.title


class Draft(models.Model):
    """A draft regulation published for comment from `opens_on` for `period_days` calendar days: the period ends at
    24:00 of `closes_on` (start day not counted; a last day that is a holiday moves to the next working day)."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    introduction = models.TextField(_("explanation"), blank=True, default="")
    text = models.TextField(_("text of the draft"))
    opens_on = models.DateField(_("comment period opens"))
    period_days = models.PositiveSmallIntegerField(_("comment period, in days"))
    closes_at = models.DateTimeField()  # 00:00 of the day after the last day
    closes_on = models.DateField()  # the last day (shown)
    is_published = models.BooleanField(default=False)
    report_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draft regulation")
        verbose_name_plural = _("draft regulations")
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["body", "is_published", "-opens_on"], name="portal_draft_public")]
        constraints = [models.CheckConstraint(condition=Q(period_days__gte=1), name="portal_draft_period_positive")]

    def __str__(self):
        return self.title


class DraftArticle(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=20)  # 第一条
    chapter = models.CharField(max_length=100, blank=True, default="")  # 第一章 总则
    text = models.TextField()

    class Meta:
        ordering = ["draft", "position"]
        constraints = [models.UniqueConstraint(fields=["draft", "position"], name="portal_article_position")]

    def __str__(self):
        return self.label


class DraftComment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Shown")
        REJECTED = "rejected", _("Not shown")

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        PARTLY = "partly", _("Partly adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="comments")
    article = models.ForeignKey(DraftArticle, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField()
    name = EncryptedCharField(blank=True, default="")  # kept by the office
    show_name = models.BooleanField(default=False)
    public_name = models.CharField(max_length=20, blank=True, default="")  # masked, when the commenter chose to show
    phone = EncryptedCharField()
    findings = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adoption = models.CharField(max_length=12, choices=Adoption.choices, blank=True, default="")
    adoption_reason = models.TextField(blank=True, default="")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["draft", "status", "created_at"], name="portal_comment_queue"),
            models.Index(fields=["draft", "article", "adoption"], name="portal_comment_report"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(adoption="") | ~Q(adoption_reason=""), name="portal_comment_adoption_reason"
            )
        ]

    def __str__(self):
        return f"{self.draft_id}/{self.pk}"
