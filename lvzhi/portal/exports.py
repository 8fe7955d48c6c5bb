"""Exports for the legislative affairs committee: every comment on a draft as an Excel workbook (the office sees the
real name and the masked number), and the adoption report as a PDF (reportlab's built-in CJK font STSong-Light, no
font file). Both are audited by the view's service call."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from lvzhi.audit.services import record
from lvzhi.core import xlsx
from lvzhi.core.masking import mask_phone

from . import selectors

XLSX = xlsx.XLSX_CONTENT_TYPE
FONT = "STSong-Light"


def comments_xlsx(*, actor, draft) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Comments"))
    xlsx.header(
        sheet,
        [_("No."), _("Article"), _("Comment"), _("Name"), _("Mobile number"), _("Received"), _("Moderation"),
         _("Adoption"), _("Reason")],
    )  # fmt: skip
    count = 0
    for c in selectors.office_comments(draft).iterator(chunk_size=1000):
        count += 1
        sheet.append(
            xlsx.row(
                sheet,
                [
                    c.pk,
                    c.article.label if c.article_id else _("The draft as a whole"),
                    c.text,
                    c.name,
                    mask_phone(c.phone),
                    timezone.localtime(c.created_at),
                    c.get_status_display(),
                    c.get_adoption_display() if c.adoption else "",
                    c.adoption_reason,
                ],
            )  # fmt: skip
        )
    record("portal.draft.export", actor=actor, obj=draft, org_unit=draft.body, after={"rows": count, "format": "xlsx"})
    return xlsx.save(book)


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def report_pdf(*, actor, draft) -> bytes:
    """The adoption report: per article the number of comments adopted / partly / not adopted, then each comment
    with its handling and reason."""
    _font()
    title = ParagraphStyle("t", fontName=FONT, fontSize=16, leading=22)
    body = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=15)
    story = [Paragraph(escape(_("Adoption report: %(title)s") % {"title": draft.title}), title), Spacer(1, 4 * mm)]
    story.append(
        Paragraph(
            escape(_("Comment period %(opens)s to %(closes)s") % {"opens": draft.opens_on, "closes": draft.closes_on}),
            body,
        )
    )
    story.append(Spacer(1, 4 * mm))
    rows = [[_("Article"), _("Comments"), _("Adopted"), _("Partly adopted"), _("Not adopted")]]
    for r in selectors.adoption_report(draft):
        label = r["article"].label if r["article"] else _("The draft as a whole")
        rows.append([label, r["total"], r["adopted"], r["partly"], r["not_adopted"]])
    table = Table([[Paragraph(escape(str(c)), body) for c in row] for row in rows], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888")]))
    story += [table, Spacer(1, 6 * mm)]
    for c in selectors.shown_comments(draft):
        where = c.article.label if c.article_id else _("The draft as a whole")
        handling = c.get_adoption_display() if c.adoption else _("Not yet decided")
        story.append(Paragraph(escape(f"{where}｜{c.text}"), body))
        story.append(Paragraph(escape(f"{handling}：{c.adoption_reason}"), body))
        story.append(Spacer(1, 3 * mm))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=draft.title).build(story)
    record("portal.draft.export", actor=actor, obj=draft, org_unit=draft.body, after={"format": "pdf"})
    return out.getvalue()
