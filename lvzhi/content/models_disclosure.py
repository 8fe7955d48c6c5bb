"""Government-information disclosure: the proactive-disclosure categories (S2-18), the designated repost sources
(S2-27) and each unit's annual disclosure report (S2-6). Each list is data of its body, administered and audited."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureCategory(models.Model):
    """One entry of a body's proactive-disclosure catalogue (主动公开目录), e.g. 机构职能, 政策文件."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="content_disclosure_code_per_body")]

    def __str__(self):
        return self.name


class RepostSource(models.Model):
    """A designated source a body reposts from (稿源单位): party and government sites and the units named by the
    competent office (seed 002 art. 27)."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    site = models.CharField(_("web site"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("designated source")
        verbose_name_plural = _("designated sources")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="content_repost_source_per_body")]
        indexes = [models.Index(fields=["body", "is_active"], name="content_source_body")]

    def __str__(self):
        return self.name


class AnnualReport(models.Model):
    """A unit's annual government-information-disclosure report (S2-6): the figures as generated, and the draft
    article that then goes through the column's normal chain."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    article = models.OneToOneField("content.Article", on_delete=models.PROTECT, related_name="annual_report")
    figures = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual disclosure report")
        verbose_name_plural = _("annual disclosure reports")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="content_annual_report_once")]
        indexes = [models.Index(fields=["body", "-year"], name="content_annual_body")]

    def __str__(self):
        return f"{self.unit_id}:{self.year}"


class PolicyLink(models.Model):
    """S1-4.1: a policy interpretation (政策解读) names the policy document (政策文件) it interprets — a published
    article of the same body in a column of the 政策文件 category. Set by the interpretation's host unit
    (`services.set_policy_documents`), shown on both articles, checked by the monitor."""

    interpretation = models.ForeignKey("content.Article", on_delete=models.CASCADE, related_name="policy_links")
    document = models.ForeignKey("content.Article", on_delete=models.PROTECT, related_name="interpretation_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interpreted policy document")
        verbose_name_plural = _("interpreted policy documents")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["interpretation", "document"], name="content_policy_link_once"),
            models.CheckConstraint(
                condition=~models.Q(interpretation=models.F("document")), name="content_policy_link_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.interpretation_id}->{self.document_id}"
