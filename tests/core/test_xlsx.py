"""core.xlsx, the one writer of every workbook: user text stays text (never a formula), templates keep ID and code
columns as text and carry drop-down lists, and sheets look as the portal's workbooks always did."""
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from core.xlsx import (
    REPORT_HEADER,
    SHADED_HEADER,
    ListValidation,
    add_sheet,
    new_workbook,
    to_bytes,
)

FORMULA_LIKE = ["=1+1", '=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1", "\t=1+1", "\r=1+1", "=", "-", "#N/A"]


def reopen(content: bytes):
    return load_workbook(io.BytesIO(content))  # not data_only: a formula would load as a formula cell


def formula_tags(content: bytes) -> list[str]:
    """The worksheets of the file that hold a formula element <f>, read from the XML itself."""
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/")
                and (b"<f>" in z.read(n) or b"<f " in z.read(n))]


def test_formula_like_text_is_written_as_text_verbatim_with_the_quote_prefix():
    wb = new_workbook()
    add_sheet(wb, "名单", ["姓名", "说明"], [(text, f"说明{i}") for i, text in enumerate(FORMULA_LIKE)])
    content = to_bytes(wb)
    ws = reopen(content).active
    cells = [ws.cell(row, 1) for row in range(2, len(FORMULA_LIKE) + 2)]
    # Verbatim, a carriage return too (lxml writes it as a character reference; ElementTree's writer let XML turn
    # it into a line feed).
    assert [c.value for c in cells] == FORMULA_LIKE
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)
    assert not ws.cell(2, 2).quotePrefix  # ordinary text is left alone
    assert formula_tags(content) == []


def test_the_last_pass_catches_cells_written_past_the_writer():
    wb = new_workbook()
    ws = add_sheet(wb, "表", ["甲"], [("正常",)])
    ws["B2"] = "=1+1"  # straight through openpyxl, which makes it a formula cell
    ws["C2"] = "@SUM(1)"
    assert ws["B2"].data_type == "f"
    content = to_bytes(wb)
    ws = reopen(content).active
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].quotePrefix) == ("=1+1", "s", True)
    assert (ws["C2"].value, ws["C2"].data_type, ws["C2"].quotePrefix) == ("@SUM(1)", "s", True)
    assert formula_tags(content) == []


def test_numbers_dates_and_decimals_stay_numbers_and_dates():
    wb = new_workbook()
    add_sheet(wb, "数", ["整数", "负数", "小数", "日期"], [(3, -1, Decimal("2.50"), dt.date(2026, 5, 20))],
              number_formats={"小数": "0.00", 4: "yyyy-mm-dd"})
    ws = reopen(to_bytes(wb)).active
    assert [c.value for c in ws[2]][:3] == [3, -1, 2.5]
    assert ws["B2"].data_type == "n" and not ws["B2"].quotePrefix
    assert ws["C2"].number_format == "0.00"
    assert ws["D2"].value == dt.datetime(2026, 5, 20) and ws["D2"].number_format == "yyyy-mm-dd"


def test_control_characters_the_format_cannot_hold_are_dropped_instead_of_failing_the_workbook():
    wb = new_workbook()
    add_sheet(wb, "表", ["姓名"], [("王\x07五\x1b",)])
    assert reopen(to_bytes(wb)).active["A2"].value == "王五"


def test_text_columns_are_formatted_as_text_down_the_whole_column():
    wb = new_workbook()
    add_sheet(wb, "模板", ["村代码", "姓名", "身份证号"], [("350799001", "王五", "35079919800101001X")],
              text_columns=["村代码", 3])
    ws = reopen(to_bytes(wb)).active
    # The column's own format, which Excel and WPS give to cells typed into it later, and the written cells'.
    assert ws.column_dimensions["A"].number_format == "@" and ws.column_dimensions["C"].number_format == "@"
    assert ws.column_dimensions["B"].number_format == "General"
    assert ws["A2"].number_format == "@" and ws["C2"].number_format == "@"
    assert ws["C2"].value == "35079919800101001X"


def test_validations_put_a_list_with_a_chinese_error_on_the_column_below_the_header():
    wb = new_workbook()
    with translation.override("zh-hans"):
        add_sheet(wb, "月", ["姓名", "评定"], [("王五", "合格")],
                  validations=[ListValidation("评定", ["合格", "优", "扣分"])])
    ws = reopen(to_bytes(wb)).active
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and dv.formula1 == '"合格,优,扣分"'
    assert str(dv.sqref) == "B2:B1048576"
    assert dv.showErrorMessage and dv.errorStyle == "stop" and not dv.allow_blank
    assert dv.error == "请从下拉列表中选择：合格、优、扣分。" and dv.errorTitle == "不在列表中"


def test_a_list_excel_cannot_hold_inline_is_refused_when_the_template_is_written():
    with pytest.raises(ValueError):
        add_sheet(new_workbook(), "月", ["评定"], validations=[ListValidation("评定", ["甲,乙"])])


def test_report_sheets_keep_their_look_and_sheet_names_are_made_valid_and_unique():
    wb = new_workbook(title="季度报表", creator="示例县")
    add_sheet(wb, "按乡镇/汇总", ["乡镇", "人数"], [("甲镇", 2), ("乙乡", 3)], totals=("合计", 5),
              widths=[None, 12], header_style=REPORT_HEADER, freeze="A2", auto_filter=True)
    add_sheet(wb, "按乡镇/汇总", ["姓名"], [("王五",)], header_style=SHADED_HEADER)
    wb = reopen(to_bytes(wb))
    first, second = wb.worksheets
    assert (first.title, second.title) == ("按乡镇 汇总", "按乡镇 汇总2")
    assert wb.properties.title == "季度报表" and wb.properties.creator == "示例县"
    header = first["A1"]
    assert header.font.b and header.fill.fgColor.rgb == "00EEF0F3" and header.alignment.horizontal == "center"
    assert header.border.bottom.style == "thin"
    assert [c.value for c in first[4]] == ["合计", 5] and first["A4"].font.b
    assert first.freeze_panes == "A2" and first.auto_filter.ref == "A1:B4"
    assert first.column_dimensions["A"].width == 8 and first.column_dimensions["B"].width == 12
    assert second["A1"].font.b and second["A1"].fill.fgColor.rgb == "00EEF0F3" and second.freeze_panes is None
