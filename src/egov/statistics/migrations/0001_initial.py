import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("dossiers", "0005_online_services_fields"),
        ("organizations", "0003_unit_path_longer"),
        ("procedures", "0002_version_form_schema"),
    ]

    operations = [
        migrations.CreateModel(
            name="DossierFact",
            fields=[
                (
                    "dossier",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="statistics_fact",
                        serialize=False,
                        to="dossiers.dossier",
                    ),
                ),
                ("level", models.CharField(max_length=10)),
                ("procedure_code", models.CharField(max_length=16)),
                ("channel", models.CharField(max_length=8)),
                ("received_at", models.DateTimeField(null=True)),
                ("ended_at", models.DateTimeField(null=True)),
                (
                    "ended_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("resolved", "Đã có kết quả"),
                            ("refused", "Từ chối tiếp nhận"),
                            ("stopped", "Dừng xử lý"),
                            ("withdrawn", "Rút hồ sơ"),
                        ],
                        default="",
                        max_length=10,
                    ),
                ),
                ("due_ref_at", models.DateTimeField(null=True)),
                ("timing", models.CharField(blank=True, default="", max_length=8)),
                ("timing_by_date", models.CharField(blank=True, default="", max_length=8)),
                ("current_due_at", models.DateTimeField(null=True)),
                ("current_due_on", models.DateField(null=True)),
                ("supplement_requests", models.PositiveSmallIntegerField(default=0)),
                ("supplement_paused_at", models.DateTimeField(null=True)),
                ("reappointed_at", models.DateTimeField(null=True)),
                ("elapsed_minutes", models.BigIntegerField(null=True)),
                ("fee_bearing", models.BooleanField(default=False)),
                ("paid_online", models.BooleanField(default=False)),
                ("e_result", models.BooleanField(default=False)),
                ("digitised", models.BooleanField(default=False)),
                ("reused", models.BooleanField(default=False)),
                ("synced", models.BooleanField(default=False)),
                ("satisfaction", models.CharField(blank=True, default="", max_length=16)),
                (
                    "competent_agency",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.agency",
                    ),
                ),
                (
                    "receiving_agency",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.agency",
                    ),
                ),
                (
                    "sector",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="procedures.sector",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organizations.administrativeunit",
                    ),
                ),
            ],
            options={
                "verbose_name": "số liệu thống kê của hồ sơ",
                "verbose_name_plural": "số liệu thống kê của hồ sơ",
                "indexes": [
                    models.Index(fields=["unit", "received_at"], name="stats_fact_unit_recv_idx"),
                    models.Index(fields=["unit", "ended_at"], name="stats_fact_unit_end_idx"),
                    models.Index(
                        condition=models.Q(("ended_at__isnull", True)),
                        fields=["unit", "received_at"],
                        name="stats_fact_open_idx",
                    ),
                ],
            },
        ),
    ]
