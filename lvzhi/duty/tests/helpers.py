import datetime as dt

from lvzhi.duty import services
from lvzhi.duty.models import Record


def enter(
    w,
    *,
    member=None,
    kind="meeting",
    outcome="attended",
    day=dt.date(2026, 6, 10),
    unit=None,
    actor=None,
    title="全体委员会议",
    quantity=1,
):
    return services.enter_record(
        actor=actor or w.econ_staff,
        organiser=unit or w.econ,
        member_id=(member or w.m1).pk,
        kind=kind,
        outcome=outcome,
        day=day,
        title=title,
        quantity=quantity,
    )


def counted(w, **kwargs):
    rec = enter(w, **kwargs)
    unit = kwargs.get("unit") or w.econ
    head = {w.econ.pk: w.econ_head, w.general.pk: w.gen_head, w.proposals.pk: w.prop_head}[unit.pk]
    return services.review_record(actor=head, record=rec)


def total(w, member, year=2026, body=None):
    from lvzhi.duty.models import MemberYear

    row = MemberYear.objects.filter(body=body or w.body, member=member, year=year).first()
    return row.total if row else 0


def status(rec):
    return Record.objects.get(pk=rec.pk).status
