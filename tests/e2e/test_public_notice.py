"""The online public notice: the township prints a village-month's notice; a villager (no account) scans its QR code,
reads the notice, which shows no ID number, and files an objection; a changed address is not found; the county's
accept is refused until the township has answered; after the window the form is gone."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.pdfs import pdf_link_uris, pdf_qr_codes

pytestmark = pytest.mark.e2e
ZHAILI = "寨里镇"  # township01: the other journeys' villages; left alone here


def _month():
    """A submitted village-month outside 寨里镇, posted today (its window open), and its township's user."""
    from django.utils import timezone

    from accounts.models import User
    from members.models import MonthlyReview

    review = (MonthlyReview.objects.filter(status="submitted").exclude(village__township__name=ZHAILI)
              .select_related("village__township").order_by("-village__code", "-year", "-month").first())
    MonthlyReview.objects.filter(pk=review.pk).update(posted_date=timezone.localdate(), meeting_date=None)
    user = User.objects.filter(township=review.village.township, village__isnull=True, is_active=True).first()
    return review, user


def test_a_villager_objects_online_and_the_county_waits_for_the_answer(portal, browser):
    from members.models import MonthlyReview, NoticeObjection

    review, township_user = _month()
    village, month = review.village, review.period
    page = portal.login(township_user.username).page

    # the township prints the A4 notice; the QR code (and the link beside it) give the public address
    response = page.request.get(portal.url(
        f"/reports/public-notice/?village={village.pk}&month={month}&format=pdf"))
    assert response.ok
    pdf = response.body()
    links = sorted({u for u in pdf_link_uris(pdf) if "/members/notice/" in u})  # a wrapped link: one per line
    assert len(links) == 1, pdf_link_uris(pdf)
    url = links[0]
    codes = pdf_qr_codes(pdf)
    if codes is not None:  # zbar-tools installed: decode the printed code itself
        assert codes == [url]
    assert url.startswith(portal.base_url)

    # a villager's phone: no account, no cookies
    villager = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        phone = villager.new_page()
        assert phone.goto(url).status == 200
        expect(phone.locator("h1")).to_contain_text(village.name)
        names = list(review.results.values_list("member__person__name", flat=True))
        body = phone.locator("body").inner_text()
        assert all(name in body for name in names)
        assert not re.search(r"\d{17}[\dXx]", phone.content())  # no ID number anywhere on the page
        assert villager.cookies() == []
        assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "public-notice-390.png"), full_page=True)

        phone.get_by_role("link", name="提出异议").click()
        phone.locator("select[name=member]").select_option(label=names[0])
        phone.fill("textarea[name=text]", "该同志本月评优理由与事实不符")
        phone.get_by_role("button", name="提交异议").click()
        expect(phone.locator(".message.success")).to_contain_text("您的异议已收到")
        assert {c["name"] for c in villager.cookies()} <= {"csrftoken"}  # never a session
        objection = NoticeObjection.objects.get(review=review)
        assert objection.text == "该同志本月评优理由与事实不符" and objection.notice_version == review.version

        token = url.rstrip("/").rsplit("/", 1)[1]
        changed = url.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B"))
        assert phone.goto(changed).status == 404
    finally:
        villager.close()

    # the county cannot accept the month while the objection waits for an answer
    page = portal.login("county").page
    portal.goto(review.get_absolute_url())
    page.get_by_role("button", name="接收并锁定").click()
    expect(page.locator(".messages")).to_contain_text("异议尚未答复")
    assert MonthlyReview.objects.get(pk=review.pk).status == "submitted"

    # the township answers it from its work queue (dismissed, with the reason)
    page = portal.login(township_user.username).page
    portal.goto("/")
    page.locator(f"a[href='{objection.get_absolute_url()}']").first.click()
    page.get_by_label("不成立，理由如下").check()
    page.fill("textarea[name=answer]", "经支部核实，该同志带头抗洪属实，评优理由成立。")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("异议已答复")

    page = portal.login("county").page
    portal.goto(review.get_absolute_url())
    page.get_by_role("button", name="接收并锁定").click()
    expect(page.locator(".messages")).to_contain_text("锁定")
    assert MonthlyReview.objects.get(pk=review.pk).status == "accepted"

    # after the window: the form is gone, the answer is public
    MonthlyReview.objects.filter(pk=review.pk).update(posted_date=dt.date.today() - dt.timedelta(days=20))
    later = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    try:
        visitor = later.new_page()
        assert visitor.goto(url).status == 200
        expect(visitor.locator("body")).to_contain_text("评优理由成立")
        expect(visitor.get_by_role("link", name="提出异议")).to_have_count(0)
        visitor.screenshot(path=str(ARTIFACTS / "public-notice-1400.png"), full_page=True)
        visitor.goto(url + "objection/")
        expect(visitor.locator("form")).to_have_count(0)
        expect(visitor.locator("body")).to_contain_text("异议期已过")
    finally:
        later.close()
