"""The report's first recorded instruction (批示), for the instruction rate of the dashboards. Reports instructed
before this field existed get it here; their roll-up buckets follow with `lvzhi rebuild_rollups`."""

import datetime as dt

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def backfill(apps, schema_editor):
    Instruction = apps.get_model("opinions", "Instruction")
    Report = apps.get_model("opinions", "Report")
    firsts = (
        Instruction.objects.filter(status="recorded").values("report_id").annotate(first=Min("day")).order_by()
    )
    for row in firsts.iterator():
        moment = timezone.make_aware(dt.datetime.combine(row["first"], dt.time.min))
        Report.objects.filter(pk=row["report_id"]).update(instructed_at=moment)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0003_leaders_instructions"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="instructed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first instruction"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
