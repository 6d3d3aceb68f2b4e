"""The applicant's choice of notification channels (SMS, e-mail) on each dossier.

Both default to yes, as on the intake form; dossiers received before this migration get
the same.  Adding a boolean column with a constant default does not rewrite the table on
PostgreSQL 11+ (a catalogue change only), so it is quick on a million dossiers.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_postgres_worklist_indexes")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="notify_sms",
            field=models.BooleanField(default=True, verbose_name="nhận thông báo qua SMS"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="notify_email",
            field=models.BooleanField(default=True, verbose_name="nhận thông báo qua thư điện tử"),
        ),
    ]
