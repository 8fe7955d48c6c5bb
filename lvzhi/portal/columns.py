"""The standing committee's portal columns (S4-2.1.1), installed as public content columns with a body's site; their
items go through the content module's approval chains like every other article (S4-2.4)."""

from lvzhi.orgs.models import BodyType

CONGRESS_PORTAL_COLUMNS = [
    {"code": "legislation", "name": "立法工作"},
    {"code": "supervision", "name": "监督工作"},
    {"code": "decisions", "name": "决议决定"},
    {"code": "appointments", "name": "人事任免"},
    {"code": "organs", "name": "机关工作"},
    {"code": "new_laws", "name": "新法解读"},
    {"code": "gov_reports", "name": "一府一委两院报告"},
    {"code": "deputy_activities", "name": "代表风采"},
]
CPPCC_PORTAL_COLUMNS = [
    {"code": "public_news", "name": "政协要闻"},
    {"code": "public_consultation", "name": "协商议政"},
    {"code": "member_activities", "name": "委员风采"},
]
TOWNSHIP_PORTAL_COLUMNS = [
    {"code": "township_news", "name": "乡镇人大动态"},
    {"code": "deputy_activities", "name": "代表风采"},
]
GENERIC_PORTAL_COLUMNS = [{"code": "public_news", "name": "要闻动态"}]


def portal_columns(body) -> list[dict]:
    if body.level == "township":
        return TOWNSHIP_PORTAL_COLUMNS
    if body.body_type == BodyType.CONGRESS:
        return CONGRESS_PORTAL_COLUMNS
    if body.body_type == BodyType.CPPCC:
        return CPPCC_PORTAL_COLUMNS
    return GENERIC_PORTAL_COLUMNS
