import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.periods import Month
from members import services
from members.choices import Rating
from members.models import MonthlyResult, PartyMember
from members.services import DeductionEntry, ResultEntry
from tests.members.factories import MonthlyReviewFactory, members_for, rule_set_with_rules
from tests.villages.factories import valid_id_number
from villages.choices import POST_COMMITTEE, Post
from villages.models import CadrePost, Person

pytestmark = pytest.mark.django_db

MONTH = Month(2026, 5)


@pytest.fixture
def month(world):
    rule_set = rule_set_with_rules(world.village_a, points=(2, 3, 5))
    members = members_for(world.village_a, 4)
    five = rule_set.rules.get(points=5)
    services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=MONTH, expected_version=0,
        entries=[
            ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason="抗洪抢险表现突出"),
            ResultEntry(member_id=members[1].pk, deductions=[
                DeductionEntry(rule_id=five.pk, note="无故缺席", talk_by="张书记", talk_date=dt.date(2026, 5, 20))]),
            ResultEntry(member_id=members[2].pk, deductions=[DeductionEntry(rule_id=five.pk)]),
        ],
    )
    return world, members


def run(client, code, fmt=None, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items()) + (f"&format={fmt}" if fmt else "")
    return client.get(reverse("reports:report_run", args=[code]) + "?" + query)


def test_bulletin_names_who_was_excellent_and_who_was_deducted_and_why(month, client_for):
    world, members = month
    response = run(client_for(world.users["township_a"]), "monthly-bulletin", "xlsx",
                   township=world.township_a.pk, month=str(MONTH))
    wb = load_workbook(io.BytesIO(response.content))
    by_village, excellent, deducted = wb.worksheets
    assert [c.value for c in by_village[2]][1:6] == [world.village_a.name, 5, 1, 2, 1]  # 4 members + person_a
    assert [c.value for c in excellent[2]][2:] == [members[0].person.name, "抗洪抢险表现突出"]
    rows = {r[2]: r for r in deducted.iter_rows(min_row=2, values_only=True)}
    assert rows[members[1].person.name][3:7] == ("底线第3条", 5, "无故缺席", "张书记")
    assert rows[members[1].person.name][7].date() == dt.date(2026, 5, 20)
    assert rows[members[2].person.name][6] == "未谈话"


def test_another_townships_bulletin_is_not_found(month, client_for):
    world, _members = month
    client = client_for(world.users["township_b"])
    for fmt in (None, "xlsx", "pdf"):
        assert run(client, "monthly-bulletin", fmt, township=world.township_a.pk, month=str(MONTH)).status_code == 404
    # Nor the county-wide one: a township user's bulletin is always their own township's.
    assert run(client, "monthly-bulletin", "xlsx", month=str(MONTH)).status_code == 404


def test_public_notice_prints_an_a4_notice_in_chinese(month, client_for):
    world, members = month
    response = run(client_for(world.users["township_a"]), "public-notice", "pdf",
                   village=world.village_a.pk, month=str(MONTH))
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert round(float(reader.pages[0].mediabox.width)) == 595
    assert "公示" in text and members[0].person.name in text and "抗洪抢险表现突出" in text
    assert members[2].person.name in text
    assert "其余 2 名党员评定为合格" in text
    assert run(client_for(world.users["township_b"]), "public-notice", "pdf",
               village=world.village_a.pk, month=str(MONTH)).status_code == 404


def test_cadre_statistic_reproduces_168_of_358(world, client_for):
    """The speech: of the 358 party-member cadres elected in 2006, 168 had an 优 record: 46.9%."""
    village = world.village_a
    people = Person.objects.bulk_create([
        Person(name=f"干部{i:03d}", gender="M", birth_date=dt.date(1970, 5, 17), id_number=valid_id_number(),
               village=village) for i in range(358 + 20)
    ])
    posts = [Post.SECRETARY, Post.CHAIR, Post.COMMITTEE_MEMBER, Post.BRANCH_MEMBER]
    CadrePost.objects.bulk_create([
        CadrePost(person=p, village=village, post=posts[i % 4], committee=POST_COMMITTEE[posts[i % 4]],
                  term_start_year=2006, term_end_year=2009, start_date=dt.date(2006, 3, 1))
        for i, p in enumerate(people)
    ])
    # 358 of them are party members; the last 20 are not (and one party member holds two posts: counted once).
    members = PartyMember.objects.bulk_create([
        PartyMember(person=p, village=village, joined_date=dt.date(1995, 7, 1)) for p in people[:358]
    ])
    CadrePost.objects.create(person=people[0], village=village, post=Post.VICE_CHAIR, committee="village",
                             term_start_year=2006, term_end_year=2009, start_date=dt.date(2006, 3, 1))
    review = MonthlyReviewFactory(village=village, year=2007, month=5, due_date=dt.date(2007, 6, 10))
    MonthlyResult.objects.bulk_create(
        [MonthlyResult(review=review, member=m, rating=Rating.EXCELLENT, excellent_reason="好") for m in members[:168]]
        + [MonthlyResult(review=review, member=m, rating=Rating.QUALIFIED) for m in members[168:]]
    )
    response = run(client_for(world.users["county"]), "cadre-excellent-record", term_start_year=2006)
    page = response.content.decode()
    assert "在 2006–2009 届当选的 358 名党员干部中，168 名有“优”的记录，占 46.9%。" in page
    wb = load_workbook(io.BytesIO(run(client_for(world.users["county"]), "cadre-excellent-record", "xlsx",
                                      term_start_year=2006).content))
    total = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))[-1]
    assert total[1:3] == (358, 168) and total[3] == pytest.approx(168 / 358)
