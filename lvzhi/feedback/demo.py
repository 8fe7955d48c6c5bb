"""Demo feedback for `lvzhi demo`: three members' feedback to the city CPPCC's information office (孙立华,
13900000001, handles them): one awaiting an answer, one answered, one that led to a change; and one from a visitor
to the city congress. Invented content; idempotent (nothing is added when the body already has feedback)."""

from lvzhi.accounts.models import User
from lvzhi.orgs.models import OrgUnit, UnitKind

from . import services
from .models import Feedback

CPPCC, CONGRESS = "江海市政协", "江海市人大常委会"
OFFICER = "13900000001"
ITEMS = [
    ("13800000001", "fault", "在手机上提交社情民意时，上传第三张照片后页面一直转圈。", None),
    (
        "13800000002",
        "suggestion",
        "建议在首页增加字号调节，方便年纪大的委员阅读。",
        ("answer", "已纳入下月版本计划，届时将通知您。"),
    ),
    (
        "13800000003",
        "content",
        "“委员学习”栏目第二篇文章的附件打不开。",
        ("record_change", "已重新上传附件，现在可以正常打开。"),
    ),
]


def load_feedback_demo(actor=None) -> int:
    body = OrgUnit.objects.filter(kind=UnitKind.BODY, name=CPPCC).first()
    officer = User.objects.filter(phone=OFFICER).first()
    if body is None or officer is None or Feedback.objects.filter(body=body).exists():
        return 0
    users = {u.phone: u for u in User.objects.filter(phone__in=[p for p, *_ in ITEMS])}
    created = 0
    for phone, kind, text, step in ITEMS:
        if phone not in users:
            continue
        feedback = services.give_feedback(actor=users[phone], kind=kind, text=text, page="/")
        created += 1
        if step and step[0] == "answer":
            services.answer_feedback(actor=officer, feedback=feedback, answer=step[1])
        elif step:
            services.record_change(actor=officer, feedback=feedback, note=step[1])
    congress = OrgUnit.objects.filter(kind=UnitKind.BODY, name=CONGRESS).first()
    if congress is not None:
        services.give_feedback(
            actor=None, kind="content", text="人大门户“代表风采”页面的联系电话已停用。", body=congress, ip="demo"
        )
        created += 1
    return created
