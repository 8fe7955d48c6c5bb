"""Monitoring of government websites and new media (issue 16, S1-3.3, S2-25, S2-39).

- `Watch`: an outlet of the registry under monitoring (its feeds, sitemap, whether it is crawled, since when its
  items are logged — the update rules count from that day).
- `OutletItem`: every item an outlet publishes (from the platform's register, feeds, sitemaps, Excel or by hand).
- `Finding`: a problem found (by the crawler, the update check, the consistency check, on duty, a counterfeit
  account) — a case on `workflows.FINDING_FLOW` with a working-day deadline for the host unit to fix it. One
  finding is active per outlet + kind + URL (`dedupe_key`); a recurrence updates it (`occurrences`, `last_seen_at`).
- `CrawlRun`: one crawl of a website (pages, requests, reachability, response time).
- `JobDay`: a daily job claimed once per day (several tick processes).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CRAWLER = "crawler", _("Website crawler")
    UPDATE = "update", _("Update check")
    CONSISTENCY = "consistency", _("Consistency check")
    DUTY = "duty", _("On-duty monitoring")
    COUNTERFEIT = "counterfeit", _("Counterfeit account")


class Severity(models.TextChoices):
    LOW = "low", _("Minor problem")
    MEDIUM = "medium", _("Moderate problem")
    HIGH = "high", _("Serious problem")


class ItemSource(models.TextChoices):
    REGISTER = "register", _("Publication register")
    FEED = "feed", _("RSS/Atom feed")
    SITEMAP = "sitemap", _("Sitemap")
    IMPORT = "import", _("Excel import")
    MANUAL = "manual", _("Entered by hand")


class Watch(models.Model):
    outlet = models.OneToOneField("newmedia.Outlet", on_delete=models.CASCADE, related_name="+")
    since = models.DateField(_("items logged since"))
    crawl = models.BooleanField(_("crawl the website"), default=False)
    start_url = models.CharField(_("start address"), max_length=300, blank=True)
    feed_urls = models.JSONField(default=list, blank=True)
    sitemap_url = models.CharField(_("sitemap"), max_length=300, blank=True)
    crawl_requested_at = models.DateTimeField(null=True, blank=True)  # "crawl now", picked up by the task
    last_crawl_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["crawl", "last_crawl_at"], name="monitoring_watch_crawl")]

    def __str__(self):
        return str(self.outlet_id)


class OutletItem(models.Model):
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=ItemSource.choices)
    ref = models.CharField(max_length=500)  # unique per outlet: the URL, or "register:<id>"
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=64, db_index=True)  # hash of the normalised title (consistency)
    url = models.CharField(_("address"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published"))
    is_original = models.BooleanField(_("original"), default=True)
    content_hash = models.CharField(max_length=64, blank=True)
    excerpt = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outlet", "ref"], name="monitoring_item_once")]
        indexes = [models.Index(fields=["outlet", "-published_at"], name="monitoring_item_recent")]

    def __str__(self):
        return self.title


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To be fixed")
        FIXED = "fixed", _("Fixed, to be verified")
        CLOSED = "closed", _("Verified and closed")
        DISMISSED = "dismissed", _("Dismissed")

    outlet = models.ForeignKey("newmedia.Outlet", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    host_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=40)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    veto = models.BooleanField(_("single-veto item"), default=False)
    summary = models.CharField(_("summary"), max_length=300)
    url = models.CharField(_("address"), max_length=500, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(_("found"))
    last_seen_at = models.DateTimeField(_("last seen"))
    occurrences = models.PositiveIntegerField(default=1)
    seen_after_fix = models.BooleanField(default=False)
    fix_note = models.TextField(_("what was fixed"), blank=True)
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dismiss_reason = models.TextField(_("why dismissed"), blank=True)
    reported_at = models.DateTimeField(_("reported upward"), null=True, blank=True)
    report_note = models.TextField(_("report"), blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    fix_due_at = models.DateTimeField(_("to be fixed by"), null=True, blank=True)  # the running or last fix deadline
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=Q(status__in=("open", "fixed")), name="monitoring_finding_active_once"
            )
        ]
        indexes = [
            models.Index(fields=["host_unit", "status", "-found_at"], name="monitoring_finding_host"),
            models.Index(fields=["office", "status", "-found_at"], name="monitoring_finding_office"),
            models.Index(fields=["outlet", "kind", "-found_at"], name="monitoring_finding_outlet"),
            models.Index(fields=["dedupe_key"], name="monitoring_finding_key"),
        ]

    def __str__(self):
        return self.summary


class CrawlRun(models.Model):
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    requests = models.PositiveIntegerField(default=0)
    reachable = models.BooleanField(default=False)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    findings = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["outlet", "-started_at"], name="monitoring_crawl_recent")]


class JobDay(models.Model):
    job = models.CharField(max_length=40)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="monitoring_job_once")]
