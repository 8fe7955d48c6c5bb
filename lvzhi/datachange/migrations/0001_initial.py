# Personal-data change requests move from the accounts app to their own app. The table keeps its name
# (accounts_datachangerequest): this migration only tells Django's state that the model now lives here; the
# database is not touched, so existing rows, indexes and foreign keys stay as they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('orgs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DataChangeRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('changes', models.JSONField(verbose_name='requested changes')),
                        ('reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                        ('status', models.CharField(choices=[('submitted', 'Submitted'), ('done', 'Carried out'), ('rejected', 'Rejected')], default='submitted', max_length=12)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decision_note', models.CharField(blank=True, max_length=300)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.orgunit')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='data_change_requests', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'personal-data change request',
                        'verbose_name_plural': 'personal-data change requests',
                        'db_table': 'accounts_datachangerequest',
                        'indexes': [
                            models.Index(fields=['unit', 'status'], name='accounts_da_unit_id_6f6264_idx'),
                            models.Index(fields=['user', '-created_at'], name='accounts_da_user_id_3b3f78_idx'),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
