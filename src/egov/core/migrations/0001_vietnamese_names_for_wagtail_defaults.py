"""Wagtail's migrations create a few rows with English names that staff see in the console
(two groups, the default moderation workflow and its task, the root page and collection).
Give them Vietnamese names.  Only rows that still carry Wagtail's default name are touched,
so the migration is safe to re-run and never overwrites a name an admin chose.
"""

from django.db import migrations

RENAMES = [
    ("auth", "Group", "name", "Editors", "Biên tập (nhóm mặc định)"),
    ("auth", "Group", "name", "Moderators", "Kiểm duyệt (nhóm mặc định)"),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "Kiểm duyệt trước khi xuất bản"),
    ("wagtailcore", "Task", "name", "Moderators approval", "Kiểm duyệt trước khi xuất bản"),
    ("wagtailcore", "Page", "title", "Root", "Gốc"),
    ("wagtailcore", "Collection", "name", "Root", "Thư mục gốc"),
]


def _apply(apps, pairs):
    for app_label, model_name, field, old, new in pairs:
        model = apps.get_model(app_label, model_name)
        updates = {field: new}
        if model_name == "Page":
            updates["draft_title"] = new
        model.objects.filter(**{field: old}).update(**updates)


def forwards(apps, schema_editor):
    _apply(apps, RENAMES)


def backwards(apps, schema_editor):
    _apply(apps, [(a, m, f, new, old) for a, m, f, old, new in RENAMES])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
