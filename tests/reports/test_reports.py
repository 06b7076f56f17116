import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from members.choices import MembershipStatus
from tests.members.factories import PartyMemberFactory
from tests.villages.factories import CadrePostFactory, PersonFactory
from villages.choices import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def cadres(world):
    # township A: person_a (party member, secretary) + 3 more cadres, 1 of them a party member; one former post.
    for i, post in enumerate([Post.CHAIR, Post.VICE_CHAIR, Post.COMMITTEE_MEMBER]):
        person = PersonFactory(village=world.village_a2, name=f"甲干部{i}")
        CadrePostFactory(person=person, post=post)
        if i == 0:
            PartyMemberFactory(person=person)
    gone = PersonFactory(village=world.village_a, name="已离任")
    CadrePostFactory(person=gone, post=Post.VICE_CHAIR, end_date="2025-01-01")
    transferred = PersonFactory(village=world.village_a, name="已转出")
    CadrePostFactory(person=transferred, post=Post.COMMITTEE_MEMBER)
    PartyMemberFactory(person=transferred, status=MembershipStatus.TRANSFERRED_OUT)
    return world


def url(world, fmt=None, township=None):
    query = f"?township={(township or world.township_a).pk}" + (f"&format={fmt}" if fmt else "")
    return reverse("reports:report_run", args=["cadre-roster"]) + query


def test_roster_page_counts_serving_cadres_and_active_party_members(cadres, client_for):
    page = client_for(cadres.users["township_a"]).get(url(cadres)).content.decode()
    assert "甲干部0" in page and "已离任" not in page
    # 5 serving cadres in township A, 2 active party members (person_a, 甲干部0), 40.0%
    assert ('<td class="num"><strong>5</strong></td><td class="num"><strong>2</strong></td>'
            '<td class="num"><strong>40.0%</strong></td>') in page


def test_roster_workbook_has_chinese_headers_frozen_rows_and_numbers(cadres, client_for):
    response = client_for(cadres.users["county"]).get(url(cadres, "xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    summary, roster = wb.worksheets
    assert summary.title == "按乡镇汇总" and roster.title == "干部名单"
    assert [c.value for c in summary[1]] == ["乡镇", "在任干部", "党员", "党员占比"]
    assert summary.freeze_panes == "A2" and roster.freeze_panes == "A2"
    assert summary["B2"].value == 5 and summary["C2"].value == 2
    assert summary["D2"].value == pytest.approx(0.4) and summary["D2"].number_format == "0.0%"
    names = [row[4] for row in roster.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["王甲明", "甲干部0", "甲干部1", "甲干部2", "已转出"])
    assert roster.column_dimensions["A"].width >= 8


def test_roster_pdf_has_the_same_totals_in_chinese(cadres, client_for):
    response = client_for(cadres.users["county"]).get(url(cadres, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "村两委干部名册" in text and "按乡镇汇总" in text and "甲干部2" in text and "40.0%" in text


def test_township_user_cannot_run_another_townships_report(cadres, client_for):
    client = client_for(cadres.users["township_b"])
    for fmt in (None, "xlsx", "pdf"):
        assert client.get(url(cadres, fmt)).status_code == 404
    # Without a choice, a township user gets their own township.
    page = client.get(reverse("reports:report_run", args=["cadre-roster"])).content.decode()
    assert "李乙华" in page and "王甲明" not in page


def test_unknown_report_or_format_is_not_found(world, client_for):
    client = client_for(world.users["county"])
    assert client.get(reverse("reports:report_run", args=["no-such-report"])).status_code == 404
    assert client.get(url(world, "docx")).status_code == 404
