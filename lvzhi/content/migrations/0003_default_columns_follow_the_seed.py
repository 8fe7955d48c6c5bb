"""Installed default columns follow seed 000 arts. 5 and 7 (S0-5, S0-7): 通知公告 and 工作信息 are owned by every
department and committee; 7.1 and 7.2 chains are published by the host's section head, 7.1 approved by the
committee head (HEAD, as for S0-17 topics); 7.3 reposts are approved by the research office head. Only steps that
still have the old default shape are changed (an administrator's approved changes stay)."""

from django.db import migrations

DEPARTMENT_CODES = ["notices", "work_info", "opinions", "bills", "liaison", "regulations"]
COMMITTEE_CODES = ["deliberation", "consultation"]


def forwards(apps, schema_editor):
    Column = apps.get_model("content", "Column")
    ChainStep = apps.get_model("content", "ChainStep")
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    for column in Column.objects.filter(code__in=["notices", "work_info"], parent=None):
        departments = OrgUnit.objects.filter(
            body_id=column.body_id, parent_id=column.body_id, is_active=True, kind__in=["office", "department", "committee"]
        )
        column.owners.add(*departments)
    ChainStep.objects.filter(
        column__code__in=DEPARTMENT_CODES, kind="publish", role="head", scope="function", function="general_office"
    ).update(scope="host_office", function="")
    ChainStep.objects.filter(column__code__in=DEPARTMENT_CODES, kind="review", role="staff", scope="host").update(
        scope="host_office"
    )
    ChainStep.objects.filter(column__code__in=COMMITTEE_CODES, kind="approve", role="leader", scope="host").update(
        role="head"
    )
    ChainStep.objects.filter(column__code__in=COMMITTEE_CODES, kind="publish", role="head", scope="host").update(
        scope="host_office"
    )
    for column in Column.objects.filter(code="news"):
        steps = list(ChainStep.objects.filter(column=column).order_by("position"))
        has_repost_approval = any(s.kind == "approve" and s.applies_to in ("all", "repost") for s in steps)
        if has_repost_approval or not steps or steps[-1].kind != "publish":
            continue
        publish = steps[-1]
        publish.position += 1
        publish.save(update_fields=["position"])
        ChainStep.objects.create(
            column=column,
            position=publish.position - 1,
            kind="approve",
            role="head",
            scope="function",
            function="research_office",
            applies_to="repost",
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0002_chain_step_host_office"), ("orgs", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
