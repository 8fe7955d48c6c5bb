"""S2-18 / S2-19 for the columns that exist already: each body gets the default proactive-disclosure catalogue,
each column the category of its preset (by code), and each column without a maintainer the default one (the first
head, else staff member, of its owning departments, else the body's information office). The register's rows get
the category their column has now."""

from django.db import migrations

CATEGORIES = [
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
}


def _holder(RoleAssignment, units, role):
    for unit in units:
        found = (
            RoleAssignment.objects.filter(
                unit_id=unit.pk, role=role, revoked_at__isnull=True, user__is_active=True, user__is_frozen=False
            )
            .order_by("user_id")
            .first()
        )
        if found is not None:
            return found.user_id
    return None


def forwards(apps, schema_editor):
    Column = apps.get_model("content", "Column")
    DisclosureCategory = apps.get_model("content", "DisclosureCategory")
    RegisterEntry = apps.get_model("content", "RegisterEntry")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    for body_id in Column.objects.values_list("body_id", flat=True).distinct():
        existing = {c.code: c for c in DisclosureCategory.objects.filter(body_id=body_id)}
        for i, (code, name) in enumerate(CATEGORIES):
            if code not in existing:
                existing[code] = DisclosureCategory.objects.create(
                    body_id=body_id, code=code, name=name, sort_order=(i + 1) * 10
                )
        for column in Column.objects.filter(body_id=body_id):
            fields = []
            if column.disclosure_category_id is None:
                column.disclosure_category = existing[COLUMN_CATEGORY.get(column.code, "work")]
                fields.append("disclosure_category")
            if column.maintainer_id is None:
                owners = list(column.owners.order_by("sort_order", "pk"))
                user_id = _holder(RoleAssignment, owners, "head") or _holder(RoleAssignment, owners, "staff")
                if user_id is None:
                    info = (
                        RoleAssignment.objects.filter(
                            unit__body_id=body_id, role="info_office", revoked_at__isnull=True, user__is_active=True
                        )
                        .order_by("pk")
                        .first()
                    )
                    user_id = info.user_id if info else None
                if user_id is not None:
                    column.maintainer_id = user_id
                    fields.append("maintainer")
            if fields:
                column.save(update_fields=fields)
    for entry in RegisterEntry.objects.filter(category_name="").select_related("article__column__disclosure_category"):
        category = entry.article.column.disclosure_category
        if category is not None:
            RegisterEntry.objects.filter(pk=entry.pk).update(category_name=category.name)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_archive_disclosure_sources_urgency"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
