import uuid

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("org", "OrgRevision").objects.update_or_create(id=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):

    dependencies = [
        ("org", "0002_delegation"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrgRevision",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
