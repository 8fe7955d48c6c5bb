"""The keyed (HMAC-SM3) audit chain starts after the last event that exists now; older events keep plain SM3."""

from django.db import migrations, models


def record_boundary(apps, schema_editor):
    """The boundary is the first event not chained with plain SM3 (events written by this code are keyed)."""
    from lvzhi.audit.services import chain_hash

    AuditHead = apps.get_model("audit", "AuditHead")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias
    boundary = None
    for row in AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000):
        if chain_hash(row.prev_hash, row, keyed=False) != row.hash:
            boundary = row.pk
            break
    if boundary is None:
        last = AuditEvent.objects.using(db).order_by("-id").values_list("id", flat=True).first() or 0
        boundary = last + 1
    AuditHead.objects.using(db).filter(pk=1).update(keyed_from=boundary)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.AddField(model_name="audithead", name="keyed_from", field=models.BigIntegerField(blank=True, null=True)),
        migrations.RunPython(record_boundary, migrations.RunPython.noop),
    ]
