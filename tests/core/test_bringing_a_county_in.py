"""README "Bringing a county in", run as a test (issue 15, Done when: item 2).

The demo county is seeded (its organisation, people, cadre posts, party members and a year of months: the villages'
and members' demo data), read into plain Python values, and the database is emptied (`flush`). Then the README's
steps are followed from the empty database through the portal's pages only (Django's test client): `county_start`,
the county's organisation import, `county_start --township-accounts`, and as each township's account its people,
cadre posts and roster imports; the county's basic requirements, each village's bottom lines and the month's
workbook of every village (downloaded from its page, filled in and uploaded). Every workbook is the template the
page offers (?template=1), filled in with the seeded rows as a user would, and goes through preview and confirm.
The whole county is brought in (7 townships, 85 villages), and what the pages wrote must equal what was seeded.
"""
from __future__ import annotations

import io
import random
from collections import defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.demo import DEMO_SEED, DemoContext, demo_today
from core.periods import Month
from members import demo as members_demo
from members.choices import Rating
from members.models import BasicRequirement, MonthlyResult, MonthlyReview, PartyMember, RuleSet
from villages import demo as villages_demo
from villages.models import CadrePost, Person, Township, Village
from villages.resources import EDUCATION_LABELS, GENDER_LABELS, POST_LABELS

PASSWORD = "bring-in-2026"
KIND_LABEL = {"full": "正式党员", "probationary": "预备党员"}
STATUS_LABEL = {"active": "在册", "transferred_out": "转出", "deceased": "去世", "removed": "除名"}
RATING_LABEL = {Rating.QUALIFIED: "合格", Rating.EXCELLENT: "优", Rating.DEDUCTED: "扣分"}


def _label(labels: dict, value) -> str:
    return {v: k for k, v in labels.items()}.get(value, "") if value else ""


# ---------------------------------------------------------------- what the county holds, as plain values

def snapshot(month: Month) -> dict:
    """Everything the walkthrough must reproduce, keyed by natural keys (codes, ID numbers, rule texts)."""
    rule_sets = {}
    for rule_set in RuleSet.objects.filter(year=month.year).select_related("village").prefetch_related("rules"):
        rules = sorted(rule_set.rules.all(), key=lambda r: r.number)
        rule_sets[rule_set.village.code] = {
            "adopted_date": rule_set.adopted_date, "note": rule_set.note,
            "rules": [(r.number, r.text, r.points, r.kind) for r in rules]}
    results = {}
    for result in (MonthlyResult.objects.filter(review__year=month.year, review__month=month.month)
                   .select_related("member__person").prefetch_related("deductions__rule")):
        deductions = sorted(result.deductions.all(), key=lambda d: d.pk)
        results[result.member.person.id_number] = {
            "rating": result.rating, "reason": result.excellent_reason,
            "rules": sorted((d.rule.text, d.points) for d in deductions),
            "first": (deductions[0].note, deductions[0].talk_by, deductions[0].talk_date) if deductions else None}
    return {
        "townships": sorted(Township.objects.values_list("code", "name")),
        "villages": sorted(Village.objects.values_list("code", "name", "township__code")),
        "people": {p["id_number"]: p for p in Person.objects.values(
            "id_number", "name", "gender", "birth_date", "phone", "education", "village__code")},
        "posts": sorted(CadrePost.objects.values_list(
            "village__code", "person__id_number", "post", "committee", "term_start_year", "term_end_year",
            "start_date", "end_date")),
        "members": {m["person__id_number"]: m for m in PartyMember.objects.values(
            "person__id_number", "village__code", "joined_date", "kind", "status")},
        "requirements": list(BasicRequirement.objects.order_by("number").values_list(
            "number", "category", "text", "points", "active")),
        "rule_sets": rule_sets,
        "reviews": {r["village__code"]: r for r in MonthlyReview.objects.filter(
            year=month.year, month=month.month).values(
            "village__code", "meeting_date", "attendance", "minutes", "posted_date")},
        "results": results,
    }


# ---------------------------------------------------------------- the pages

def logged_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def filled_template(client: Client, url: str, rows: list[list]) -> bytes:
    """The page's template (?template=1) with the rows added under its header, as a user fills it in: text cells
    for ID numbers, codes and phone numbers, date cells for dates."""
    response = client.get(url, {"template": 1})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def preview_and_confirm(client: Client, url: str, data: bytes, *, done: str) -> None:
    """Upload (the preview lists no problem and offers to confirm), then confirm: the page says what it wrote."""
    response = client.post(url, {"file": SimpleUploadedFile("import.xlsx", data)})
    text = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' in text, text[text.find("<main"):][:3000]
    assert "import-errors" not in text
    response = client.post(url, {"confirm": "1"}, follow=True)
    text = response.content.decode()
    assert response.status_code == 200 and done in text, text[text.find("<main"):][:3000]


def bring_in_organisation(county: Client, expected: dict) -> None:
    township_name = dict(expected["townships"])
    url = reverse("villages:organisation_import")
    rows = [[township, township_name[township], code, name] for code, name, township in expected["villages"]]
    preview_and_confirm(county, url, filled_template(county, url, rows), done="85")


def bring_in_people_posts_members(client: Client, township_code: str, expected: dict) -> None:
    """One township's people, cadre posts and roster, each through its import page."""
    people = [p for p in expected["people"].values() if p["village__code"].startswith(township_code)]
    url = reverse("villages:person_import")
    rows = [[p["village__code"], p["name"], p["id_number"], _label(GENDER_LABELS, p["gender"]), p["birth_date"],
             p["phone"], _label(EDUCATION_LABELS, p["education"])] for p in people]
    preview_and_confirm(client, url, filled_template(client, url, rows), done=str(len(rows)))

    names = {number: p["name"] for number, p in expected["people"].items()}
    url = reverse("villages:cadrepost_import")
    rows = [[code, number, names[number], _label(POST_LABELS, post), start, end, start_date, end_date]
            for code, number, post, _committee, start, end, start_date, end_date in expected["posts"]
            if code.startswith(township_code)]
    preview_and_confirm(client, url, filled_template(client, url, rows), done=str(len(rows)))

    url = reverse("members:partymember_import")
    rows = [[m["village__code"], number, names[number], m["joined_date"], KIND_LABEL[m["kind"]],
             STATUS_LABEL[m["status"]]] for number, m in expected["members"].items()
            if m["village__code"].startswith(township_code)]
    preview_and_confirm(client, url, filled_template(client, url, rows), done=str(len(rows)))


def adopt_bottom_lines(client: Client, code: str, year: int, rule_set: dict) -> None:
    specific = [f"{text}|{points}" for _n, text, points, kind in rule_set["rules"] if kind == "specific"]
    village = Village.objects.get(code=code)  # the form's choice value: the village's id, as the page lists it
    response = client.post(reverse("members:ruleset_add"), {
        "village": village.pk, "year": year, "adopted_date": rule_set["adopted_date"].isoformat(),
        "specific": "\n".join(specific), "note": rule_set["note"]})
    assert response.status_code == 302, response.content.decode()[-2000:]


def bring_in_month(client: Client, code: str, month: Month, expected: dict) -> None:
    """The month workbook of one village: downloaded from its page (its members listed with their numbers),
    each member's result filled in from the seeded month, the 评议会议 sheet filled, uploaded, confirmed."""
    kwargs = {"code": code, "month": str(month)}
    response = client.get(reverse("members:monthlyreview_template", kwargs=kwargs))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    results, rules_sheet = workbook.worksheets[0], workbook.worksheets[2]
    number_of = {row[2]: row[0] for row in rules_sheet.iter_rows(min_row=2, values_only=True)}  # rule text → No.
    id_of_member = dict(PartyMember.objects.filter(village__code=code).values_list("pk", "person__id_number"))
    for cells in results.iter_rows(min_row=2):
        result = expected["results"].get(id_of_member[cells[1].value])
        if result is None:
            continue
        cells[4].value, cells[5].value = RATING_LABEL[result["rating"]], result["reason"]
        cells[6].value = "、".join(str(number_of[text]) for text, _points in result["rules"])
        if result["first"]:
            cells[7].value, cells[8].value, cells[9].value = result["first"]
    review = expected["reviews"][code]
    meeting = workbook["评议会议"]
    meeting["A2"], meeting["B2"] = review["meeting_date"], review["attendance"]
    meeting["C2"], meeting["D2"] = review["minutes"], review["posted_date"]
    out = io.BytesIO()
    workbook.save(out)
    url = reverse("members:monthlyreview_import", kwargs=kwargs)
    response = client.post(url, {"file": SimpleUploadedFile("month.xlsx", out.getvalue())})
    text = response.content.decode()
    assert response.status_code == 200 and 'name="confirm"' in text, text[text.find("<main"):][:3000]
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302, response.content.decode()[-3000:]


# ---------------------------------------------------------------- the walkthrough

@pytest.mark.django_db(transaction=True)
def test_the_readme_steps_bring_the_demo_county_in_from_an_empty_database_through_the_import_pages():
    ctx = DemoContext(rng=random.Random(DEMO_SEED), scale=1, today=demo_today(), stdout=io.StringIO())
    villages_demo.seed(ctx)
    members_demo.seed(ctx)
    month = Month.of(ctx.today)  # the month the township is still entering: every active member is in it
    expected = snapshot(month)
    assert len(expected["villages"]) == 85 and len(expected["results"]) > 2000

    call_command("flush", interactive=False, verbosity=0)  # an empty database, as after `manage.py migrate`
    ContentType.objects.clear_cache()
    assert not Person.objects.exists() and not Township.objects.exists()

    # 1. The county and its first account.
    call_command("county_start", code=villages_demo.COUNTY_CODE, name=villages_demo.COUNTY_NAME, username="county",
                 password=PASSWORD, stdout=io.StringIO())
    county = logged_in("county")
    # 2. The organisation, as the county.
    bring_in_organisation(county, expected)
    # 3. One account for each township.
    call_command("county_start", code=villages_demo.COUNTY_CODE, township_accounts=True, password=PASSWORD,
                 stdout=io.StringIO())
    townships = [code for code, _name in expected["townships"]]
    # 4.–6. Each township its people, cadre posts and party members.
    for number, code in enumerate(townships, start=1):
        bring_in_people_posts_members(logged_in(f"township{number:02d}"), code, expected)
    # 7. The county's basic requirements, each village's bottom lines, then the month of every village.
    for number, category, text, points, active in expected["requirements"]:
        response = county.post(reverse("members:basicrequirement_list"), {
            "number": number, "category": category, "text": text, "points": points, "active": "on" if active else ""})
        assert response.status_code == 302, response.content.decode()[-2000:]
    for number, township in enumerate(townships, start=1):
        client = logged_in(f"township{number:02d}")
        for code, _name, village_township in expected["villages"]:
            if village_township == township:
                adopt_bottom_lines(client, code, month.year, expected["rule_sets"][code])
                bring_in_month(client, code, month, expected)

    actual = snapshot(month)
    for key in ("townships", "villages", "posts", "requirements", "reviews"):
        assert actual[key] == expected[key], key
    assert actual["people"] == expected["people"]
    assert actual["members"] == expected["members"]
    assert {code: [(n, t, p, k) for n, t, p, k in rs["rules"]] for code, rs in actual["rule_sets"].items()} == {
        code: [(n, t, p, k) for n, t, p, k in rs["rules"]] for code, rs in expected["rule_sets"].items()}
    # The month: every member's result, reasons, rules and points; the first talk of each deduction as entered.
    assert {k: (r["rating"], r["reason"], r["rules"]) for k, r in actual["results"].items()} == {
        k: (r["rating"], r["reason"], r["rules"]) for k, r in expected["results"].items()}
    ratings = defaultdict(int)
    for result in actual["results"].values():
        ratings[result["rating"]] += 1
    assert ratings[Rating.EXCELLENT] > 0 and ratings[Rating.DEDUCTED] > 0
