"""Printing pages from the browser: the printed page carries the page's content and tables, never the navigation,
the footer, the buttons or the filter form; the print links give the official PDFs."""
from __future__ import annotations

import io
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.e2e


def _printed_text(page) -> str:
    page.emulate_media(media="print")
    try:
        data = page.pdf(format="A4")
    finally:
        page.emulate_media(media="screen")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return "".join(unicodedata.normalize("NFKC", text).split())  # the system font maps 里 to the radical ⾥


def test_printing_the_evaluation_sheet_leaves_out_navigation_and_buttons(portal):
    from evaluations.models import TownshipEvaluation

    page = portal.login("county").page
    sheet = TownshipEvaluation.objects.select_related("township").order_by("township__code").first()
    portal.goto(sheet.get_absolute_url())
    nav = [t.strip() for t in page.locator(".mainnav a").all_inner_texts() if t.strip()]
    buttons = [t.strip() for t in page.locator(".actions a, .actions button").all_inner_texts() if t.strip()]
    filter_button = page.locator("form.filters button").first.inner_text().strip()
    # Totals, not names: Chromium's PDF may write a character such as 黄 as its radical ⻩ (no NFKC mapping back).
    totals = page.locator("table tbody tr td:nth-child(8)").all_inner_texts()
    assert nav and buttons and totals
    text = _printed_text(page)
    assert sheet.township.name in text
    at = 0
    for total in totals:  # every row of the table, in order, and its last column
        at = text.index(total.strip(), at) + 1
    assert "底线" in text
    content = page.evaluate("""() => { const m = document.querySelector('main').cloneNode(true);
        m.querySelectorAll('.actions, .filters, .crumbs, .messages').forEach(e => e.remove()); return m.innerText; }""")
    content = "".join(content.split())
    checked = [label for label in [*nav, *buttons, filter_button, "退出"] if "".join(label.split()) not in content]
    assert len(checked) >= 5, checked  # labels that occur only in what must not print
    for label in checked:
        assert "".join(label.split()) not in text, label
    page.emulate_media(media="print")
    for hidden in (".topbar", ".footer", ".actions", "form.filters"):
        expect(page.locator(hidden).first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_print_links_give_official_pdfs(portal):
    from assemblies.models import Filing
    from evaluations.models import TownshipEvaluation

    page = portal.login("county").page
    sheet = TownshipEvaluation.objects.order_by("township__code").first()
    filing = Filing.objects.order_by("township__code", "-year", "-quarter").first()
    for url in (sheet.get_absolute_url(), sheet.get_absolute_url() + "pay/", filing.get_absolute_url()):
        portal.goto(url)
        href = page.get_by_role("link", name="打印（PDF）").get_attribute("href")
        response = page.request.get(portal.url(href))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf", url
        first_page = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
        assert "中共强基县委组织部" in "".join(first_page.split()), url
