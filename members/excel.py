"""Excel in and out: the month's template (members filled in), reading uploaded workbooks with per-cell Chinese
messages naming row and column, and the month import (preview, then confirm; all or nothing)."""
from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.pii import mask_id_number
from core.xlsx import PLAIN_HEADER, SHADED_HEADER, ListValidation, add_sheet, new_workbook, to_bytes

from .choices import MembershipStatus, Rating
from .models import MonthlyResult, PartyMember, Rule
from .services import DeductionEntry, ResultEntry

MAX_ROWS = 5000


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)d, column “%(column)s”: %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message}
        if self.row:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class WorkbookErrors(ValidationError):
    def __init__(self, errors: list[CellError]):
        super().__init__([str(e) for e in errors])
        self.cell_errors = errors


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (sheet row number, {header: value})
    errors: list[CellError] = field(default_factory=list)  # empty rows, empty required cells


def read_sheet(file, *, expected: list[str], required: list[str]) -> Sheet:
    """Read the first sheet: headers in row 1 must be exactly `expected` (in any order, extra columns refused);
    empty rows between data rows and empty required cells are listed in sheet.errors (so the caller reports them
    with its own); trailing empty rows are ignored. A file that cannot be read at all raises WorkbookErrors."""
    try:
        data = file.read()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # read_only parses the sheet lazily, so a damaged file can also fail here, in any number of ways
        # (zip, XML, compression errors): all mean the same to the clerk.
        raw = list(workbook.worksheets[0].iter_rows(values_only=True, max_row=MAX_ROWS + 1))
        workbook.close()
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a file that is not a workbook
        raise WorkbookErrors([CellError(0, "", _("The file is not an Excel workbook (.xlsx). Download the template, "
                                                  "fill it in and upload it without changing its format."))])
    if not raw:
        raise WorkbookErrors([CellError(1, "", _("The sheet is empty."))])
    headers = [str(h).strip() if h is not None else "" for h in raw[0]]
    while headers and headers[-1] == "":
        headers.pop()
    errors = []
    missing = [h for h in expected if h not in headers]
    unknown = [h for h in headers if h not in expected]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": "、".join(missing)})
        if unknown:
            parts.append(_("unexpected columns: %(columns)s")
                         % {"columns": "、".join(h or _("(blank)") for h in unknown)})
        errors.append(CellError(1, "", _("The headers do not match the template (%(problems)s). "
                                         "Expected: %(expected)s.")
                                % {"problems": "; ".join(parts), "expected": "、".join(expected)}))
        raise WorkbookErrors(errors)
    if len(headers) != len(set(headers)):
        raise WorkbookErrors([CellError(1, "", _("A column appears twice in the headers."))])
    body = raw[1:]
    if len(body) > MAX_ROWS:
        raise WorkbookErrors([CellError(0, "", _("The sheet has more than %(n)d rows.") % {"n": MAX_ROWS})])

    def empty(values):
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in values[: len(headers)])

    last = len(body)
    while last and empty(body[last - 1]):
        last -= 1
    result = Sheet(headers=headers)
    for index, values in enumerate(body[:last], start=2):
        if empty(values):
            errors.append(CellError(index, "", _("the row is empty; delete empty rows between the data rows.")))
            continue
        row = {h: (values[i] if i < len(values) else None) for i, h in enumerate(headers)}
        for h in required:
            if row.get(h) is None or (isinstance(row[h], str) and not row[h].strip()):
                errors.append(CellError(index, h, _("this cell must be filled in.")))
        result.rows.append((index, row))
    result.errors = errors
    if not result.rows and not errors:
        raise WorkbookErrors([CellError(0, "", _("The sheet has no data rows."))])
    return result


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_int(value, *, row, column, errors) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        pass
    elif isinstance(value, int):
        return value
    elif isinstance(value, float) and value.is_integer():
        return int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        return int(value)
    errors.append(CellError(row, column, _("“%(value)s” is not a number; enter digits only.") % {"value": value}))
    return None


def cell_date(value, *, row, column, errors) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.append(CellError(row, column, _("“%(value)s” is not a date; enter a date cell such as 2026-05-20.")
                            % {"value": value}))
    return None


# ---------------------------------------------------------------- the month sheet

MONTH_HEADERS = ["村代码", "党员编号", "姓名", "身份证号", "评定", "优秀理由", "扣分条款编号", "扣分说明", "谈话人",
                 "谈话日期"]
MONTH_REQUIRED = ["村代码", "党员编号", "评定"]
RATING_LABELS = {"合格": Rating.QUALIFIED, "优": Rating.EXCELLENT, "优秀": Rating.EXCELLENT, "扣分": Rating.DEDUCTED}


def month_template(*, review, village, month, rules, user) -> bytes:
    """The month's workbook: one row per active member with the current entries, and the rule list."""
    results = {}
    if review is not None:
        for r in MonthlyResult.objects.filter(review=review).prefetch_related("deductions__rule"):
            results[r.member_id] = r
    full = user.has_perm("villages.view_full_id_number")
    members = PartyMember.objects.filter(village=village, status=MembershipStatus.ACTIVE).select_related(
        "person").order_by("person__name", "pk")
    rating_label = {Rating.QUALIFIED: "合格", Rating.EXCELLENT: "优", Rating.DEDUCTED: "扣分"}
    rows = []
    for m in members:
        r = results.get(m.pk)
        deductions = list(r.deductions.all()) if r else []
        first = deductions[0] if deductions else None
        rows.append([
            village.code, m.pk, m.person.name,
            m.person.id_number if full else mask_id_number(m.person.id_number),
            rating_label[r.rating] if r else "合格", r.excellent_reason if r else "",
            "、".join(str(d.rule.number) for d in deductions),
            first.note if first else "", first.talk_by if first else "", first.talk_date if first else None,
        ])
    wb = new_workbook()
    add_sheet(wb, f"{month.year}-{month.month:02d}", MONTH_HEADERS, rows,
              widths=(14, 10, 10, 22, 8, 24, 14, 20, 10, 12), number_formats={"谈话日期": "yyyy-mm-dd"},
              text_columns=["村代码", "身份证号"], validations=[ListValidation("评定", ["合格", "优", "扣分"])],
              header_style=SHADED_HEADER)
    add_sheet(wb, _("Rules"), ["编号", "类别", "条款", "扣分"],
              [(rule.number, rule.get_category_display(), rule.text, rule.points) for rule in rules],
              widths=(None, None, 48, None), header_style=PLAIN_HEADER)
    return to_bytes(wb)


@dataclass
class PreviewRow:
    row: int
    name: str
    rating: str
    reason: str
    rules: list
    talk_by: str
    talk_date: dt.date | None


def month_sheet_parse(file, *, village, rule_set) -> tuple[list[ResultEntry], list[PreviewRow]]:
    """Read an uploaded month sheet into grid entries; every problem names its row and column. Raises
    WorkbookErrors listing them all (nothing is written by reading)."""
    sheet = read_sheet(file, expected=MONTH_HEADERS, required=MONTH_REQUIRED)
    members = {m.pk: m for m in PartyMember.objects.filter(village=village, status=MembershipStatus.ACTIVE)
               .select_related("person")}
    rules = {r.number: r for r in Rule.objects.filter(rule_set=rule_set)}
    errors: list[CellError] = list(sheet.errors)
    entries, preview = [], []
    seen: dict[int, int] = {}
    for n, row in sheet.rows:
        code = cell_text(row["村代码"])
        if code != village.code:
            errors.append(CellError(n, "村代码", _("“%(code)s” is not %(village)s (code %(expected)s); upload each "
                                                 "village's sheet on its own page.") % {
                "code": code, "village": village.name, "expected": village.code}))
        member_no = cell_int(row["党员编号"], row=n, column="党员编号", errors=errors)
        member = members.get(member_no) if member_no is not None else None
        if member_no is not None and member is None:
            errors.append(CellError(n, "党员编号", _("no active party member of %(village)s has number %(no)s.")
                                    % {"village": village.name, "no": member_no}))
        if member is not None:
            name = cell_text(row["姓名"])
            if name and name != member.person.name:
                errors.append(CellError(n, "姓名", _("member %(no)s is %(name)s, not “%(given)s”.")
                                        % {"no": member_no, "name": member.person.name, "given": name}))
            if member_no in seen:
                errors.append(CellError(n, "党员编号", _("member %(no)s is already on row %(row)d; each member "
                                                        "appears once.") % {"no": member_no, "row": seen[member_no]}))
            seen[member_no] = n
        label = cell_text(row["评定"])
        rating = RATING_LABELS.get(label)
        if rating is None and label:
            errors.append(CellError(n, "评定",
                                    _("“%(value)s” is not a result; use 合格, 优 or 扣分.") % {"value": label}))
        reason = cell_text(row["优秀理由"])
        if rating == Rating.EXCELLENT and not reason:
            errors.append(CellError(n, "优秀理由", _("give the reason for rating excellent.")))
        numbers = []
        raw_rules = row["扣分条款编号"]
        if raw_rules not in (None, ""):
            if isinstance(raw_rules, (int, float)) and not isinstance(raw_rules, bool):
                parts = [raw_rules]
            else:
                parts = [p for p in re.split(r"[、,，;；\s]+", str(raw_rules)) if p]
            for part in parts:
                number = cell_int(part, row=n, column="扣分条款编号", errors=errors)
                if number is None:
                    continue
                if number not in rules:
                    errors.append(CellError(n, "扣分条款编号", _("rule No. %(no)d is not in %(village)s's rule set.")
                                            % {"no": number, "village": village.name}))
                else:
                    numbers.append(number)
        if rating == Rating.DEDUCTED and not numbers and raw_rules in (None, ""):
            errors.append(CellError(n, "扣分条款编号", _("a deduction names the rule it falls under.")))
        if rating in (Rating.QUALIFIED, Rating.EXCELLENT) and numbers:
            errors.append(CellError(n, "评定", _("the row names deduction rules but the result is not 扣分.")))
        talk_by = cell_text(row["谈话人"])
        talk_date = cell_date(row["谈话日期"], row=n, column="谈话日期", errors=errors)
        if bool(talk_by) != bool(talk_date) and not (row["谈话日期"] not in (None, "") and talk_date is None):
            errors.append(CellError(n, "谈话人" if not talk_by else "谈话日期",
                                    _("a talk needs both who held it and the date.")))
        if member is not None and rating is not None:
            entries.append(ResultEntry(
                member_id=member.pk, excellent=rating == Rating.EXCELLENT, excellent_reason=reason,
                deductions=[DeductionEntry(rule_id=rules[x].pk, note=cell_text(row["扣分说明"]), talk_by=talk_by,
                                           talk_date=talk_date) for x in numbers]))
            preview.append(PreviewRow(n, member.person.name, rating, reason, [rules[x] for x in numbers], talk_by,
                                      talk_date))
    if errors:
        errors.sort(key=lambda e: (e.row, MONTH_HEADERS.index(e.column) if e.column in MONTH_HEADERS else -1))
        raise WorkbookErrors(errors)
    return entries, preview


def month_import(*, user, village, month, review, rule_set, data: bytes, expected_version: int):
    """Confirm an upload: read it again and save it through the grid's service in one transaction."""
    from .services import monthly_grid_save

    entries, _preview = month_sheet_parse(io.BytesIO(data), village=village, rule_set=rule_set)
    return monthly_grid_save(user=user, village=village, month=month, expected_version=expected_version,
                             entries=entries)
