# Personal-data change requests now live in the `datachange` app (its migration 0001 takes the model over in
# Django's state, keeping the table). Here the accounts app lets go of the model, state only, and the content type
# follows it, so that workflow history and deadlines (generic relations by content type) still find their requests.

from django.db import migrations


def content_type_to_datachange(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label="datachange", model="datachangerequest").exists():
        types.filter(app_label="accounts", model="datachangerequest").update(app_label="datachange")


def content_type_to_accounts(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    types = ContentType.objects.using(db)
    if not types.filter(app_label="accounts", model="datachangerequest").exists():
        types.filter(app_label="datachange", model="datachangerequest").update(app_label="accounts")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('datachange', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='DataChangeRequest')],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_datachange, content_type_to_accounts),
    ]
