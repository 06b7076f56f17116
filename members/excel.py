"""Excel in and out for the month: its template (members filled in) and its import (read by core.imports, checked
here against the village's members and rules; preview, then confirm; all or nothing).

The workbook's first sheet holds the results, one row per member. Its second sheet, 评议会议, holds the month's review
meeting as one row under its headers (date, attendance, minutes text, posting date): a sheet of its own rather than
a block above the results, so that the results sheet keeps one header row that the framework finds (rows 1–10) and
reads as before, old templates without the sheet still import (the meeting is then left as it was), and the
meeting's cells are read and checked by the same reader (date forms, numbers, merged cells, uncached formulas)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment

from core.imports import (
    CellError,
    CellValueError,
    Column,
    ImportRefused,
    SheetSpec,
    convert,
    read_workbook,
    sort_errors,
)
from core.pii import mask_id_number
from core.xlsx import PLAIN_HEADER, SHADED_HEADER, ListValidation, add_sheet, new_workbook, to_bytes

from .choices import MembershipStatus, Rating
from .models import MonthlyResult, PartyMember, Rule
from .services import DeductionEntry, MeetingEntry, ResultEntry, meeting_problems

# ---------------------------------------------------------------- the month sheet

MONTH_HEADERS = ["村代码", "党员编号", "姓名", "身份证号", "评定", "优秀理由", "扣分条款编号", "扣分说明", "谈话人",
                 "谈话日期"]
MONTH_SPEC = SheetSpec([
    Column("村代码", "code"), Column("党员编号", "int"), Column("姓名", required=False),
    Column("身份证号", required=False), Column("评定"), Column("优秀理由", required=False),
    Column("扣分条款编号", required=False), Column("扣分说明", required=False), Column("谈话人", required=False),
    Column("谈话日期", "date", required=False),
])
RULE_NUMBER = Column("扣分条款编号", "int")
MEETING_SHEET = "评议会议"
MEETING_HEADERS = ["评议会议日期", "参会人数", "会议记录", "公示日期"]
MEETING_SPEC = SheetSpec([
    Column("评议会议日期", "date", required=False), Column("参会人数", "int", required=False),
    Column("会议记录", "note", required=False), Column("公示日期", "date", required=False),
], max_rows=20, allow_empty=True)
MEETING_COLUMN = {"meeting_date": "评议会议日期", "attendance": "参会人数", "minutes": "会议记录",
                  "posted_date": "公示日期"}
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
    meeting = ([review.meeting_date, review.attendance, review.minutes, review.posted_date] if review
               else [None, None, "", None])
    meeting_sheet = add_sheet(wb, MEETING_SHEET, MEETING_HEADERS, [meeting], widths=(14, 10, 60, 14),
                              number_formats={"评议会议日期": "yyyy-mm-dd", "公示日期": "yyyy-mm-dd"},
                              header_style=SHADED_HEADER)
    meeting_sheet.cell(2, 3).alignment = Alignment(wrap_text=True, vertical="top")
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


@dataclass
class MonthSheet:
    """An uploaded month workbook as the grid's service takes it: the results, and the meeting (None when the
    workbook has no 评议会议 sheet: the meeting stays as it is); `rows` for the preview."""

    entries: list[ResultEntry]
    rows: list[PreviewRow]
    meeting: MeetingEntry | None


def _named(errors: list[CellError], title: str) -> list[CellError]:
    for error in errors:
        error.sheet = title
    return errors


def meeting_sheet_parse(data: bytes, *, active_members: int) -> tuple[MeetingEntry | None, list[CellError]]:
    """The 评议会议 sheet's meeting and its problems (each naming the sheet, row and column); (None, []) without
    the sheet. The checks are the grid's (members.services.meeting_problems)."""
    try:
        sheet = read_workbook(data, MEETING_SPEC, sheet_title=MEETING_SHEET)
    except ImportRefused as exc:
        return None, _named(exc.cell_errors, MEETING_SHEET)
    if sheet is None:
        return None, []
    errors = list(sheet.errors)
    if not sheet.rows:
        return MeetingEntry(), []
    (number, row), *extra = sheet.rows
    errors.extend(CellError(n, "", _("the sheet holds one meeting, in the row under the headers; remove this row."))
                  for n, _row in extra)
    meeting = MeetingEntry(meeting_date=row["评议会议日期"], attendance=row["参会人数"], minutes=row["会议记录"] or "",
                           posted_date=row["公示日期"])
    for field_name, message in meeting_problems(meeting, active_members=active_members).items():
        errors.append(CellError(number, MEETING_COLUMN[field_name], message))
    return meeting, _named(sort_errors(errors, MEETING_HEADERS), sheet.title)


def month_sheet_parse(data: bytes, *, village, rule_set) -> MonthSheet:
    """Read an uploaded month workbook into the grid's entries and meeting; every problem names its sheet, row and
    column. Raises ImportRefused listing them all (nothing is written by reading)."""
    sheet = read_workbook(data, MONTH_SPEC)
    members = {m.pk: m for m in PartyMember.objects.filter(village=village, status=MembershipStatus.ACTIVE)
               .select_related("person")}
    rules = {r.number: r for r in Rule.objects.filter(rule_set=rule_set)}
    errors: list[CellError] = list(sheet.errors)
    entries, preview = [], []
    seen: dict[int, int] = {}
    bad_dates = {e.row for e in sheet.errors if e.column == "谈话日期"}
    for n, row in sheet.rows:
        code = row["村代码"]
        if code is not None and code != village.code:
            errors.append(CellError(n, "村代码", _("“%(code)s” is not %(village)s (code %(expected)s); upload each "
                                                 "village's sheet on its own page.") % {
                "code": code, "village": village.name, "expected": village.code}))
        member_no = row["党员编号"]
        member = members.get(member_no) if member_no is not None else None
        if member_no is not None and member is None:
            errors.append(CellError(n, "党员编号", _("no active party member of %(village)s has number %(no)s.")
                                    % {"village": village.name, "no": member_no}))
        if member is not None:
            name = row["姓名"]
            if name and name != member.person.name:
                errors.append(CellError(n, "姓名", _("member %(no)s is %(name)s, not “%(given)s”.")
                                        % {"no": member_no, "name": member.person.name, "given": name}))
            if member_no in seen:
                errors.append(CellError(n, "党员编号", _("member %(no)s is already on row %(row)d; each member "
                                                        "appears once.") % {"no": member_no, "row": seen[member_no]}))
            seen[member_no] = n
        label = row["评定"]
        rating = RATING_LABELS.get(label)
        if rating is None and label:
            errors.append(CellError(n, "评定",
                                    _("“%(value)s” is not a result; use 合格, 优 or 扣分.") % {"value": label}))
        reason = row["优秀理由"] or ""
        if rating == Rating.EXCELLENT and not reason:
            errors.append(CellError(n, "优秀理由", _("give the reason for rating excellent.")))
        numbers = []
        raw_rules = row["扣分条款编号"]
        for part in [p for p in re.split(r"[、,，;；\s]+", raw_rules or "") if p]:
            try:
                number = convert(RULE_NUMBER, part)
            except CellValueError as exc:
                errors.append(CellError(n, "扣分条款编号", str(exc)))
                continue
            if number not in rules:
                errors.append(CellError(n, "扣分条款编号", _("rule No. %(no)d is not in %(village)s's rule set.")
                                        % {"no": number, "village": village.name}))
            else:
                numbers.append(number)
        if rating == Rating.DEDUCTED and not numbers and not raw_rules:
            errors.append(CellError(n, "扣分条款编号", _("a deduction names the rule it falls under.")))
        if rating in (Rating.QUALIFIED, Rating.EXCELLENT) and numbers:
            errors.append(CellError(n, "评定", _("the row names deduction rules but the result is not 扣分.")))
        talk_by = row["谈话人"] or ""
        talk_date = row["谈话日期"]
        if bool(talk_by) != bool(talk_date) and n not in bad_dates:
            errors.append(CellError(n, "谈话人" if not talk_by else "谈话日期",
                                    _("a talk needs both who held it and the date.")))
        if member is not None and rating is not None:
            entries.append(ResultEntry(
                member_id=member.pk, excellent=rating == Rating.EXCELLENT, excellent_reason=reason,
                deductions=[DeductionEntry(rule_id=rules[x].pk, note=row["扣分说明"] or "", talk_by=talk_by,
                                           talk_date=talk_date) for x in numbers]))
            preview.append(PreviewRow(n, member.person.name, rating, reason, [rules[x] for x in numbers], talk_by,
                                      talk_date))
    meeting, meeting_errors = meeting_sheet_parse(data, active_members=len(members))
    errors = _named(sort_errors(errors, MONTH_HEADERS), sheet.title) + meeting_errors
    if errors:
        raise ImportRefused(errors)
    return MonthSheet(entries, preview, meeting)


def month_import(*, user, village, month, review, rule_set, data: bytes, expected_version: int):
    """Confirm an upload: read it again and save the results and the meeting through the grid's service in one
    transaction."""
    from .services import monthly_grid_save

    parsed = month_sheet_parse(data, village=village, rule_set=rule_set)
    return monthly_grid_save(user=user, village=village, month=month, expected_version=expected_version,
                             entries=parsed.entries, meeting=parsed.meeting)
