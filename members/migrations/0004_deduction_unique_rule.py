"""A rule counts once per member and month. Existing duplicates are not removed silently (nothing is lost): the
migration stops and names them, so that the county decides which deduction stands (the admin, or the grid)."""

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps, schema_editor):
    Deduction = apps.get_model("members", "Deduction")
    duplicates = list(
        Deduction.objects.values("result__review__village__code", "result__review__year", "result__review__month",
                                 "result__member_id", "rule__number")
        .annotate(n=Count("id")).filter(n__gt=1)
        .order_by("result__review__village__code", "result__review__year", "result__review__month")[:20]
    )
    if duplicates:
        lines = "\n".join(
            f"  village {d['result__review__village__code']} {d['result__review__year']}-"
            f"{d['result__review__month']:02d}, party member #{d['result__member_id']}: rule No. {d['rule__number']} "
            f"{d['n']} times" for d in duplicates)
        raise RuntimeError(
            "Some members have the same rule deducted more than once in a month; remove the extra deductions "
            f"(admin: members › deductions) and run migrate again. The first {len(duplicates)}:\n{lines}")


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0003_minutes_random_names"),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="deduction",
            constraint=models.UniqueConstraint(fields=("result", "rule"), name="deduction_unique_rule"),
        ),
    ]
