"""The organisation tree: bodies at five levels and the units inside them.

The tree is a materialised path (`/1/4/17/`): a unit and everything below it is one indexed
`path LIKE '/1/4/%'` query on SQLite and PostgreSQL alike.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


class BodyType(models.TextChoices):
    CONGRESS = "congress", _("People's congress")
    CPPCC = "cppcc", _("CPPCC")
    GOVERNMENT = "government", _("Government")
    PARTY = "party", _("Party committee")


class UnitKind(models.TextChoices):
    BODY = "body", _("Body")
    COMMITTEE = "committee", _("Special committee")
    OFFICE = "office", _("Office")
    DEPARTMENT = "department", _("Department")
    HOTLINE = "hotline", _("Members' hotline")
    SECTOR = "sector", _("Sector")
    DELEGATION = "delegation", _("Deputy delegation")
    GROUP = "group", _("Deputy group")
    HANDLING_UNIT = "handling_unit", _("Handling unit")


class UnitFunction(models.TextChoices):
    """What an office does, where the platform gives that office a part to play."""

    NONE = "", _("None")
    GENERAL_OFFICE = "general_office", _("General office")
    RESEARCH_OFFICE = "research_office", _("Research office")
    LIAISON_OFFICE = "liaison_office", _("Members' liaison office")
    INFO_OFFICE = "info_office", _("Information office")
    SECRECY_OFFICE = "secrecy_office", _("Secrecy office")
    PROPOSALS_OFFICE = "proposals_office", _("Proposals office")
    PUBLICITY = "publicity", _("Publicity section")
    STUDY = "study", _("Study section")
    PARTY_ORG = "party_org", _("Party organisation")


class OrgUnit(models.Model):
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    function = models.CharField(_("function"), max_length=30, choices=UnitFunction.choices, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    body_type = models.CharField(_("body type"), max_length=12, choices=BodyType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    body = models.ForeignKey(
        "self",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("The nearest body at or above this unit (itself for a body)."),
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]
        indexes = [models.Index(fields=["body", "kind"]), models.Index(fields=["function", "body"])]

    def __str__(self):
        return self.name

    @property
    def is_body(self):
        return self.kind == UnitKind.BODY

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this unit, read off the path (no query)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    def is_within(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)


class BodySetting(models.Model):
    """A rule of one body (columns, points, deadlines…); bodies below inherit it unless they override it."""

    body = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="settings")
    key = models.CharField(max_length=80)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("body setting")
        verbose_name_plural = _("body settings")
        constraints = [models.UniqueConstraint(fields=["body", "key"], name="orgs_setting_one_per_body")]

    def __str__(self):
        return f"{self.body_id}:{self.key}"


class UnitLeader(models.Model):
    """The named responsible leaders of a unit (S2-5): its principal person in charge (主要负责人) and the leader in
    charge of it (分管领导). Both are recorded before the unit gets back-office operator accounts."""

    class Duty(models.TextChoices):
        PRINCIPAL = "principal", _("Principal person in charge")
        IN_CHARGE = "in_charge", _("Leader in charge")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="leaders")
    duty = models.CharField(_("duty"), max_length=12, choices=Duty.choices)
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("responsible leader")
        verbose_name_plural = _("responsible leaders")
        constraints = [models.UniqueConstraint(fields=["unit", "duty"], name="orgs_unitleader_one_per_duty")]

    def __str__(self):
        return f"{self.unit_id}:{self.duty}"
