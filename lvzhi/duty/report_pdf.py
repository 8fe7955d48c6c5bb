"""A member's annual duty report (履职报告 / 履职档案) as a PDF (S3-12, S3-13), made with reportlab.

The Chinese text uses reportlab's built-in CJK CID font STSong-Light (Adobe-GB1, UniGB-UCS2-H): the PDF names
the font and the reader supplies it, so no font file is shipped or fetched. Everything is drawn from
`selectors.my_year` (what the member sees in 我的履职): the total, the ranks, the points per kind and every record
with its rule and status.
"""

import io
from collections import defaultdict
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Kind, Outcome, Record

PDF = "application/pdf"
FONT = "STSong-Light"
RECORDS_MAX = 300  # the records my_year reads; the report says when there are more


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles():
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=font, fontSize=10.5, leading=15),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=12),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows, widths, style) -> Table:
    table = Table([[_p(c, style) for c in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _rank_text(rank) -> str:
    position, size = rank
    if position is None:
        return "—"
    return _("%(rank)s of %(size)s") % {"rank": position, "size": size}


def member_report_pdf(*, member, body, year: int, data: dict) -> bytes:
    """The PDF bytes of `member`'s duty report for `year` in `body`; `data` is `selectors.my_year(...)`."""
    s = _styles()
    my, records = data["my"], data["records"]
    counted = [r for r in records if r.status == Record.Status.COUNTED]
    per_kind = defaultdict(lambda: [0, 0])
    for r in counted:
        per_kind[r.kind][0] += 1
        per_kind[r.kind][1] += r.points
    story = [
        _p(_("%(year)s annual duty report") % {"year": year}, s["title"]),
        _p(f"{body.name} · {member.real_name}", s["p"]),
        _p(
            _("Issued %(date)s by the platform; points count reviewed and archived records only.")
            % {"date": timezone.localdate().isoformat()},
            s["p"],
        ),
        Spacer(1, 4 * mm),
        _p(_("Year at a glance"), s["h2"]),
        _table(
            [
                [
                    _("Member"),
                    _("Points this year"),
                    _("Rank in the body"),
                    _("Rank in the committee"),
                    _("Rank in the sector"),
                ],
                [
                    member.real_name,
                    str(my.total),
                    _rank_text(data["ranks"]["body"]),
                    _rank_text(data["ranks"]["committee"]),
                    _rank_text(data["ranks"]["sector"]),
                ],
            ],
            [32 * mm, 30 * mm, 36 * mm, 36 * mm, 36 * mm],
            s["cell"],
        ),
        _p(_("Points by kind"), s["h2"]),
        _table(
            [[_("Kind"), _("Number of records"), _("Points")]]
            + [[str(Kind(k).label), str(n), str(p)] for k, (n, p) in sorted(per_kind.items())]
            + [[_("Total (after the caps)"), str(len(counted)), str(my.total)]],
            [80 * mm, 30 * mm, 30 * mm],
            s["cell"],
        ),
        _p(_("Records"), s["h2"]),
        _table(
            [[_("Date"), _("Record"), _("Outcome"), _("Points"), _("Status")]]
            + [
                [
                    r.day.isoformat(),
                    f"{r.title} ({Kind(r.kind).label})",
                    f"{Outcome(r.outcome).label}" + (f" ×{r.quantity}" if r.quantity != 1 else ""),
                    str(r.points),
                    str(r.get_status_display()),
                ]
                for r in records
            ],
            [22 * mm, 70 * mm, 32 * mm, 16 * mm, 30 * mm],
            s["cell"],
        ),
    ]
    if len(records) >= RECORDS_MAX:
        story.append(_p(_("Only the latest %(n)s records are listed.") % {"n": RECORDS_MAX}, s["p"]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("%(year)s annual duty report") % {"year": year},
        author=body.name,
        subject=member.real_name,
    )
    doc.build(story)
    return out.getvalue()
