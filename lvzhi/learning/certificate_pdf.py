"""A course certificate (结业证书) as a PDF, made with reportlab; the Chinese text uses the built-in CJK CID font
STSong-Light (no font file shipped or fetched), like the duty report."""

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from lvzhi.core.timeutil import local_date

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def certificate_pdf(certificate) -> bytes:
    progress = certificate.progress
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=28, leading=36, alignment=1, spaceAfter=12)
    body = ParagraphStyle("body", fontName=font, fontSize=15, leading=24, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=10, leading=14, alignment=1)
    name = str(progress.user)
    hours = round(progress.seconds / 3600, 1)
    lines = [
        Paragraph(escape(_("Certificate of completion")), title),
        Spacer(1, 8 * mm),
        Paragraph(
            escape(
                _("%(name)s completed the course “%(course)s” of %(body)s in %(year)s, with %(hours)s hours of study.")
                % {
                    "name": name,
                    "course": progress.course.title,
                    "body": progress.body.name,
                    "year": progress.year,
                    "hours": hours,
                }
            ),
            body,
        ),
        Spacer(1, 12 * mm),
        Paragraph(escape(_("Certificate number: %(number)s") % {"number": certificate.number}), small),
        Paragraph(escape(_("Issued on %(day)s") % {"day": local_date(certificate.issued_at).isoformat()}), small),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=_("Certificate of completion"), topMargin=40 * mm)
    doc.build(lines)
    return out.getvalue()
