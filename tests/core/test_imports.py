"""The import framework (core/imports.py): cells as users' workbooks hold them, the file-level limits that refuse,
and the stash that keeps a previewed file out of the session."""
import datetime as dt
import io
import os
import time
import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import imports
from core.imports import Column, ImportRefused, convert, header_key, read_workbook
from members.resources import ROSTER_SPEC
from tests.dbstate import changed_tables, snapshot
from tests.fixtures.imports.helpers import fixture_world, workbook

ROSTER_URL = reverse("members:partymember_import")


@pytest.fixture(autouse=True)
def empty_stash():
    """Each test starts with no stashed file (MEDIA_ROOT is one temporary folder for the whole run)."""
    for path in imports.stash_dir().glob("*"):
        path.unlink()


@pytest.fixture
def zh(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def township_client(world, client_for, zh):
    fixture_world(world)
    return client_for(world.users["township_a"])


def _refused(data, spec=ROSTER_SPEC) -> str:
    with pytest.raises(ImportRefused) as caught:
        read_workbook(data, spec)
    return " ".join(caught.value.messages).replace("\xa0", " ")  # filesizeformat's non-breaking space


@pytest.mark.parametrize("header", ["身份证号", " 身份证号 ", "身份证号（必填）", "身份证号(必填)", "*身份证号",
                                    "身份证号*", "身 份 证 号"])
def test_headers_are_compared_without_spaces_and_markers(header):
    assert header_key(header) == "身份证号"


def test_full_width_brackets_in_headers_become_half_width():
    assert header_key("自然村（组）") == header_key("自然村(组)")


@pytest.mark.parametrize("kind", ["id", "code", "phone"])
@pytest.mark.parametrize("value", [3.50724197306099e17, 35070210120, 13800001234.0])
def test_numbers_in_id_code_and_phone_columns_are_refused(zh, kind, value):
    with pytest.raises(imports.CellValueError) as caught:
        convert(Column("号码", kind), value)
    assert "该单元格是数字格式，号码已失真" in str(caught.value) and "请将此列设为文本后重新填写" in str(caught.value)


def test_id_text_is_normalised():
    assert convert(Column("身份证号", "id"), " ３５０７０２ １９６００３０１２０１ｘ\u3000") == "35070219600301201X"
    assert convert(Column("村代码", "code"), "０３５０７０２１０１２０") == "035070210120"


@pytest.mark.parametrize("value", [dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 0, 0), 45717, 45717.0, "2025-03-01",
                                   "2025/3/1", "2025.3.1", "2025年3月1日", "２０２５年３月１日", " 2025-3-1 "])
def test_dates_in_the_forms_users_write(value):
    assert convert(Column("日期", "date"), value) == dt.date(2025, 3, 1)


@pytest.mark.parametrize("value", ["3月1日", "2025-02-30", "明年", "01/03/2025"])
def test_other_dates_are_refused_with_the_forms_accepted(zh, value):
    with pytest.raises(imports.CellValueError) as caught:
        convert(Column("日期", "date"), value)
    assert "不是日期" in str(caught.value) and "2025年3月1日" in str(caught.value)


@pytest.mark.parametrize("value", [3, 3.0, "3", "３", " 3 "])
def test_integers(value):
    assert convert(Column("编号", "int"), value) == 3


def test_text_cells_keep_numbers_without_a_decimal_point():
    assert convert(Column("户号"), 12.0) == "12" and convert(Column("户号"), "  一组 ") == "一组"


def test_not_a_workbook(zh):
    assert "该文件不是Excel工作簿（.xlsx）" in _refused(b"%PDF-1.4 not a workbook")


def test_a_zip_bomb_is_refused_before_it_is_expanded(zh, monkeypatch):
    """200 MB of zeros compress to a small file; the declared sizes are read, nothing is inflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(200):
                entry.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened the zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", must_not_open)
    assert "该工作簿解压后有200.0 MB，超过导入上限100.0 MB，未打开即拒收" in _refused(data)


def test_an_oversized_upload_is_refused_with_its_size(township_client, world):
    data = workbook("roster_good") + b"\0" * (10 * 1024 * 1024)
    before = snapshot()
    content = township_client.post(ROSTER_URL, {"file": SimpleUploadedFile("big.xlsx", data)}).content.decode()
    content = content.replace("\xa0", " ")
    assert "文件大小为10.0 MB，导入文件最大10.0 MB，请分成几个文件" in content
    assert changed_tables(before, snapshot()) == []
    assert "导入文件最大10.0 MB" in _refused(data)


def test_the_header_row_is_looked_for_in_rows_1_to_10(zh):
    from openpyxl import Workbook

    wb = Workbook()
    for _ in range(10):
        wb.active.append(["说明"])
    wb.active.append(ROSTER_SPEC.names)
    out = io.BytesIO()
    wb.save(out)
    message = _refused(out.getvalue())
    assert "找不到列标题行：第1–10行中应有一行是以下列标题：村代码、身份证号、姓名、入党日期、党员类别、状态" in message


def test_row_limit_counts_every_row_and_refuses(zh, settings):
    settings.IMPORT_MAX_ROWS = 4
    assert "文件有5001行数据，超过上限4行" in _refused(workbook("roster_5001"))


def test_the_session_holds_only_a_small_note_after_a_5_mb_preview(township_client):
    """The previewed file goes to MEDIA_ROOT/tmp/imports; the session row stays under 10 kB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook("roster_good"))) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/photo.bin", os.urandom(5 * 1024 * 1024))  # incompressible: the file stays 5 MB
    data = out.getvalue()
    assert len(data) > 5 * 1024 * 1024
    content = township_client.post(ROSTER_URL, {"file": SimpleUploadedFile("roster.xlsx", data)}).content.decode()
    assert "确认导入" in content
    session = Session.objects.get(session_key=township_client.session.session_key)
    assert len(session.session_data) < 10 * 1024
    assert [p.stat().st_size for p in imports.stash_dir().glob("*.xlsx")] == [len(data)]
    assert township_client.post(ROSTER_URL, {"confirm": "1"}).status_code == 302
    assert list(imports.stash_dir().glob("*.xlsx")) == []  # deleted after confirm


def _previewed(client):
    content = client.post(ROSTER_URL, {"file": SimpleUploadedFile("r.xlsx", workbook("roster_good"))})
    assert "确认导入" in content.content.decode()
    [path] = imports.stash_dir().glob("*.xlsx")
    return path


@pytest.mark.parametrize("spoil", ["delete", "expire", "alter"])
def test_a_missing_expired_or_altered_stash_is_refused(township_client, spoil):
    path = _previewed(township_client)
    if spoil == "delete":
        path.unlink()
    elif spoil == "expire":
        os.utime(path, (time.time() - 2 * 3600, time.time() - 2 * 3600))
    else:
        path.write_bytes(path.read_bytes() + b"\0")
    before = snapshot()
    content = township_client.post(ROSTER_URL, {"confirm": "1"}).content.decode()
    assert "上传已过期，请重新上传" in content
    assert changed_tables(before, snapshot()) == []


def test_a_stash_is_confirmed_only_by_the_user_who_made_it(world, township_client):
    from members.views import RosterImportView

    note = imports.stash_put(workbook("roster_good"), name="r.xlsx", kind=RosterImportView.kind,
                             user=world.users["township_a"])
    with pytest.raises(ImportRefused):
        imports.stash_get(note, kind=RosterImportView.kind, user=world.users["township_b"])
    with pytest.raises(ImportRefused):
        imports.stash_get(note, kind="assemblies.households", user=world.users["township_a"])
    assert imports.stash_get(note, kind=RosterImportView.kind, user=world.users["township_a"])


def test_files_older_than_an_hour_are_removed_when_a_new_one_is_stashed(world):
    imports.stash_dir().mkdir(parents=True, exist_ok=True)
    old = imports.stash_dir() / "old-upload-token-aaaaaaaaaaaa.xlsx"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 3601, time.time() - 3601))
    imports.stash_put(b"new", name="n.xlsx", kind="k", user=world.users["township_a"])
    assert not old.exists()


def test_the_template_formats_id_and_code_columns_as_text(township_client):
    from openpyxl import load_workbook

    response = township_client.get(ROSTER_URL + "?template=1")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ROSTER_SPEC.names
    # The whole column is text (what Excel and WPS give a cell typed into it), the choices drop-down lists.
    assert ws.column_dimensions["A"].number_format == "@" and ws.column_dimensions["B"].number_format == "@"
    assert ws.column_dimensions["C"].number_format == "General"
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} == {"E2:E1048576", "F2:F1048576"}
