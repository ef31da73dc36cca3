"""Link the files that existing requests already refer to (before 0002 nothing recorded them)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import TextField
from django.db.models.functions import Cast


def _file_ids(value: Any) -> set[str]:
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("file_id"), str):
                found.add(item["file_id"])
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
    return found


def link(apps: Any, schema_editor: Any) -> None:
    Instance = apps.get_model("instances", "Instance")
    InstanceFile = apps.get_model("files", "InstanceFile")
    rows = (Instance.objects.annotate(text=Cast("data", output_field=TextField()))
            .filter(text__contains="file_id").values_list("pk", "data"))
    batch = []
    for pk, data in rows.iterator(chunk_size=500):
        batch += [InstanceFile(instance_id=pk, file_id=file_id[:64]) for file_id in sorted(_file_ids(data))]
        if len(batch) >= 1000:
            InstanceFile.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    InstanceFile.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("files", "0002_instance_file"), ("instances", "0001_initial")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
