"""The main navigation: grouped by initiative, the current page and its group marked from the URL's name."""
import re

import pytest
from django.urls import reverse


def _current(content: str) -> tuple[list[str], list[str]]:
    """The texts of the links marked aria-current="page" and of the group headings marked aria-current."""
    nav = content[content.index('<nav class="mainnav"'):content.index("</nav>")]
    links = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav)
    groups = re.findall(r'<summary aria-current="true">([^<]*)</summary>', nav)
    return links, groups


@pytest.mark.parametrize("route, kwargs, link, group", [
    ("home", {}, "概览", None),
    ("members:monthlyreview_list", {}, "月度评定", "党员管理"),
    ("members:signals", {}, "预警信号", "党员管理"),
    ("pledges:review_list", {}, "履诺评议", "承诺践诺"),
    ("pledges:pledge_list", {}, "履职承诺", "承诺践诺"),
    ("villages:person_list", {}, "人员", "组织与人员"),
    ("reports:dashboard", {}, "工作台", "统计报表"),
])
def test_the_current_page_and_its_group_are_marked(world, client_for, route, kwargs, link, group):
    content = client_for(world.users["county"]).get(reverse(route, kwargs=kwargs)).content.decode()
    links, groups = _current(content)
    assert links == [link]
    assert groups == ([group] if group else [])


def test_a_page_below_a_list_marks_the_list_link(world, client_for):
    """The village page (villages:village_detail) is under 村名录; the person's page under 人员."""
    client = client_for(world.users["township_a"])
    village_page = client.get(reverse("villages:village_detail", args=[world.village_a.code]))
    links, groups = _current(village_page.content.decode())
    assert (links, groups) == (["村名录"], ["组织与人员"])
    links, _ = _current(client.get(reverse("villages:person_detail", args=[world.person_a.pk])).content.decode())
    assert links == ["人员"]


def test_the_groups_follow_the_users_permissions(world, client_for):
    """A township user sees every initiative but not the administration, and every link listed opens."""
    content = client_for(world.users["township_a"]).get(reverse("home")).content.decode()
    nav = content[content.index('<nav class="mainnav"'):content.index("</nav>")]
    for heading in ("组织与人员", "党员管理", "承诺践诺", "户代表会议", "考评", "统计报表"):
        assert f">{heading}</summary>" in nav
    assert reverse("admin:index") not in nav
    hrefs = re.findall(r'href="([^"]+)"', nav)
    for href in hrefs:
        assert client_for(world.users["township_a"]).get(href).status_code == 200, href


def _nav_links(content: str) -> list[str]:
    nav = content[content.index('<nav class="mainnav"'):content.index("</nav>")]
    return re.findall(r'<a href="[^"]*"[^>]*>([^<]*)</a>', nav)


def test_the_navigation_follows_the_accounts_permissions_from_one_request_to_the_next(world, client_for):
    """The navigation's HTML is kept per permissions, page and language (core.templatetags.portal.mainnav): a
    permission taken from the account's role takes its link away on the next page, and gives it back."""
    from django.contrib.auth.models import Permission

    client = client_for(world.users["township_a"])
    url = reverse("members:monthlyreview_list")
    assert "告诫与处置" in _nav_links(client.get(url).content.decode())
    perm = Permission.objects.get(codename="view_memberwarning")
    groups = list(world.users["township_a"].groups.filter(permissions=perm))
    for group in groups:
        group.permissions.remove(perm)
    assert "告诫与处置" not in _nav_links(client.get(url).content.decode())
    for group in groups:
        group.permissions.add(perm)
    assert "告诫与处置" in _nav_links(client.get(url).content.decode())


def test_the_current_link_moves_with_the_page_for_the_same_account(world, client_for):
    client = client_for(world.users["county"])
    for route, link in [("members:signals", "预警信号"), ("members:monthlyreview_list", "月度评定"),
                        ("members:signals", "预警信号")]:
        assert _current(client.get(reverse(route)).content.decode())[0] == [link]
