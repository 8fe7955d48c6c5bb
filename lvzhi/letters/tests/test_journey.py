"""The must-show of issue 17: a message by QR to a deputy, passed on as a suggestion and concluded, the public
following it by its lookup code; the SMS code, the working-day limit and the writer's SMS on each step."""

import pytest
from django.utils import timezone

from lvzhi.letters import selectors, services
from lvzhi.letters.models import Letter
from lvzhi.letters.present import for_writer
from lvzhi.notify.models import Delivery
from lvzhi.proposals import selectors as proposal_selectors
from lvzhi.workdays import calendar
from lvzhi.workflow.selectors import deadline_of

from .conftest import WRITER, write

S = Letter.Status


@pytest.mark.req("S4-2.2.3", "S2-30")
def test_a_message_by_qr_to_a_deputy_passed_on_as_a_suggestion_and_concluded(w):
    letter = write(w, via="qr", name="王秀英")
    assert (letter.status, letter.via, letter.deputy, letter.unit) == (S.RECEIVED, "qr", w.deputy, w.station_unit)
    assert letter.writer_name == "王秀英" and letter.phone == WRITER
    # the limit of a suggestion: 10 working days from receipt (start day not counted)
    due = deadline_of(letter, "answer").due_at
    assert due == calendar.add_working_days(timezone.localtime(letter.created_at), 10)

    public = for_writer(selectors.by_lookup_code(letter.lookup_code.lower()))
    assert public["status"] == S.RECEIVED and "俞大山" in public["to"]
    assert "phone" not in public and "writer_name" not in public

    letter = services.pass_on(actor=w.deputy, letter=letter, passed_as="suggestion", note="已作为代表建议提出。")
    assert letter.status == S.PASSED_ON and letter.passed_ref.startswith("proposals.proposal:")
    proposal = proposal_selectors.access_proposal(w.deputy, int(letter.passed_ref.rpartition(":")[2]))
    assert proposal.kind == "suggestion" and proposal.proposer == w.deputy and proposal.title == "村口道路坑洼"
    assert letter.lookup_code in proposal.source_note
    assert letter.answered_in_time is True and deadline_of(letter, "answer").met_at is not None

    letter = services.close_letter(actor=w.deputy, letter=letter, result="县交通局已列入明年道路维修计划。")
    public = for_writer(selectors.by_lookup_code(letter.lookup_code))
    assert public["status"] == S.CLOSED and public["passed_as"] == "suggestion"
    assert public["result"] == "县交通局已列入明年道路维修计划。" and public["reply"] == "已作为代表建议提出。"
    texts = list(Delivery.objects.filter(to=WRITER).order_by("pk").values_list("text", flat=True))
    assert len(texts) == 3  # the code, the pass-on, the conclusion
    assert all(letter.lookup_code in t for t in texts[1:])


@pytest.mark.req("S4-2.2.3")
def test_passed_on_as_a_public_opinion_report(w):
    letter = write(w, kind="comment")
    letter = services.pass_on(actor=w.deputy, letter=letter, passed_as="opinion")
    assert letter.passed_ref.startswith("opinions.report:")


@pytest.mark.req("S2-30", "S1-5.3")
def test_an_error_report_for_a_site_goes_to_its_host_unit_within_three_working_days(w):
    letter = write(w, to="outlet", kind="error_report", title="联系电话错误", text="网站首页的咨询电话已停用。")
    assert letter.unit == w.housing and letter.body == w.gov
    due = deadline_of(letter, "answer").due_at
    assert due == calendar.add_working_days(timezone.localtime(letter.created_at), 3)
    letter = services.forward_letter(actor=w.host_staff, letter=letter, unit_id=w.transport.pk, note="请核实")
    assert letter.status == S.FORWARDED
    letter = services.answer_letter(
        actor=w.transport_staff, letter=letter, reply="已更正为新号码。", public_reply="咨询电话已更正。"
    )
    assert letter.status == S.ANSWERED and letter.publication == Letter.Publication.PENDING
    assert for_writer(letter)["public_reply"] == ""  # not before the office published it
    letter = services.review_publication(actor=w.gov_staff, letter=letter, publish=True)
    assert for_writer(letter)["public_reply"] == "咨询电话已更正。"


@pytest.mark.req("S2-30")
def test_a_body_may_shorten_a_limit_but_not_lengthen_it(w):
    from lvzhi.core.errors import ValidationFailed
    from lvzhi.orgs.services import set_body_setting

    set_body_setting(actor=None, body=w.county, key="letters.answer_working_days.suggestion", value=5)
    letter = write(w)
    assert deadline_of(letter, "answer").due_at == calendar.add_working_days(timezone.localtime(letter.created_at), 5)
    with pytest.raises(ValidationFailed):
        set_body_setting(actor=None, body=w.county, key="letters.answer_working_days.suggestion", value=11)
