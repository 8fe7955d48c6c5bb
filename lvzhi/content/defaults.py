"""The default columns of a body (S0-5) and their approval chains (S0-7.1…7.5).

A body's set is installed the first time its columns are used: the codes and names come from the body setting
`web.columns` (or the platform's default set for the body type), the audience, owning departments and chain from
the presets below, matched by code. Every installed column can then be changed by approved column changes.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import BodyType, OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import register

from .column_sets import default_columns
from .models import AppliesTo, Audience, StepKind, StepScope

F = UnitFunction

register("content.max_body_kb", 200, _("Largest article text, in KB"))
register("content.max_attachment_mb", 20, _("Largest attachment, in MB"))
register("content.report_working_days", 2, _("Working days for the information office to handle a content report"))

# A chain step: (kind, role, scope, function, applies_to). HEAD at a committee is the committee's head (主任), the
# same role that approves a deliberation topic (S0-17); HEAD at HOST_OFFICE is the head of its section (处长).
CHAIN_DEPARTMENT = [  # S0-7.2 notices and work information: the department's section reviews, its head approves,
    (StepKind.REVIEW, Role.STAFF, StepScope.HOST_OFFICE, "", AppliesTo.ALL),  # the section's head publishes
    (StepKind.APPROVE, Role.HEAD, StepScope.HOST, "", AppliesTo.ALL),
    (StepKind.PUBLISH, Role.HEAD, StepScope.HOST_OFFICE, "", AppliesTo.ALL),
]
CHAIN_COMMITTEE = [  # S0-7.1 deliberation topics: the committee's head approves, its office (工作处) head publishes
    (StepKind.APPROVE, Role.HEAD, StepScope.HOST, "", AppliesTo.ALL),
    (StepKind.PUBLISH, Role.HEAD, StepScope.HOST_OFFICE, "", AppliesTo.ALL),
]
CHAIN_NEWS = [  # S0-7.3 news: the research office reviews; reposts from other media: its publicity section reviews,
    (StepKind.REVIEW, Role.STAFF, StepScope.FUNCTION, F.RESEARCH_OFFICE, AppliesTo.ORIGINAL),  # its head approves
    (StepKind.REVIEW, Role.STAFF, StepScope.FUNCTION, F.PUBLICITY, AppliesTo.REPOST),
    (StepKind.APPROVE, Role.HEAD, StepScope.FUNCTION, F.RESEARCH_OFFICE, AppliesTo.REPOST),
    (StepKind.PUBLISH, Role.HEAD, StepScope.FUNCTION, F.RESEARCH_OFFICE, AppliesTo.ALL),
]
CHAIN_STUDY = [  # S0-7.4 member study: the study section reviews, the liaison office head approves
    (StepKind.REVIEW, Role.STAFF, StepScope.FUNCTION, F.STUDY, AppliesTo.ALL),
    (StepKind.APPROVE, Role.HEAD, StepScope.FUNCTION, F.LIAISON_OFFICE, AppliesTo.ALL),
    (StepKind.PUBLISH, Role.HEAD, StepScope.FUNCTION, F.LIAISON_OFFICE, AppliesTo.ALL),
]
CHAIN_PARTY = [  # S0-7.5 party building: the party organisation's head approves
    (StepKind.APPROVE, Role.HEAD, StepScope.FUNCTION, F.PARTY_ORG, AppliesTo.ALL),
    (StepKind.PUBLISH, Role.HEAD, StepScope.FUNCTION, F.PARTY_ORG, AppliesTo.ALL),
]

COMMITTEES = "committees"  # owners: every special committee of the body
DEPARTMENTS = "departments"  # owners: every office (department) and special committee of the body

# code -> (audience, owners (functions, COMMITTEES or DEPARTMENTS), chain)
PRESETS = {
    # S0-5 (1), (5): each department and committee edits, reviews and publishes its own notices and work information.
    "notices": (Audience.ALL, [DEPARTMENTS], CHAIN_DEPARTMENT),
    "work_info": (Audience.ALL, [DEPARTMENTS], CHAIN_DEPARTMENT),
    "opinions": (Audience.ALL, [F.GENERAL_OFFICE, F.RESEARCH_OFFICE], CHAIN_DEPARTMENT),
    "deliberation": (Audience.ALL, [COMMITTEES, F.GENERAL_OFFICE], CHAIN_COMMITTEE),
    "consultation": (Audience.ALL, [COMMITTEES, F.GENERAL_OFFICE], CHAIN_COMMITTEE),
    "news": (Audience.ALL, [F.RESEARCH_OFFICE, F.PUBLICITY], CHAIN_NEWS),
    "study": (Audience.ALL, [F.STUDY, F.LIAISON_OFFICE], CHAIN_STUDY),
    "study_garden": (Audience.ALL, [F.STUDY, F.LIAISON_OFFICE], CHAIN_STUDY),
    "cppcc_knowledge": (Audience.ALL, [F.STUDY, F.LIAISON_OFFICE], CHAIN_STUDY),
    "party": (Audience.ALL, [F.PARTY_ORG], CHAIN_PARTY),
    # the people's congress set
    "bills": (Audience.ALL, [F.GENERAL_OFFICE, F.PROPOSALS_OFFICE], CHAIN_DEPARTMENT),
    "liaison": (Audience.ALL, [F.LIAISON_OFFICE], CHAIN_DEPARTMENT),
    "regulations": (Audience.ALL, [F.GENERAL_OFFICE, COMMITTEES], CHAIN_DEPARTMENT),
}
GENERIC = (Audience.ALL, [F.GENERAL_OFFICE], CHAIN_DEPARTMENT)

# Sub-columns of the default sets: parent code -> [(code, name)]
SUB_COLUMNS = {
    BodyType.CPPCC: {"study": [("study_garden", "学习园地"), ("cppcc_knowledge", "政协知识")]},
    BodyType.CONGRESS: {},
}


def preset(code: str):
    return PRESETS.get(code, GENERIC)


def owner_units(body, owners) -> list:
    """The units of `body` named by a preset's owners (functions, or all special committees)."""
    functions = [o for o in owners if o not in (COMMITTEES, DEPARTMENTS)]
    qs = OrgUnit.objects.filter(body=body, is_active=True)
    found = list(qs.filter(function__in=functions)) if functions else []
    if COMMITTEES in owners:
        found += list(qs.filter(kind=UnitKind.COMMITTEE).exclude(pk__in=[u.pk for u in found]))
    if DEPARTMENTS in owners:
        # Departments and committees right under the body (not their sections, not hotlines or delegations).
        departments = qs.filter(parent=body, kind__in=[UnitKind.OFFICE, UnitKind.DEPARTMENT, UnitKind.COMMITTEE])
        found += list(departments.exclude(pk__in=[u.pk for u in found]).order_by("sort_order", "pk"))
    return found


def column_set(body) -> list[dict]:
    """[{code, name, children: [...]}] for `body`: its `web.columns` setting or the default set of its type."""
    configured = body_setting(body, "web.columns") or default_columns(body.body_type)
    subs = SUB_COLUMNS.get(body.body_type, {})
    result = []
    for item in configured:
        code, name = str(item.get("code", "")).strip(), str(item.get("name", "")).strip()
        if not code or not name:
            continue
        children = [{"code": c, "name": n} for c, n in subs.get(code, [])]
        result.append({"code": code, "name": name, "children": children})
    return result


# S2-18: the default proactive-disclosure catalogue (主动公开目录) of a body, (code, name), and the category of each
# default column by its code. A body's information office changes both (the catalogue as data, a column's category
# by an approved column change).
DISCLOSURE_CATEGORIES = [
    ("organisation", "机构职能"),
    ("policy", "政策文件"),
    ("policy_reading", "政策解读"),
    ("plans", "规划计划"),
    ("personnel", "人事信息"),
    ("finance", "财政资金"),
    ("services", "公共服务"),
    ("notices", "通知公告"),
    ("work", "工作动态"),
    ("participation", "公众参与"),
    ("annual_report", "政府信息公开年报"),
]
COLUMN_CATEGORY = {
    "notices": "notices",
    "work_info": "work",
    "news": "work",
    "opinions": "participation",
    "deliberation": "participation",
    "consultation": "participation",
    "bills": "participation",
    "study": "policy_reading",
    "study_garden": "policy_reading",
    "cppcc_knowledge": "policy_reading",
    "party": "organisation",
    "liaison": "services",
    "regulations": "policy",
    "decisions": "policy",  # the portal's 决议决定
    "new_laws": "policy_reading",  # the portal's 新法解读
}
GENERIC_CATEGORY = "work"


def category_code(column_code: str) -> str:
    return COLUMN_CATEGORY.get(column_code, GENERIC_CATEGORY)
