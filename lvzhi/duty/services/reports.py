"""A member's annual duty report as a PDF (履职报告): the member's own, or one an office may see (S3-9, S3-12).
Each export is audited (`duty.report.export`: the member, the year, who; no content)."""

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import NotFound

from .. import selectors
from ..report_pdf import member_report_pdf


def export_member_report(*, actor, body, year: int, member_id=None) -> tuple[bytes, str]:
    """(PDF bytes, file name). Without `member_id`: the actor's own report in `body` (they must be its member);
    with one: a member the actor's office may see (else NotFound, like a member that does not exist)."""
    if member_id is None:
        if body is None or not MemberProfile.objects.filter(user=actor, body=body).exists():
            raise NotFound()
        member = actor
    else:
        member = selectors.access_member_year(actor, body, member_id, year).member
    data = selectors.my_year(member, body, year)
    pdf = member_report_pdf(member=member, body=body, year=year, data=data)
    audit(
        "duty.report.export",
        actor=actor,
        org_unit=body,
        after={"member": member.pk, "year": year, "own": member.pk == actor.pk, "bytes": len(pdf)},
    )
    return pdf, f"duty-report-{year}-{member.pk}.pdf"
