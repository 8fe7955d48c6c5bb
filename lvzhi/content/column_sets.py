"""The default column sets of the members' app (S0-5); a body overrides them through its settings.

The body setting keeps its historical key `web.columns` (bodies have stored overrides under it); the sets live in
content, which builds columns from them (`content.defaults.column_set`), so that no domain code imports `web`.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.models import BodyType
from lvzhi.orgs.settings_registry import register

CPPCC_COLUMNS = [
    {"code": "notices", "name": "通知公告"},
    {"code": "deliberation", "name": "网络议政"},
    {"code": "consultation", "name": "远程协商"},
    {"code": "opinions", "name": "社情民意"},
    {"code": "work_info", "name": "工作信息"},
    {"code": "news", "name": "政协动态"},
    {"code": "study", "name": "委员学习"},
    {"code": "party", "name": "党建专栏"},
]
CONGRESS_COLUMNS = [
    {"code": "notices", "name": "通知公告"},
    {"code": "bills", "name": "议案建议"},
    {"code": "news", "name": "人大动态"},
    {"code": "work_info", "name": "工作信息"},
    {"code": "liaison", "name": "代表联络"},
    {"code": "study", "name": "代表学习"},
    {"code": "regulations", "name": "法规草案"},
    {"code": "party", "name": "党建专栏"},
]

register("web.columns", None, _("Columns of the members' app (a list of {code, name}); empty means the default set"))


def default_columns(body_type: str) -> list[dict]:
    return CONGRESS_COLUMNS if body_type == BodyType.CONGRESS else CPPCC_COLUMNS
