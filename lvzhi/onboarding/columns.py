"""The spreadsheet formats: one column list per kind of import, shared by the template, the reader, the check and
the export, so that an exported list is an importable file (round trip).

The headers are the file format the offices fill in (Chinese, like the forms they replace), not page text: a file
reads the same whatever the language of the page that took it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import ADMIN_ROLES, Role


@dataclass(frozen=True)
class Column:
    """One column of a format. `clean` names how `rows.clean_columns` checks the cell ("text", "mobile",
    "id_card"; empty: the kind's own check looks it up), with `max_length` and `label` for the message."""

    key: str
    header: str
    required: bool = False
    example: str = ""
    width: int = 14
    choices: tuple[str, ...] = ()  # a data-validation list in the template (also checked on import)
    clean: str = ""
    max_length: int = 0
    label: str = ""


# The parties of the CPPCC's members (中国共产党, the eight democratic parties, 无党派人士, 群众).
PARTIES = (
    "中国共产党",
    "中国国民党革命委员会",
    "中国民主同盟",
    "中国民主建国会",
    "中国民主促进会",
    "中国农工民主党",
    "中国致公党",
    "九三学社",
    "台湾民主自治同盟",
    "无党派人士",
    "群众",
)

NAME = Column("real_name", "姓名", True, "张明远", 10, clean="text", max_length=50, label=_("The real name"))
PHONE = Column("phone", "手机号", True, "13900003299", 14, clean="mobile")
ID_CARD = Column("id_card", "身份证号", False, "110101199003074477", 21, clean="id_card")

MEMBER_COLUMNS = (
    NAME,
    PHONE,
    ID_CARD,
    Column("sector", "界别", example="经济界", width=12),
    Column("party", "党派", example="九三学社", width=18, choices=PARTIES),
    Column("committee", "专委会", example="经济委员会", width=16),
    Column("delegation", "代表团或小组", example="", width=14),
    Column("term", "届次", True, "第十四届", 10, clean="text", max_length=40, label=_("The term")),
    Column(
        "workplace",
        "工作单位及职务",
        False,
        "某某科技有限公司 总经理",
        28,
        clean="text",
        max_length=200,
        label=_("The workplace"),
    ),
    Column("station", "联络站", example="", width=16),
)

UNIT_COLUMNS = (
    Column("code", "编码", True, "JJ01", 10, clean="text", max_length=20, label=_("The code")),
    Column("name", "名称", True, "经济委员会", 20, clean="text", max_length=100, label=_("The name")),
    Column("kind", "类型", required=True, example="专委会", width=12),
    Column("parent", "上级编码或名称", example="", width=18),
    Column("short_name", "简称", False, "经济委", 12, clean="text", max_length=40, label=_("The short name")),
)

# The unit kinds an office may import, by the word the file uses (the body itself exists already).
UNIT_KINDS = {
    "专委会": "committee",
    "办公室": "office",
    "部门": "department",
    "界别": "sector",
    "代表团": "delegation",
    "代表小组": "group",
    "委员热线": "hotline",
    "承办单位": "handling_unit",
}
UNIT_COLUMNS = tuple(
    Column(c.key, c.header, c.required, c.example, c.width, tuple(UNIT_KINDS)) if c.key == "kind" else c
    for c in UNIT_COLUMNS
)


# The roles a staff list may give, by the word the file uses (the accounts' Chinese role names). Members and
# deputies come through their own list; the three administrators (三员分立) are the security administrator's to
# grant, never an office's, and their words are known only to be refused with the reason.
STAFF_ROLES = {
    "工作人员": Role.STAFF,
    "处室负责人": Role.HEAD,
    "机关领导": Role.LEADER,
    "委员热线工作人员": Role.HOTLINE,
    "承办单位工作人员": Role.HANDLING,
    "保密办": Role.SECRECY_OFFICE,
    "信息化志愿者": Role.MONITOR,
    "新媒体运营人员": Role.NM_OPERATOR,
    "新媒体总编辑": Role.NM_EDITOR,
    "新媒体主管部门": Role.NM_COMPETENT,
}
REFUSED_ROLES = {
    "系统管理员": Role.SYSADMIN,
    "安全管理员": Role.SECADMIN,
    "安全保密管理员": Role.SECADMIN,
    "审计管理员": Role.AUDITADMIN,
    "安全审计员": Role.AUDITADMIN,
    "信息化办": Role.INFO_OFFICE,
    "委员": Role.MEMBER,
    "代表": Role.DEPUTY,
}
assert not set(STAFF_ROLES.values()) & (ADMIN_ROLES | {Role.INFO_OFFICE, Role.MEMBER, Role.DEPUTY})

STAFF_COLUMNS = (
    NAME,
    PHONE,
    ID_CARD,
    Column("unit", "所在单位", required=True, example="办公室", width=20),
    Column("role", "角色", required=True, example="工作人员", width=16, choices=tuple(STAFF_ROLES)),
    Column("title", "职务", False, "科员", 14, clean="text", max_length=100, label=_("The post")),
)

# Past years' proposals and replies (历史提案及答复). 提案人: the first proposer, then the co-signers, each
# "姓名(手机号或身份证号)", separated by 、 — matched to the body's imported members and deputies.
KIND_WORDS = {"提案": "proposal", "建议": "suggestion", "议案": "bill"}
RATING_WORDS = {"满意": "satisfied", "基本满意": "basic", "不满意": "unsatisfied", "未评价": "none"}
CLASS_WORDS = ("A", "B", "C", "D")
PROPOSAL_COLUMNS = (
    Column("year", "年度", required=True, example="2024", width=8),
    Column("number", "编号", required=True, example="12", width=8),
    Column("kind", "类型", example="提案", width=8, choices=tuple(KIND_WORDS)),
    Column("title", "标题", True, "关于加强老旧小区改造的提案", 36, clean="text", max_length=200, label=_("The title")),
    Column("content", "内容", False, "", 40, clean="multiline", max_length=20000, label=_("The content")),
    Column("proposers", "提案人", required=True, example="张明远(13900003299)", width=30),
    Column("category", "分类", False, "城乡建设", 12, clean="text", max_length=40, label=_("The category")),
    Column("lead_unit", "主办单位", example="", width=20),
    Column("co_units", "协办单位", example="", width=24),
    Column("submitted", "提交日期", example="2024-01-20", width=12),
    Column("replied", "答复日期", example="2024-06-30", width=12),
    Column("reply", "答复内容", False, "", 40, clean="multiline", max_length=20000, label=_("The reply")),
    Column("classification", "办理结果分类", example="A", width=12, choices=CLASS_WORDS),
    Column("rating", "满意度", example="满意", width=10, choices=tuple(RATING_WORDS)),
    Column("public", "是否公开", example="否", width=10, choices=("是", "否")),
)

_FORMATS = {
    "units": (UNIT_COLUMNS, "机构"),
    "members": (MEMBER_COLUMNS, "委员代表"),
    "staff": (STAFF_COLUMNS, "工作人员"),
    "proposals": (PROPOSAL_COLUMNS, "历史提案"),
}


def columns_of(kind: str) -> tuple[Column, ...]:
    return _FORMATS.get(kind, _FORMATS["members"])[0]


def sheet_title(kind: str) -> str:
    return _FORMATS.get(kind, _FORMATS["members"])[1]
