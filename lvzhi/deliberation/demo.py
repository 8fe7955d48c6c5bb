"""Demo online deliberation for `lvzhi demo` (after the duty demo, which staffs 文化文史和学习委员会 with 钱经委, staff,
and 李振华, head). Invented content only; idempotent (each topic is looked up by committee and title).

- 推进文旅融合高质量发展: open for discussion, with posts, a reply, a support and a key viewpoint;
- 加强历史文化街区保护: discussed, the meeting held, a 专报 awaiting the head's approval and a follow-up tracked;
- 繁荣发展群众文艺: a draft submitted, awaiting the head's approval.
"""

import datetime as dt

from lvzhi.accounts.models import User
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit

from . import services
from .models import Topic

CPPCC = "江海市政协"
COMMITTEE = "文化文史和学习委员会"
STAFF_PHONE, HEAD_PHONE = "13900000801", "13900000802"
MEMBERS = ("13800000001", "13800000003", "13800000007", "13800000004")
LOGINS = [
    ("网络议政：文化文史和学习委员会工作人员（发布议题、标记观点、专报）", STAFF_PHONE),
    ("网络议政：文化文史和学习委员会负责人（审批议题和专报）", HEAD_PHONE),
    ("网络议政：委员（发表意见、附议）", "13800000003"),
]


def _data(title, background, questions, today, meeting_in=30, form="thematic"):
    return {
        "title": title,
        "background": background,
        "questions": questions,
        "discuss_from": today,
        "discuss_until": today + dt.timedelta(days=meeting_in - 5),
        "meeting_date": today + dt.timedelta(days=meeting_in),
        "meeting_form": form,
    }


def _published(staff, head, committee, data):
    topic = services.create_topic(actor=staff, committee=committee, data=data)
    topic = services.submit_topic(actor=staff, topic=topic)
    topic = services.approve_topic(actor=head, topic=topic, note="同意发布")
    return services.publish_topic(actor=staff, topic=topic)


def load_deliberation_demo(actor=None) -> int:
    body = OrgUnit.objects.filter(name=CPPCC, parent__isnull=True).first()
    committee = OrgUnit.objects.filter(parent=body, name=COMMITTEE).first() if body else None
    staff = User.objects.filter(phone=STAFF_PHONE, is_active=True).first()
    head = User.objects.filter(phone=HEAD_PHONE, is_active=True).first()
    members = [u for u in (User.objects.filter(phone=p, is_active=True).first() for p in MEMBERS) if u]
    if committee is None or staff is None or head is None or len(members) < 3:
        return 0
    today = local_date()
    made = 0
    existing = set(Topic.objects.filter(committee=committee).values_list("title", flat=True))

    title = "推进文旅融合高质量发展"
    if title not in existing:
        topic = _published(
            staff,
            head,
            committee,
            _data(
                title,
                "本年度协商计划议题。我市文旅资源丰富，但融合发展程度不高，精品线路和品牌不足。",
                "1. 如何打造具有江海特色的文旅品牌？\n2. 如何用好历史文化资源发展夜间经济？",
                today,
            ),
        )
        p1 = services.create_post(
            actor=members[0], topic=topic, text_value="建议整合老城区与滨江景观，打造一条夜游精品线路。"
        )
        services.create_post(actor=members[1], topic=topic, text_value="赞同，并建议引入非遗展演。", parent=p1)
        services.create_post(actor=members[2], topic=topic, text_value="建议设立文旅融合专项资金，扶持小微文创企业。")
        services.support_post(actor=members[1], post=p1)
        services.mark_viewpoint(actor=staff, post=p1)
        made += 1

    title = "加强历史文化街区保护"
    if title not in existing:
        topic = _published(
            staff,
            head,
            committee,
            _data(
                title,
                "历史文化街区保护与城市更新的关系需要统筹，部分街区存在过度商业化问题。",
                "如何在城市更新中守住历史文脉？",
                today,
                meeting_in=20,
                form="plenary",
            ),
        )
        a = services.create_post(actor=members[1], topic=topic, text_value="建议编制街区保护导则，明确业态负面清单。")
        b = services.create_post(actor=members[3], topic=topic, text_value="建议建立居民参与的街区议事会。")
        services.create_post(actor=members[0], topic=topic, text_value="同意以上两条。")
        for post in (a, b):
            services.mark_viewpoint(actor=staff, post=post)
        services.choose_speaker(actor=staff, post=a)
        services.add_link(actor=staff, topic=topic, kind="inspection", title="历史文化街区专题视察", day=today)
        report = services.draft_report(actor=staff, topic=topic)
        services.submit_report(actor=staff, report=report)
        topic = services.close_topic(actor=staff, topic=topic)
        topic = services.meeting_held(actor=staff, topic=topic)
        services.add_followup(
            actor=staff,
            topic=topic,
            kind="instruction",
            source="市政府分管领导",
            content="请市规划资源局研究编制历史文化街区保护导则。",
            viewpoint_ids=[a.pk],
        )
        made += 1

    title = "繁荣发展群众文艺"
    if title not in existing:
        topic = services.create_topic(
            actor=staff,
            committee=committee,
            data=_data(title, "群众文艺活动的组织与保障。", "如何扩大群众文艺的覆盖面？", today, meeting_in=40),
        )
        services.submit_topic(actor=staff, topic=topic)
        made += 1
    return made
