"""Database triggers refusing UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events."""

from django.db import migrations


def install(apps, schema_editor):
    from lvzhi.audit.db import install_guard

    install_guard(schema_editor.connection)


def remove(apps, schema_editor):
    from lvzhi.audit.db import remove_guard

    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_seed_audit_head")]

    operations = [migrations.RunPython(install, remove)]
