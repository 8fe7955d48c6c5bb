"""The downloadable report of a job: what each row became, every problem found, and (term change) who left."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.core import xlsx
from lvzhi.core.masking import mask_phone

from .models import ImportJob, TermRoll
from .selectors import problems_of, results_of

_CHUNK = 2000


def report_workbook(job: ImportJob) -> bytes:
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    for label, value in (
        (_("File"), job.file_name),
        (_("Status"), job.get_status_display()),
        (_("Rows"), job.rows_total),
        (_("Rows with problems"), job.rows_bad),
        (_("Excluded"), job.rows_excluded),
        (_("Created"), job.rows_created),
        (_("Updated"), job.rows_updated),
        (_("Unchanged"), job.rows_unchanged),
        (_("Rows failed"), job.rows_failed),
        (_("Left the term"), job.rows_left),
    ):
        summary.append(xlsx.row(summary, [label, value]))
    results = book.create_sheet(_("Outcome"))
    xlsx.header(results, [_("Row"), _("Outcome"), _("Name"), _("Note")])
    for r in results_of(job).iterator(chunk_size=_CHUNK):
        results.append(xlsx.row(results, [r.row, r.get_outcome_display(), r.label, r.message]))
    problems = book.create_sheet(_("Problems"))
    xlsx.header(problems, [_("Row"), _("Column of the file"), _("Problems"), _("Excluded")])
    for p in problems_of(job).iterator(chunk_size=_CHUNK):
        problems.append(xlsx.row(problems, [p.row, p.column, p.message, _("yes") if p.excluded else ""]))
    if job.replaces_term:
        left = book.create_sheet(_("Left the term"))
        xlsx.header(left, [_("Name"), _("Mobile number"), _("Term")])
        rolls = TermRoll.objects.filter(body=job.body, term=job.replaces_term, is_current=False).select_related("user")
        for roll in rolls.exclude(user__member_profiles__body=job.body, user__member_profiles__is_active=True):
            left.append(xlsx.row(left, [roll.user.real_name, mask_phone(roll.user.phone), roll.term]))
    return xlsx.save(book)
