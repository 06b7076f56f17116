"""Every PDF the portal prints reads as an official document: the issuing authority from the county record, a stable
document number, the 制表人 / 审核人 / 日期 / (盖章) block and 第 N 页 / 共 M 页 on every page."""
import re

import pytest
from django.urls import reverse

from core.periods import Month
from tests.assemblies.factories import FilingFactory
from tests.evaluations.factories import evaluation_world
from tests.pdfs import assert_official_document

pytestmark = pytest.mark.django_db

MONTH = Month(2026, 5)


def report(code, **params):
    def url(w):
        query = "&".join(f"{k}={v(w) if callable(v) else v}" for k, v in params.items())
        return reverse("reports:report_run", args=[code]) + f"?{query}&format=pdf"
    return url


def township(w):
    return w.township_a.pk


def filing(w):
    return reverse("assemblies:filing_pdf", kwargs={"pk": FilingFactory(township=w.township_a).pk})


def sheet(name):
    def url(w):
        evaluation_world(w)
        return reverse(f"evaluations:{name}", kwargs={"pk": w.extra["sheet"].pk})
    return url


# (what, who prints it, its URL, its number: 强基组 + kind〔year〕serial-unit号; unit = the code after the county's)
DOCUMENTS = [
    ("monthly bulletin", "township_a", report("monthly-bulletin", township=township, month=MONTH),
     r"强基组通报〔2026〕5-\d{3}号"),
    ("public notice", "township_a", report("public-notice", village=lambda w: w.village_a.pk, month=MONTH),
     r"强基组公示〔2026〕5-\d{6}号"),
    ("excellent record", "county", report("cadre-excellent-record", term_start_year=2024), r"强基组统计〔2024〕1号"),
    ("cadre roster", "county", report("cadre-roster"), r"强基组名册〔\d{4}〕\d{4}号"),
    ("quarterly report", "county", report("quarterly", quarter="2026Q2"), r"强基组季报〔2026〕2号"),
    ("cadre archive", "township_a", lambda w: reverse("pledges:archive_pdf", kwargs={"pk": w.person_a.pk}),
     r"强基组档案〔\d{4}〕\d+-\d{6}号"),
    ("quarterly filing", "township_a", filing, r"强基组备案〔2026〕4-\d{3}号"),
    ("evaluation sheet", "township_a", sheet("sheet_pdf"), r"强基组考评〔2026〕\d{3}号"),
    ("pay table", "township_a", sheet("pay_pdf"), r"强基组绩效〔2026〕\d{3}号"),
]


@pytest.mark.parametrize("what, who, url, number", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_every_pdf_is_an_official_document(world, client_for, what, who, url, number):
    response = client_for(world.users[who]).get(url(world))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = assert_official_document(response.content, number=number)
    assert f"制表人：{who}" in text  # the user who printed it


def test_the_number_is_the_same_each_time_the_document_is_printed(world, client_for):
    client = client_for(world.users["township_a"])
    url = report("public-notice", village=lambda w: w.village_a.pk, month=MONTH)(world)
    texts = [assert_official_document(client.get(url).content) for _ in range(2)]
    numbers = {re.search(r"编号：(\S+?号)", text).group(1) for text in texts}
    assert numbers == {f"强基组公示〔2026〕5-{world.village_a.code[6:]}号"}


def test_the_county_record_names_the_issuing_authority(world, client_for):
    world.county.issuing_authority = "中共强基县委员会组织部"
    world.county.save()
    for who, url in (("county", report("quarterly", quarter="2026Q2")(world)),
                     ("township_a", filing(world))):
        assert_official_document(client_for(world.users[who]).get(url).content, authority="中共强基县委员会组织部")
