"""Seed the single chain-head row, so that two first events cannot race to create it."""

from django.db import migrations

GENESIS = "0" * 64


def seed_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    if AuditHead.objects.using(db).filter(pk=1).exists():
        return
    last = AuditEvent.objects.using(db).order_by("-id").values_list("hash", flat=True).first()
    AuditHead.objects.using(db).create(pk=1, last_hash=last or GENESIS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(seed_head, migrations.RunPython.noop)]
