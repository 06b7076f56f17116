"""The main navigation as a person uses it: a drop-down per initiative on a wide screen, one 菜单 button on a phone,
the current page marked in both."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_wide_screen_groups_open_one_at_a_time_and_mark_the_current_page(portal):
    page = portal.login("township01").page
    portal.goto("/members/signals/")
    nav = page.locator("nav.mainnav")
    members = nav.locator("details.navgroup", has_text="党员管理")
    expect(members.locator("summary")).to_have_attribute("aria-current", "true")
    expect(nav.get_by_role("link", name="预警信号")).to_be_hidden()  # groups start closed
    members.locator("summary").click()
    current = nav.get_by_role("link", name="预警信号")
    expect(current).to_be_visible()
    expect(current).to_have_attribute("aria-current", "page")
    nav.locator("details.navgroup summary", has_text="承诺践诺").click()
    expect(nav.get_by_role("link", name="履诺评议")).to_be_visible()
    expect(current).to_be_hidden()  # opening another group closed this one
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="履诺评议")).to_be_hidden()
    nav.locator("details.navgroup summary", has_text="承诺践诺").click()
    page.locator("h1").click()  # a click elsewhere closes it too
    expect(nav.get_by_role("link", name="履诺评议")).to_be_hidden()
    nav.locator("details.navgroup summary", has_text="户代表会议").click()
    nav.get_by_role("link", name="议定事项").click()
    expect(page.locator("h1")).to_contain_text("议定事项")
    expect(nav.locator("details.navgroup summary[aria-current]")).to_have_text("户代表会议")


def test_phone_folds_the_navigation_behind_one_button(portal):
    page = portal.login("township01").page
    page.set_viewport_size({"width": 390, "height": 844})
    portal.goto("/pledges/reviews/")
    topbar = page.locator(".topbar")
    assert topbar.bounding_box()["height"] < 120
    expect(page.locator("nav.mainnav")).to_be_hidden()
    page.get_by_text("菜单").click()
    current = page.locator("nav.mainnav").get_by_role("link", name="履诺评议")
    expect(current).to_be_visible()  # every group's links are listed once the menu is open
    expect(current).to_have_attribute("aria-current", "page")
    expect(page.locator("nav.mainnav").get_by_role("link", name="村名录")).to_be_visible()
    portal.screenshot("navigation-390-menu-open")
    page.get_by_text("菜单").click()
    expect(page.locator("nav.mainnav")).to_be_hidden()


def test_a_browser_without_details_content_still_shows_the_groups_on_a_wide_screen(portal):
    """Older browsers cannot open a <details> from CSS: layout.js opens the menu on a wide screen and closes it on a
    phone, so they see the groups, not a 菜单 button, at 1400 px."""
    page = portal.page
    page.add_init_script("""(() => {
        const supports = CSS.supports.bind(CSS);
        CSS.supports = (a, b) => String(a).includes("details-content") ? false : supports(a, b);
    })()""")
    portal.login("township01")
    portal.goto("/members/signals/")
    menu = page.locator("details.navmenu")
    expect(menu).to_have_attribute("open", "")
    expect(menu).to_have_class("navmenu navmenu-wide")
    expect(page.locator("details.navgroup summary", has_text="党员管理")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    expect(menu).not_to_have_attribute("open", "")
    expect(page.locator("summary.navtoggle")).to_be_visible()
