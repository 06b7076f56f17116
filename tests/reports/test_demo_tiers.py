"""seed_demo --tier: refused on SQLite; on PostgreSQL a miniature tier (30 villages) gives consistent rows."""
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum

from members.models import Deduction, MonthlyResult, MonthlyReview, PartyMember
from villages.idnumbers import validate_id_number
from villages.models import County, Person, Township, Village


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is SQLite's")
@pytest.mark.django_db
def test_tier_is_refused_on_sqlite_before_anything_is_written():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_demo", tier="city")
    assert not County.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tiers are built with PostgreSQL's SQL")
@pytest.mark.django_db(transaction=True)
def test_miniature_tier_copies_villages_with_consistent_rows(client):
    call_command("seed_demo", tier="city", villages=30, verbosity=0)
    tier = Village.objects.filter(code__startswith="3598")
    assert tier.count() == 30 and Village.objects.count() == 115
    assert Township.objects.filter(code__startswith="3598").count() == 3  # 12 villages a township
    assert Township.objects.values("county").distinct().count() == 1

    # Every copy holds its template's rows: same members, reviews and results per village as the demo village.
    demo = {v.name: v for v in Village.objects.exclude(code__startswith="3598")}
    for village in tier.order_by("code")[:5]:
        template = demo[village.name]
        for model, field in ((PartyMember, "village"), (MonthlyReview, "village"), (MonthlyResult, "review__village")):
            assert (model.objects.filter(**{field: village}).count()
                    == model.objects.filter(**{field: template}).count() > 0)
        # Each result's member is a member of the result's village.
        assert not MonthlyResult.objects.filter(review__village=village).exclude(member__village=village).exists()

    # New people have valid ID numbers (the database keeps them unique).
    new_people = Person.objects.filter(village__in=tier)
    assert new_people.count() > 30 * 25
    for number in new_people.values_list("id_number", flat=True)[:2000]:
        validate_id_number(number)

    # Ratings at the tier's rates, deductions exactly where results are deducted, points from the rule.
    results = MonthlyResult.objects.filter(review__village__in=tier)
    n = results.count()
    rated = results.aggregate(ex=Count("pk", filter=Q(rating="excellent")), de=Count("pk", filter=Q(rating="deducted")))
    assert 0.04 <= rated["ex"] / n <= 0.16
    assert 0.01 <= rated["de"] / n <= 0.05
    assert not results.filter(rating="excellent", excellent_reason="").exists()
    deductions = Deduction.objects.filter(result__review__village__in=tier)
    assert deductions.values("result").distinct().count() == rated["de"]
    assert not deductions.exclude(result__rating="deducted").exists()
    assert not deductions.exclude(rule__rule_set=F("result__review__rule_set")).exists()
    assert deductions.aggregate(p=Sum("points"))["p"] == deductions.aggregate(p=Sum("rule__points"))["p"]
    assert deductions.filter(talk_date__isnull=True).exists() and deductions.filter(talk_date__isnull=False).exists()

    # The tier ends by filling the summaries: they equal a fresh aggregate of the raw rows.
    call_command("rebuild_summaries", check=True, verbosity=0)

    # The demo's county account sees the tier's townships.
    client.login(username="county", password="qiangji-demo")
    response = client.get("/reports/dashboard/")
    assert response.status_code == 200
    assert Township.objects.get(code="359800001").name in response.content.decode()
    # ...and so does the city's (issue 17), its only county's townships side by side.
    client.login(username="city", password="qiangji-demo")
    page = client.get("/reports/dashboard/?period=2026").content.decode()
    assert County.objects.get(code="359901").region.name == "强基市"
    assert "强基市 · " in page and Township.objects.get(code="359800001").name in page
