import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from checks.models import ReopenRequest, SpotCheck, SpotCheckFinding
from core.demo import demo_today
from core.periods import Quarter
from members.models import PartyMember
from tests.core.test_backup import check_backup_restores_exactly
from tests.reports.test_quarterly import check_quarterly_report_matches_orm
from villages.choices import TWO_COMMITTEES
from villages.models import CadrePost, Person, Township, Village


def counts():
    return {
        model.__name__: model.objects.count() for model in (Township, Village, Person, CadrePost, PartyMember, User,
                                                            SpotCheck, SpotCheckFinding, ReopenRequest)
    }


def check_the_checks_pages_have_the_demos_checks(client):
    """The 核查 pages open with the county's spot-check of last quarter (some months checked, one 优 not confirmed,
    shown on the signals page) and township01's requests to reopen, one declined and one waiting (checks/demo.py)."""
    quarter = Quarter.of(demo_today()).previous()
    client.force_login(User.objects.get(username="county"))
    listed = client.get(reverse("checks:spotcheck_list")).content.decode()
    assert f">{quarter.label}</a>" in listed
    spot_check = SpotCheck.objects.get()
    assert spot_check.samples.count() == 14  # two village-months a township
    findings = SpotCheckFinding.objects.filter(sample__spot_check=spot_check)
    disputed = findings.get(verdict="disputed")
    assert findings.filter(verdict="confirmed").count() > 50 and disputed.rating == "优"
    assert disputed.sample.flagged  # the flagged village's 优 is the one the county doubts
    signals = client.get(reverse("members:signals") + f"?year={quarter.year}").content.decode()
    assert disputed.note in signals
    for username in ("county", "township01"):
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("checks:reopen_list")).content.decode()
        assert page.count("<td>月度底线评定</td>") == 2, username  # two requests, both of months
        assert "<td>等待县委组织部决定</td>" in page and "<td>未同意</td>" in page, username


@pytest.mark.django_db(transaction=True)
def test_seed_demo_builds_the_county_of_the_speech_and_is_rerunnable(capsys, tmp_path, empty_target, client):
    """One seeded county serves three checks (the seed is the slowest thing in the suite): its figures,
    a backup restored exactly into an empty database, and a re-run that changes nothing."""
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert Township.objects.count() == 7
    assert Village.objects.count() == 85
    current = CadrePost.objects.filter(end_date__isnull=True, committee__in=TWO_COMMITTEES)
    cadre_ids = set(current.values_list("person", flat=True))
    assert len(cadre_ids) == 478
    assert PartyMember.objects.filter(person__in=cadre_ids).count() == 358
    assert PartyMember.objects.filter(person__in=cadre_ids, status="active").count() == 358
    assert 2000 <= PartyMember.objects.count() <= 5000
    # Every village has a secretary and a chair; every village has party members.
    assert current.filter(post="secretary").values("village").distinct().count() == 85
    assert PartyMember.objects.values("village").distinct().count() == 85
    # Demo accounts, one per township in code order, with the documented password.
    townships = list(Township.objects.order_by("code"))
    for i, township in enumerate(townships, start=1):
        user = authenticate(username=f"township{i:02d}", password="qiangji-demo")
        assert user is not None and user.township == township
    assert authenticate(username="county", password="qiangji-demo").groups.filter(name="county_official").exists()
    assert authenticate(username="admin", password="qiangji-demo").is_superuser
    assert "township07" in out and "qiangji-demo" in out
    # The bulk writes are in the audit trail too.
    assert Person.history.count() == Person.objects.count()
    assert PartyMember.history.count() == PartyMember.objects.count()

    check_backup_restores_exactly(tmp_path, empty_target)
    # The quarterly report of the demo county against independent ORM counts (issue 7).
    last_quarter = Quarter.of(demo_today())
    last_quarter = Quarter(last_quarter.year - (last_quarter.quarter == 1), (last_quarter.quarter - 2) % 4 + 1)
    check_quarterly_report_matches_orm(last_quarter)
    check_the_checks_pages_have_the_demos_checks(client)

    before = counts()
    first_names = list(Person.objects.order_by("id_number").values_list("name", flat=True)[:50])
    call_command("seed_demo")
    assert counts() == before
    assert list(Person.objects.order_by("id_number").values_list("name", flat=True)[:50]) == first_names


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_existing_data_alone(world, capsys):
    call_command("seed_demo", "--if-empty")
    assert Village.objects.count() == 3
    assert "未载入演示县" in capsys.readouterr().out


@pytest.mark.django_db
@override_settings(QIANGJI_DEMO_ALLOWED=False)
def test_seed_demo_refuses_production_settings():
    with pytest.raises(CommandError, match="生产配置"):
        call_command("seed_demo")
    assert not Village.objects.exists()
