"""The spreadsheet formats: one column list per kind of import, shared by the template, the reader, the check and
the export, so that an exported list is an importable file (round trip).

The headers are the file format the offices fill in (Chinese, like the forms they replace), not page text: a file
reads the same whatever the language of the page that took it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    example: str = ""
    width: int = 14
    choices: tuple[str, ...] = ()  # a data-validation list in the template (also checked on import)


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

MEMBER_COLUMNS = (
    Column("real_name", "姓名", required=True, example="张明远", width=10),
    Column("phone", "手机号", required=True, example="13900003299", width=14),
    Column("id_card", "身份证号", example="110101199003074477", width=21),
    Column("sector", "界别", example="经济界", width=12),
    Column("party", "党派", example="九三学社", width=18, choices=PARTIES),
    Column("committee", "专委会", example="经济委员会", width=16),
    Column("delegation", "代表团或小组", example="", width=14),
    Column("term", "届次", required=True, example="第十四届", width=10),
    Column("workplace", "工作单位及职务", example="某某科技有限公司 总经理", width=28),
    Column("station", "联络站", example="", width=16),
)

UNIT_COLUMNS = (
    Column("code", "编码", required=True, example="JJ01", width=10),
    Column("name", "名称", required=True, example="经济委员会", width=20),
    Column("kind", "类型", required=True, example="专委会", width=12),
    Column("parent", "上级编码或名称", example="", width=18),
    Column("short_name", "简称", example="经济委", width=12),
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


def columns_of(kind: str) -> tuple[Column, ...]:
    return UNIT_COLUMNS if kind == "units" else MEMBER_COLUMNS


def sheet_title(kind: str) -> str:
    return "机构" if kind == "units" else "委员代表"
