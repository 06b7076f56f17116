"""The region level (issue 17): a city's account compares its counties on the dashboard and in the quarterly report,
drills down to a county's townships and a township's villages, and finds nothing of another city's county."""
import io
import re

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import COUNTY_OFFICIAL, REGION_OFFICIAL, TOWNSHIP_STAFF
from core.models import Export
from members.choices import Rating
from members.models import CountyPolicy, MonthlyResult
from tests.accounts.factories import make_user
from tests.exports import run_worker
from tests.members.factories import members_for
from tests.villages.factories import TownshipFactory, VillageFactory
from villages.models import County

pytestmark = pytest.mark.django_db


def test_city_dashboard_compares_its_counties_and_drills_down_to_a_township(city, client_for,
                                                                           django_assert_max_num_queries):
    client = client_for(city.users["region"])
    url = reverse("reports:dashboard") + "?period=2026"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "强基市" in page and "各县对比" in page
    assert f"county={city.county.pk}" in page and f"county={city.extra['second'].pk}" in page
    assert city.county.name in page and "青山县" in page
    assert city.township_a.name not in page and "青一村" not in page  # counties only, no township or village rows
    # The totals are the two counties' member-months together.
    excellent = MonthlyResult.objects.filter(review__year=2026, rating=Rating.EXCELLENT).count()
    assert f'<div class="figure">{excellent}</div>' in page

    county_page = client.get(url + f"&county={city.extra['second'].pk}").content.decode()
    assert "青山镇" in county_page and city.township_a.name not in county_page
    township_page = client.get(url + f"&township={city.extra['second_township'].pk}").content.decode()
    assert "青一村" in township_page and "青三村" in township_page and city.village_a.name not in township_page
    assert "status status-accepted" in township_page or "status status-submitted" in township_page


def test_city_dashboard_size_does_not_grow_with_villages(city, client_for, django_assert_max_num_queries):
    client = client_for(city.users["region"])
    url = reverse("reports:dashboard") + "?period=2026"
    before = client.get(url).content.decode()
    for i in range(12):
        members_for(VillageFactory(township=city.extra["second_township"], name=f"新{i}村"), 2)
    with django_assert_max_num_queries(20):
        after = client.get(url).content.decode()
    assert abs(len(after) - len(before)) < 200 and "新3村" not in after


def test_inflation_flags_are_computed_within_each_county(city, client_for):
    """Each county's flags are its own: the region's count per county is what that county's own rule flags."""
    from members.selectors import county_flag_counts, village_flag_marks

    region = city.users["region"]
    # 青山县 sets a lower threshold than 强基县's default (2.0): three villages can be 1.2 deviations off, not 2.
    CountyPolicy.objects.filter(county=city.extra["second"]).update(flag_z=1.2)
    counts = county_flag_counts(user=region, year=2026)
    assert counts.get(city.county.pk, 0) == 0 and counts[city.extra["second"].pk] >= 1
    # The same villages flagged as each county's own dashboard flags them, against its own villages only.
    for county in (city.county, city.extra["second"]):
        own = village_flag_marks(user=region, year=2026, county=county)
        assert counts.get(county.pk, 0) == len(own["flagged"])
    page = client_for(region).get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert "个村被提示" in page


def _background_file(client, user, url):
    """A region's workbook or PDF: queued, built by the worker, then downloaded by its asker."""
    response = client.get(url)
    assert response.status_code == 302
    export = resolve(response["Location"]).kwargs["pk"]
    assert Export.objects.get(pk=export).user == user
    run_worker()
    download = client.get(reverse("reports:export_download", args=[export]))
    assert download.status_code == 200
    return download.content


@pytest.mark.django_db(transaction=True)
def test_city_quarterly_report_has_a_row_per_county_and_drills_to_a_county(city, client_for):
    client = client_for(city.users["region"])
    url = reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2"
    wb = load_workbook(io.BytesIO(_background_file(client, city.users["region"], url + "&format=xlsx")))
    sheet = wb.worksheets[0]
    assert sheet["A1"].value == "县"
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [city.county.name, "青山县", "合计"]
    header = [c.value for c in sheet[1]]
    totals = dict(zip(header, [c.value for c in sheet[sheet.max_row]]))
    assert totals["评定人次"] == MonthlyResult.objects.filter(review__year=2026, review__month__in=[4, 5, 6]).count()
    page = client.get(url).content.decode()
    assert "强基市" in page and "青山县" in page
    pdf = PdfReader(io.BytesIO(_background_file(client, city.users["region"], url + "&format=pdf")))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "中共强基市委组织部" in text and "青山县" in text  # the city issues its own document

    drill = client.get(url + f"&county={city.extra['second'].pk}&format=xlsx")  # one county: at once
    assert drill.status_code == 200
    names = [r[0] for r in load_workbook(io.BytesIO(drill.content)).worksheets[0].iter_rows(min_row=2,
                                                                                          values_only=True)]
    assert names == ["青山镇", "合计"]


def test_another_citys_county_is_not_found(city, client_for):
    client = client_for(city.users["other_region"])
    second = city.extra["second"]
    dashboard = reverse("reports:dashboard")
    assert client.get(dashboard + f"?county={second.pk}").status_code == 404
    assert client.get(dashboard + f"?township={city.township_a.pk}").status_code == 404
    quarterly = reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2"
    assert client.get(quarterly + f"&county={second.pk}&format=xlsx").status_code == 404
    page = client.get(dashboard + "?period=2026").content.decode()
    assert "青山" not in page and city.township_a.name not in page and "邻市" in page
    # ...while the city's own account finds it.
    assert client_for(city.users["region"]).get(dashboard + f"?county={second.pk}").status_code == 200
    assert County.objects.filter(region__isnull=False).count() == 3


def test_city_signals_page_shows_one_county_at_a_time_with_its_own_norms(city, client_for):
    client = client_for(city.users["region"])
    url = reverse("members:signals") + "?year=2026"
    first = client.get(url).content.decode()  # the first county by default
    assert city.village_a.name in first and "青一村" not in first
    second = client.get(url + f"&county={city.extra['second'].pk}").content.decode()
    assert "青一村" in second and city.village_a.name not in second
    assert client_for(city.users["other_region"]).get(url + f"&county={city.extra['second'].pk}").status_code == 404


def test_cadre_statistic_per_county_for_a_city(city, client_for):
    from tests.villages.factories import CadrePostFactory, PersonFactory

    person = PersonFactory(village=city.extra["second_villages"][0], name="青干部")
    CadrePostFactory(person=person)
    from tests.members.factories import PartyMemberFactory

    PartyMemberFactory(person=person)
    url = reverse("reports:report_run", args=["cadre-excellent-record"])
    term = city.post_a.term_start_year
    wb = load_workbook(io.BytesIO(client_for(city.users["region"]).get(
        url + f"?term_start_year={term}&format=xlsx").content))
    sheet = wb.worksheets[0]
    assert sheet["A1"].value == "县"
    names = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [city.county.name, "青山县", "合计"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["青山县"] == 1 and rows["合计"] == rows[city.county.name] + 1


def _frame(page: str) -> tuple[str, str, str]:
    """The page's <title>, header and footer: what names the unit whose portal it is."""
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    header = re.search(r'<a class="brand"[^>]*>(.*?)</a>', page, re.S).group(1)
    footer = re.search(r'<footer class="footer">(.*?)</footer>', page, re.S).group(1)
    return title, header, footer


def test_a_citys_pages_are_headed_with_the_city_and_its_department(city, client_for):
    province = make_user("province", role=REGION_OFFICIAL, region=city.county.region.parent)
    for user, name, department in ((city.users["region"], "强基市", "市委组织部"),
                                   (province, "强基省", "省委组织部")):
        for url in (reverse("home"), reverse("reports:dashboard") + "?period=2026", reverse("accounts:profile")):
            title, header, footer = _frame(client_for(user).get(url).content.decode())
            assert title.endswith(f"· {name}") and f"<small>{name}党建工作管理</small>" in header, (user, url)
            assert footer == f"{name} · {department}", (user, url)
            assert "县" not in title + header + footer  # not the configured county 强基县, nor 县委组织部


def test_a_county_or_township_account_sees_its_own_county_and_the_login_page_the_configured_one(city, client_for):
    second, township = city.extra["second"], city.extra["second_township"]
    for user in (make_user("qingshan", role=COUNTY_OFFICIAL, county=second),
                 make_user("qingshanzhen", role=TOWNSHIP_STAFF, county=second, township=township)):
        title, header, footer = _frame(client_for(user).get(reverse("home")).content.decode())
        assert title.endswith("· 青山县") and "<small>青山县党建工作管理</small>" in header, user
        assert footer == "青山县 · 县委组织部"
        assert "强基县" not in title + header + footer
    dashboard = client_for(user).get(reverse("reports:dashboard") + "?period=2026").content.decode()
    assert re.search(r"<h1>(.*?)</h1>", dashboard, re.S).group(1).startswith("青山镇")  # the township's own page
    VillageFactory(township=TownshipFactory(county=second, name="青河乡"), name="青河村")  # townships side by side
    dashboard = client_for(make_user("qingshan2", role=COUNTY_OFFICIAL, county=second)).get(
        reverse("reports:dashboard") + "?period=2026").content.decode()
    assert re.search(r"<h1>(.*?)</h1>", dashboard, re.S).group(1).startswith("青山县 · ")  # not 强基县
    response = client_for(None).get(reverse("login"))
    assert response.status_code == 200
    title, header, footer = _frame(response.content.decode())
    assert title.endswith("· 强基县") and footer == "强基县 · 县委组织部"  # settings.QIANGJI_COUNTY_NAME


def test_the_frame_costs_a_township_page_no_query_for_its_county(city, client_for):
    """The request's user comes with its org units (accounts.backends): naming its county in the header and the
    footer, and its township in the user menu, reads nothing more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user("qingshanzhen", role=TOWNSHIP_STAFF, county=city.extra["second"],
                     township=city.extra["second_township"])
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:profile")).content.decode()
    assert "青山县 · 县委组织部" in page and "青山镇" in page
    unit_reads = [q["sql"] for q in queries if re.search(r'FROM "villages_(county|township)"', q["sql"])]
    assert unit_reads == [], unit_reads


def test_a_regions_quarterly_report_is_titled_as_its_own(city, client_for):
    client = client_for(city.users["region"])
    assert "市委组织部季度报表" in client.get(reverse("reports:report_list")).content.decode()
    url = reverse("reports:report_run", args=["quarterly"]) + "?quarter=2026Q2"
    page = client.get(url).content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert h1.startswith("市委组织部季度报表") and "强基市" in h1
    assert "县委组织部" not in page
    # One county of the city (built at once): still the city's report, issued by the city.
    one = url + f"&county={city.extra['second'].pk}"
    wb = load_workbook(io.BytesIO(client.get(one + "&format=xlsx").content))
    assert wb.properties.title == "市委组织部季度报表" and wb.properties.creator == "中共强基市委组织部"
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(client.get(one + "&format=pdf").content))
                           .pages).split())
    assert "市委组织部季度报表" in text and "中共强基市委组织部" in text and "县委组织部季度报表" not in text
    # A county's official still reads the county's report.
    county_page = client_for(city.users["county"]).get(url).content.decode()
    assert "县委组织部季度报表" in county_page and "市委组织部" not in county_page
    province = make_user("province", role=REGION_OFFICIAL, region=city.county.region.parent)
    assert "省委组织部季度报表" in client_for(province).get(reverse("reports:report_list")).content.decode()


def test_a_city_accounts_overview_names_each_townships_county(city, client_for):
    """Two counties' townships may share a name: on a region's overview each row says its county; a county's
    account (one county) sees no county column."""
    page = client_for(city.users["region"]).get(reverse("home")).content.decode()
    table = page[page.index("<thead>"):page.index("</table>")]
    assert "<th>县</th>" in table
    assert re.search(rf"<td>{city.county.name}</td><td><a [^>]*>{city.township_a.name}</a>", table)
    assert re.search(r"<td>青山县</td><td><a [^>]*>青山镇</a>", table)
    page = client_for(city.users["county"]).get(reverse("home")).content.decode()
    assert "<th>县</th>" not in page[page.index("<thead>"):page.index("</table>")]
