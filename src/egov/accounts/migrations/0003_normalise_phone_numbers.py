"""Store every phone number in E.164 (``+84…``), as forms and the sign-in now expect.

Numbers written before (``0905 000 001``) are rewritten; numbers that are not valid, or
whose E.164 form another account already holds, are left as they are.  Re-runnable.
"""

from django.db import migrations

BATCH = 500


def normalise_phones(apps, schema_editor):
    import phonenumbers

    User = apps.get_model("accounts", "User")
    pending = User.objects.exclude(phone="").exclude(phone__startswith="+").order_by("pk")
    last_pk = 0
    while True:
        batch = list(pending.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            break
        for user in batch:
            last_pk = user.pk
            raw = user.phone.strip()
            if raw.startswith("84") and raw.isdigit():
                raw = "+" + raw
            try:
                number = phonenumbers.parse(raw, "VN")
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_valid_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if User.objects.filter(phone=e164).exclude(pk=user.pk).exists():
                continue
            User.objects.filter(pk=user.pk).update(phone=e164)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_phone_verified"),
    ]

    operations = [
        migrations.RunPython(normalise_phones, migrations.RunPython.noop, elidable=True),
    ]
