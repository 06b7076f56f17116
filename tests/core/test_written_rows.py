"""The long tables written in Python rather than by the template (the month overview's villages, the dashboard's
units): every name escaped as the template would, the links and figures the template wrote."""
import pytest
from django.urls import reverse

from core.periods import Month

pytestmark = pytest.mark.django_db

NAME = '<b>一组</b> & "二组"'
ESCAPED = "&lt;b&gt;一组&lt;/b&gt; &amp; &quot;二组&quot;"


@pytest.fixture
def marked(world):
    world.village_a.name = NAME
    world.village_a.save()
    world.township_a.name = NAME + "镇"
    world.township_a.save()
    return world


def test_the_month_overview_escapes_the_names_and_links_each_grid(marked, client_for):
    month = Month(2026, 5)
    page = client_for(marked.users["county"]).get(
        reverse("members:monthlyreview_list") + f"?month={month}&status=").content.decode()
    assert NAME not in page and "<b>一组" not in page
    grid = reverse("members:monthlyreview_grid", args=[marked.village_a.code, month])
    assert f'{ESCAPED}镇</td><td><a href="{grid}">{ESCAPED}</a></td>' in page


def test_the_dashboard_escapes_the_names_of_its_townships_and_villages(marked, client_for):
    client = client_for(marked.users["county"])
    page = client.get(reverse("reports:dashboard") + "?period=2026-05").content.decode()
    assert f'<a href="?period=2026-05&amp;township={marked.township_a.pk}">{ESCAPED}镇</a>' in page
    assert "<b>一组" not in page
    page = client.get(reverse("reports:dashboard") + f"?period=2026-05&township={marked.township_a.pk}")
    page = page.content.decode()
    grid = reverse("members:monthlyreview_grid", args=[marked.village_a.code, "2026-05"])
    assert f'<a href="{grid}">{ESCAPED}</a>' in page
    assert "<b>一组" not in page
