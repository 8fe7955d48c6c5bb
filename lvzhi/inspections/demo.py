"""Demo inspections for `lvzhi demo` (after the new-media registry demo; invented content; idempotent).

The city government's office (邱主管 13900001501, the competent office) has: last quarter's self-inspections
opened for every unit (住建局's still due — 蒋运营 13900001502 drafts and submits it; 教育局's submitted, waiting for
the office's review), last month's inspection round scored and published (findings for 住建局 and 文旅局 to fix), a
provincial spot check with a veto on 文旅局's Toutiao account, this year's assessment computed, an accountability
action recorded and the security duties of 住建局's accounts (one password change overdue).
"""

import datetime as dt

from django.db import transaction

from lvzhi.accounts.models import User
from lvzhi.core.timeutil import local_date
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.orgs.models import OrgUnit

from . import services
from .jobs import previous_quarter
from .models import AccountabilityAction, Assessment, Round, RoundKind, SecurityDuty, SelfInspection

GOV = "江海市人民政府"
OFFICE_PHONE, UNIT_PHONE, EDU_PHONE = "13900001501", "13900001502", "13900001504"
# (outlet name, platform) → {indicator code: deduction or True for a veto}
MONTHLY = {
    ("江海市住建局网站", "site"): {"W-D2": 3, "W-D3": 4},
    ("住建之声", "weibo"): {"N-D1": 6},
    ("文旅江海", "toutiao"): {"N-D1": 25, "N-D2": 20},
    ("健康守护", "douyin"): {"N-D4": 2},
}
NOTES = {
    "W-D2": "首页“办事服务”栏目3处链接失效",
    "W-D3": "“通知公告”栏目超过1个月未更新",
    "N-D1": "近两周原创内容不足，多条转载未注明来源",
    "N-D2": "3条网民留言超过时限未回复",
    "N-D4": "自定义菜单“在线办事”链接失效",
    "N-V2": "检查前2周内无更新",
}


def _items(spec: dict) -> dict:
    items = {}
    for code, value in spec.items():
        if value is True:
            items[code] = {"veto": True, "note": NOTES[code]}
        else:
            items[code] = {"deduction": str(value), "note": NOTES[code]}
    return items


def _score_and_publish(office_user, round_, spec):
    by_outlet = {(c.outlet.name, c.outlet.platform): c for c in round_.checks.select_related("outlet", "round")}
    for key, check in by_outlet.items():
        if check.score is None:
            services.score_outlet(actor=office_user, check=check, items=_items(spec.get(key, {})))
    services.publish_round(actor=office_user, round_=round_)


def _rounds(gov, office_user, today) -> int:
    made = 0
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    if not Round.objects.filter(
        office=gov, kind=RoundKind.MONTHLY, year=last_month.year, period=last_month.month
    ).exists():
        with transaction.atomic():
            r = services.create_round(actor=office_user, office=gov, kind=RoundKind.MONTHLY, year=last_month.year,
                                      period=last_month.month, checked_on=last_month)  # fmt: skip
            _score_and_publish(office_user, r, MONTHLY)
        made += 1
    day = today - dt.timedelta(days=20)
    if not Round.objects.filter(office=gov, kind=RoundKind.PROVINCIAL, year=day.year).exists():
        sample = newmedia_selectors.active_outlets(office=gov).filter(name__in=["文旅江海", "江海发布"])
        with transaction.atomic():
            r = services.create_round(actor=office_user, office=gov, kind=RoundKind.PROVINCIAL, year=day.year,
                                      period=day.month, checked_on=day, title=f"{day.year}年省政府办公厅抽查",
                                      outlet_ids=[o.pk for o in sample])  # fmt: skip
            _score_and_publish(office_user, r, {("文旅江海", "toutiao"): {"N-V2": True}})
        made += 1
    return made


def _self_inspections(gov, office_user, today) -> int:
    year, quarter = previous_quarter(today)
    made = len(services.open_quarter(actor=None, office=gov, year=year, quarter=quarter))
    edu = SelfInspection.objects.filter(office=gov, year=year, quarter=quarter, unit__name="市教育局").first()
    edu_user = User.objects.filter(phone=EDU_PHONE).first()
    if edu is not None and edu.status == SelfInspection.Status.DUE and edu_user is not None:
        services.submit_report(actor=edu_user, report=edu)
        made += 1
    return made


def _security(gov, unit_user, today) -> int:
    made = 0
    for outlet in newmedia_selectors.active_outlets(office=gov).filter(host_unit__name="市住建局", platform="wechat"):
        if SecurityDuty.objects.filter(outlet=outlet).exists():
            continue
        services.record_duty(actor=unit_user, outlet=outlet, kind="password", done_on=today - dt.timedelta(days=120),
                             responsible_id=unit_user.pk, note="季度更换管理员密码")  # fmt: skip
        services.record_duty(actor=unit_user, outlet=outlet, kind="monitoring", done_on=today - dt.timedelta(days=40),
                             responsible_id=unit_user.pk, note="工作日每日两次巡查")  # fmt: skip
        services.record_duty(actor=unit_user, outlet=outlet, kind="emergency", done_on=today - dt.timedelta(days=40),
                             responsible_id=unit_user.pk, note="账号被盗用应急预案（2026版）")  # fmt: skip
        made += 3
    return made


def load_inspections_demo(actor=None) -> int:
    gov = OrgUnit.objects.filter(name=GOV, parent__isnull=True).first()
    office_user = User.objects.filter(phone=OFFICE_PHONE).first()
    unit_user = User.objects.filter(phone=UNIT_PHONE).first()
    if gov is None or office_user is None or unit_user is None:
        return 0
    services.scheme_for(2019)  # loads the 2019 scheme the first time
    today = local_date()
    made = _rounds(gov, office_user, today)
    with transaction.atomic():
        made += _self_inspections(gov, office_user, today)
    year = (today - dt.timedelta(days=20)).year
    if not Assessment.objects.filter(office=gov, year=year).exists():
        made += len(services.compute_year(actor=office_user, office=gov, year=year))
    wenlv = OrgUnit.objects.filter(parent=gov, name="市文化和旅游局").first()
    if wenlv is not None and not AccountabilityAction.objects.filter(unit=wenlv).exists():
        services.record_action(actor=office_user, office=gov, unit=wenlv, reason="serious", kind="talk",
                               taken_on=today, note="约谈分管负责人，限期整改“文旅江海”头条号")  # fmt: skip
        made += 1
    with transaction.atomic():
        made += _security(gov, unit_user, today)
    return made
