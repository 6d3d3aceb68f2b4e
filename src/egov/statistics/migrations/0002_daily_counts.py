"""``DailyCount`` (the facts counted per day and bucket), filled from the facts here; the
partial indexes of the late-dossier annex.  ``manage.py statistics_rebuild`` recomputes
both tables later (docs/statistics.md)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    # The set-based statement of ``statistics_rebuild`` (the daily part only), so that a
    # migrated database reports correctly before any rebuild.
    from egov.statistics.facts import rebuild_daily

    rebuild_daily(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0005_online_services_fields'),
        ('organizations', '0003_unit_path_longer'),
        ('procedures', '0002_version_form_schema'),
        ('statistics', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyCount',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('unit_id', models.BigIntegerField()),
                ('day', models.DateField()),
                ('kind', models.CharField(choices=[('received', 'Tiếp nhận'), ('ended', 'Kết thúc xử lý'), ('apology', 'Xin lỗi, hẹn lại')], max_length=8)),
                ('level', models.CharField(max_length=10)),
                ('sector_id', models.BigIntegerField(default=0)),
                ('competent_agency_id', models.BigIntegerField()),
                ('channel', models.CharField(blank=True, default='', max_length=8)),
                ('ended_kind', models.CharField(blank=True, default='', max_length=10)),
                ('timing', models.CharField(blank=True, default='', max_length=8)),
                ('timing_by_date', models.CharField(blank=True, default='', max_length=8)),
                ('satisfaction', models.CharField(blank=True, default='', max_length=16)),
                ('n', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': 'số hồ sơ theo ngày',
                'verbose_name_plural': 'số hồ sơ theo ngày',
            },
        ),
        migrations.AddIndex(
            model_name='dossierfact',
            index=models.Index(condition=models.Q(('timing', 'late')), fields=['due_ref_at', 'dossier'], include=['ended_at', 'received_at', 'unit', 'ended_kind'], name='stats_fact_late_idx'),
        ),
        migrations.AddIndex(
            model_name='dossierfact',
            index=models.Index(condition=models.Q(('timing_by_date', 'late')), fields=['due_ref_at', 'dossier'], include=['ended_at', 'received_at', 'unit', 'ended_kind'], name='stats_fact_late_date_idx'),
        ),
        migrations.AddConstraint(
            model_name='dailycount',
            constraint=models.UniqueConstraint(fields=('unit_id', 'day', 'kind', 'level', 'sector_id', 'competent_agency_id', 'channel', 'ended_kind', 'timing', 'timing_by_date', 'satisfaction'), name='stats_daily_key'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
