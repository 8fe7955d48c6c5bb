"""The annual government-information-disclosure report of a unit (S2-6, seed 002 art. 6: 各单位每年必须按照政府信息
公开条例编制公布政府信息公开工作年度报告).

`generate_annual_report` computes the year's figures from the unit's register, its reader reports and its
emergency responses (`selectors_disclosure.disclosure_figures`), writes them into a draft article in a column the
author may write in (the one of the 政府信息公开年报 category by default), and keeps the figures as generated. The
draft is then edited and goes through that column's normal chain: review, approval, publication, the register.
Figures the platform does not hold (requests for disclosure on application, reviews and lawsuits) are left for the
clerk to fill in, marked as such.
"""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import permissions as perms
from ..models import AnnualReport, Column
from ..selectors_disclosure import disclosure_figures
from .drafting import create_draft

FIRST_YEAR = 2008  # the disclosure regulations took effect on 1 May 2008


def report_title(unit, year: int) -> str:
    return _("%(unit)s %(year)s annual report on government information disclosure") % {"unit": unit.name, "year": year}


@transaction.atomic
def generate_annual_report(*, actor, unit, year, column: Column) -> AnnualReport:
    """Generate the unit's report for `year` as a draft in `column`; once per unit and year."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose a year."), code="year_invalid")
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        raise ValidationFailed(
            _("The year must lie between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year},
            code="year_invalid",
        )
    if unit is None or unit.pk not in {u.pk for u in perms.draft_units(actor, column)}:
        raise NotFound()
    if AnnualReport.objects.filter(unit=unit, year=year).exists():
        raise Conflict(_("The report of this unit for this year has already been generated."), code="report_exists")
    figures = disclosure_figures(unit, year)
    body_html = render_to_string("content/annual_report_body.html", {"f": figures})
    article = create_draft(actor=actor, column=column, unit=unit, title=report_title(unit, year), body_html=body_html)
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                body=unit.body, unit=unit, year=year, article=article, figures=figures, created_by=actor
            )
    except IntegrityError:
        raise Conflict(_("The report of this unit for this year has already been generated."), code="report_exists")
    record(
        "content.annual_report.generate",
        actor=actor,
        obj=report,
        org_unit=unit,
        after={"year": year, "article": article.pk, "items": figures["items"]},
    )
    return report
