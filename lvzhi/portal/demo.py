"""Demo of the public portal: the sites of the city congress (江海市人大常委会, /site/jianghai/ or jhrd.localhost)
and of the county congress (西山县人大常委会 with the township 青石镇, /site/xishan/ or xsrd.localhost); a draft
regulation open for comment and one closed with its adoption report; the legislative affairs committee's clerk who
moderates."""

import datetime as dt

from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit

from . import services
from .models import Draft, DraftComment

CITY, COUNTY, TOWNSHIP = "江海市人大常委会", "西山县人大常委会", "青石镇人大"
CLERK = ("13900002601", "钟立法", "法制委员会", "法制委员会干部（法规草案、征求意见、立法选题）")
LOGINS = [("人大法制委员会干部（法规草案征求意见、审核意见、采纳报告、立法选题答复）", CLERK[0])]
DRAFT_TEXT = """第一章 总则
第一条 为了规范养犬行为，保障公民健康和人身安全，维护市容环境和社会秩序，制定本条例。
第二条 本条例适用于本市城市建成区内的养犬及其相关管理活动。
第二章 养犬登记
第三条 个人饲养犬只，应当向居住地公安派出所申请养犬登记。
第四条 携犬出户时，应当为犬只佩戴犬牌并束犬链，由成年人牵领。
"""
CLOSED_TEXT = """第一条 为了加强电动自行车管理，保障道路交通安全，制定本条例。
第二条 禁止在楼道、疏散通道停放电动自行车或者为其充电。
第三条 住宅小区应当设置集中停放和充电场所。
"""


def _clerk(actor, city):
    law = OrgUnit.objects.filter(body=city, name=CLERK[2]).first()
    user = User.objects.filter(phone=CLERK[0]).first()
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=CLERK[0], real_name=CLERK[1], unit=law, initial_password="Lvzhi@2026demo", title=CLERK[3]
        )
        account_services.mark_demo_password_kept(actor=actor, user=user)
    if not RoleAssignment.objects.filter(user=user, role=Role.STAFF, unit=law, revoked_at=None).exists():
        account_services.grant_role(actor=actor, user=user, role=Role.STAFF, unit=law)
    return user


def load_portal_demo(actor=None) -> int:
    city = OrgUnit.objects.filter(name=CITY, parent__isnull=True).first()
    if city is None:
        return 0
    county = OrgUnit.objects.filter(name=COUNTY, parent=city).first()
    township = OrgUnit.objects.filter(name=TOWNSHIP, parent=county).first()
    services.install_site(
        actor=actor,
        body=city,
        code="jianghai",
        name="江海人大",
        host="jhrd.localhost",
        logo_text="人大",
        is_default=True,
    )
    services.install_site(
        actor=actor, body=county, code="xishan", name="西山人大", host="xsrd.localhost", colour="#1d4e89",
        logo_text="西山", townships=[township] if township else [],
    )  # fmt: skip
    clerk = _clerk(actor, city)
    if Draft.objects.filter(body=city).exists():
        return 0
    today = local_date()
    open_draft = services.create_draft(
        actor=clerk, body=city, title="江海市养犬管理条例（草案）", text=DRAFT_TEXT,
        opens_on=today - dt.timedelta(days=2),
        introduction="为广泛听取社会各方面意见，现将草案全文公布，欢迎提出意见。",
    )  # fmt: skip
    services.publish_draft(actor=clerk, draft=open_draft)
    closed = services.create_draft(
        actor=clerk, body=city, title="江海市电动自行车管理条例（草案）", text=CLOSED_TEXT,
        opens_on=today - dt.timedelta(days=60), period_days=30,
    )  # fmt: skip
    closed = services.publish_draft(actor=clerk, draft=closed)
    articles = list(closed.articles.order_by("position"))
    made = []
    for article, text, adoption, reason in [
        (articles[1], "建议明确物业服务企业的劝阻义务。", "adopted", "已在第二条增加物业劝阻义务。"),
        (articles[2], "集中充电场所建设费用应由政府补贴。", "partly", "补贴问题由配套政策规定，条例作原则规定。"),
        (None, "希望尽快出台。", "not_adopted", "属于表态性意见，无需修改条文。"),
    ]:
        made.append(
            DraftComment.objects.create(
                draft=closed,
                article=article,
                text=text,
                phone="13900002699",
                status="approved",
                moderated_by=clerk,
                adoption=adoption,
                adoption_reason=reason,
                adopted_by=clerk,
                created_at=timezone.now() - dt.timedelta(days=40),
            )  # fmt: skip
        )
    services.publish_report(actor=clerk, draft=closed)
    return 2 + len(made)
