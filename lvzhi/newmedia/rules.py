"""The new-media module's rules a body may tighten, and fixed limits.

Filing limit (S1-3.2, S2-16): an opening, change, closing or cancellation is filed with the same-level government
office within 2 working days of the decision under seed 001 (Lianyungang) and within 7 under seed 002 (the Yunnan
city). Which seed governs a body is the body setting `newmedia.filing_rule` ("S1" by default, the stricter; the
system administrator sets "S2" for a body under seed 002 when the body is set up; a change is audited like every
body setting). The strictest rule named along the chain of bodies applies, so a body below can only tighten it.
The body's own number `newmedia.filing_working_days` is bounded 1–7 by the registry (7 = the loosest seed) and
read through `filing_days()`, which clamps it to the ceiling of the body's own seed: a seed-001 body that stores 7
still gets 2. A body may therefore tighten its seed's number, never relax it.

Notice (S2-17): a change, closing or cancellation is announced for at least 15 working days
(`newmedia.closure_notice_working_days`, declared in orgs with 15 as its floor).
Upward report (S1-3.2): the office reports an accepted filing within 1 working day (fixed).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.models import BodySetting
from lvzhi.orgs.selectors import body_setting, capped_setting
from lvzhi.orgs.settings_registry import register

FILING_DAYS = "newmedia.filing_working_days"
FILING_RULE = "newmedia.filing_rule"
NOTICE_DAYS = "newmedia.closure_notice_working_days"
CEILINGS = {"S1": 2, "S2": 7}  # seed 001 art. 3 (2); seed 002 art. 16 (7)
DEFAULT_RULE = "S1"
REPORT_WORKING_DAYS = 1
NOTICE_FLOOR = 15

register(
    FILING_DAYS,
    None,  # none of its own: the body's seed's number
    _("Working days after the decision to file a new-media opening, change or closing (at most the seed's number)"),
    minimum=1,
    maximum=7,
    meaning=_("S1-3.2: 2 working days (seed 001); S2-16: 7 working days (seed 002); a body may only set fewer."),
)
register(FILING_RULE, DEFAULT_RULE, _("The new-media rules that govern this body: S1 (seed 001) or S2 (seed 002)"))

NAME_MAX = 60
TEXT_MAX = 2000
REF_MAX = 100
URL_MAX = 300
AVATAR_MAX_BYTES = 2 * 1024 * 1024
AGREEMENT_MAX_BYTES = 10 * 1024 * 1024
PAGE_SIZE = 30
SIMILARITY = 0.8  # names at least this similar on one platform are reported as possible duplicates
AGREEMENT_WARN_DAYS = 30  # an undertaking unit's confidentiality agreement expiring within 30 days is a warning
# One-off events (S2-12): names that announce a single event or campaign are refused.
EVENT_WORDS = ("活动", "专项行动", "大会", "峰会", "博览会", "运动会", "庆典", "晚会")
# Administrative-region words beyond the platform's own bodies and units (S2-15).
REGION_WORDS = (
    "中国", "中华", "国家", "全国", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏",
    "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门", "连云港", "昆明", "安宁",
)  # fmt: skip


def _setting(unit, key):

    return body_setting(unit, key) if unit is not None else None


def filing_rule(unit) -> str:
    """The strictest rule named along the unit's chain of bodies: a body may adopt a stricter seed than the bodies
    above it, never a looser one (a county under a seed-001 city stays at 2 days whatever it stores)."""
    if unit is None:
        return DEFAULT_RULE
    stored = BodySetting.objects.filter(body_id__in=unit.ancestor_ids(), key=FILING_RULE).values_list(
        "value", flat=True
    )
    named = [str(value) for value in stored if str(value) in CEILINGS]
    return min(named, key=CEILINGS.__getitem__) if named else DEFAULT_RULE


def filing_ceiling(unit) -> int:
    """The working days to file that the body's seed allows at most."""
    return CEILINGS[filing_rule(unit)]


def filing_days(unit) -> int:
    """The body's working days to file, never above its own seed's ceiling and never below 1."""
    return capped_setting(unit, FILING_DAYS, at_most=filing_ceiling(unit))


def notice_days(unit) -> int:
    try:
        value = int(_setting(unit, NOTICE_DAYS))
    except (TypeError, ValueError):
        value = NOTICE_FLOOR
    return max(NOTICE_FLOOR, value)
