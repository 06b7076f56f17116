"""The village page links to everything of the village the user may open (issue 16, item 7): its month of
assessment (this month), pledges, this quarter's pledge review, cadre archives, households and meetings, and its
cadres and party members on the page; each link opens. A link the user may not open is not shown."""
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.periods import Month, Quarter
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def _links(page: str) -> dict[str, str]:
    nav = page[page.index('class="actions village-links"'):]
    nav = nav[:nav.index("</nav>")]
    return {label: href for href, label in re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', nav)}


def test_the_village_page_links_to_everything_of_the_village(world, client_for):
    client = client_for(world.users["township_a"])
    village = world.village_a
    page = client.get(reverse("villages:village_detail", args=[village.code])).content.decode()
    links = _links(page)
    today = timezone.localdate()
    month, quarter = Month.of(today), Quarter.of(today)
    grid = reverse("members:monthlyreview_grid", args=[village.code, str(month)])
    review = reverse("pledges:review_detail", args=[village.code, str(quarter)])
    assert links == {
        f"{today.year}年{today.month}月月度评定": grid,
        "履职承诺": reverse("pledges:pledge_list") + f"?village={village.pk}",
        f"{quarter.year}年第{quarter.quarter}季度履诺评议": review,
        "村级干部档案": reverse("pledges:cadre_list") + f"?village={village.pk}",
        "户代表与议事会议": reverse("assemblies:village_detail", args=[village.code]),
        "在任干部": "#posts",
        "党员": "#members",
    }
    assert 'id="posts"' in page and 'id="members"' in page
    for label, href in links.items():
        if not href.startswith("#"):
            assert client.get(href).status_code == 200, label


def test_a_link_the_user_may_not_open_is_not_shown(world, client_for):
    # A user who may see villages and nothing of the initiatives.
    user = make_user("viewer", role=None, county=world.county, township=world.township_a)
    user.user_permissions.add(Permission.objects.get(codename="view_village", content_type__app_label="villages"))
    page = client_for(user).get(reverse("villages:village_detail", args=[world.village_a.code])).content.decode()
    assert set(_links(page)) == {"在任干部", "党员"}
