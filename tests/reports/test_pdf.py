import datetime as dt
import io

import pytest
from django.template import engines
from pypdf import PdfReader

from core.pdf import PortalURLFetcher, render_pdf


@pytest.fixture
def template(tmp_path, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    engines._engines = {}  # reload the template engine with the extra directory

    def write(body):
        (tmp_path / "t.html").write_text(
            '{% extends "core/reports/pdf_base.html" %}{% block content %}' + body + "{% endblock %}", encoding="utf-8"
        )
        return "t.html"

    yield write
    engines._engines = {}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


def test_pdf_is_a4_with_chinese_in_the_shipped_font_and_page_numbers(template):
    rows = "".join(f"<tr><td>寨里镇上坪村</td><td class='num'>{i}</td></tr>" for i in range(120))
    name = template(f"<h2>党员底线管理</h2><table><thead><tr><th>村</th><th>扣分</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>")
    data = render_pdf(name, {"title": "季度报表", "period_label": "2026年第3季度",
                             "generated_on": dt.date(2026, 11, 26)})
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    assert "季度报表" in text and "强基县" in text and "2026年第3季度" in text and "党员底线管理" in text
    assert "第 1 页 / 共" in text
    # The official layout: the authority (from the configured county name here: no county record was given) and the
    # sign-off block after the content.
    assert "中共强基县委组织部" in "".join(text.split()) and text.index("制表人") > text.rindex("寨里镇上坪村")
    # Every font in the document is the one the portal ships: no fallback to whatever the system has.
    fonts = pdf_fonts(data)
    assert fonts and all("Noto-Sans-SC" in f and "CJK" not in f for f in fonts), fonts
    # The table header repeats on the next page.
    assert pdf_text(data).count("扣分") >= 2


def test_pdf_fetches_nothing_but_the_portals_static_files(template):
    name = template(
        '<p>说明文字</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<img src="/media/secret.png"><link rel="stylesheet" href="https://example.com/evil.css">'
        '<img src="/static/../config/settings/base.py">'
    )
    fetcher = PortalURLFetcher()
    data = render_pdf(name, {"title": "测试", "generated_on": dt.date(2026, 11, 26)}, fetcher=fetcher)
    assert "说明文字" in pdf_text(data)
    assert len(fetcher.refused) == 5
    assert all("/static/" in url for url in fetcher.served)
    assert any(url.endswith("NotoSansSC-Regular.ttf") for url in fetcher.served)


def test_a_wide_table_narrows_its_long_columns_and_keeps_short_names_on_one_line():
    from core.reports.formatters import to_pdf
    from core.reports.registry import Column, ReportData, Section

    long_text = "经村民代表会议讨论决定由村委会组织实施并于年底前完成全部工程建设任务" * 2
    rows = [(f"甲{i}村", long_text, long_text, long_text, long_text, "2026-07-24") for i in range(1, 4)]
    data = ReportData(title="议定事项台账", sections=[Section("台账", [
        Column("村"), Column("事项"), Column("决定"), Column("落实"), Column("备注"), Column("日期")], rows)])
    lines = pdf_text(to_pdf(data)).splitlines()
    for village, *_rest in rows:
        assert any(village in line for line in lines), village  # not 甲1 / 村 on two lines
    assert any("2026-07-24" in line for line in lines)
