"""The table of the shared cache (settings.CACHES["shared"] without Redis): counters every app server sees."""

from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    call_command("createcachetable", "--database", schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create_table, migrations.RunPython.noop)]
