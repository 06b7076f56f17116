"""The party-member roster import on core.imports: every row checked first against look-ups made once for the
whole file (villages by code, people by ID number, their memberships: one query each), every problem named by row
and column in Chinese; then one bulk service (services.party_members_save_many: scope, validation, history,
member counts) writes what changed. Like the villages imports, not a django-import-export resource: its per-row
savepoints and instance look-ups cost about four queries a row."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.imports import CellError, Column, ImportPreview, ImportRefused, Sheet, SheetSpec, duplicates, sort_errors
from core.pii import mask_id_number
from villages.idnumbers import validate_id_number

from . import services
from .choices import MembershipKind, MembershipStatus
from .models import PartyMember

KIND_LABELS = {"正式党员": MembershipKind.FULL, "正式": MembershipKind.FULL,
               "预备党员": MembershipKind.PROBATIONARY, "预备": MembershipKind.PROBATIONARY}
STATUS_LABELS = {"在册": MembershipStatus.ACTIVE, "正常": MembershipStatus.ACTIVE,
                 "转出": MembershipStatus.TRANSFERRED_OUT, "已转出": MembershipStatus.TRANSFERRED_OUT,
                 "去世": MembershipStatus.DECEASED, "已故": MembershipStatus.DECEASED,
                 "除名": MembershipStatus.REMOVED, "已除名": MembershipStatus.REMOVED}
COL_VILLAGE, COL_ID, COL_NAME, COL_JOINED, COL_KIND, COL_STATUS = (
    "村代码", "身份证号", "姓名", "入党日期", "党员类别", "状态")
ROSTER_SPEC = SheetSpec([
    Column(COL_VILLAGE, "code"), Column(COL_ID, "id"), Column(COL_NAME), Column(COL_JOINED, "date"),
    Column(COL_KIND, "choice", choices=KIND_LABELS), Column(COL_STATUS, "choice", choices=STATUS_LABELS),
])
ROSTER_HEADERS = ROSTER_SPEC.names

MEMBER_COLUMNS = {"joined_date": COL_JOINED, "kind": COL_KIND, "status": COL_STATUS}


def _values(member: PartyMember) -> tuple:
    return member.village_id, member.joined_date, member.kind, member.status


def roster_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Import the roster: check every row, then write the new and changed members in bulk (the caller's
    transaction keeps all or nothing). Raises ImportRefused naming each problem's row and column."""
    from villages.models import Person, Village

    errors = [*sheet.errors, *duplicates(sheet, COL_ID, label=lambda cells: mask_id_number(cells[COL_ID]))]
    codes = {cells[COL_VILLAGE] for _n, cells in sheet.rows} - {None}
    numbers = {cells[COL_ID] for _n, cells in sheet.rows} - {None}
    villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=codes).select_related("township")}
    people = {p.id_number: p for p in Person.objects.for_user(user).filter(id_number__in=numbers)}
    members = {m.person_id: m for m in PartyMember.objects.filter(person__in=people.values())}
    kind_label = {v: k for k, v in KIND_LABELS.items() if k.endswith("党员")}
    status_label = {v: k for k, v in reversed(STATUS_LABELS.items())}
    creates, updates, rows = [], [], []
    for number, cells in sheet.rows:
        row_errors = []
        code, id_number, name = cells[COL_VILLAGE], cells[COL_ID], cells[COL_NAME]
        village = villages.get(code)
        if code is not None and village is None:
            row_errors.append(CellError(number, COL_VILLAGE, _("no village with code “%(value)s” in your area.")
                                        % {"value": code}))
        person = None
        if id_number is not None:
            try:
                validate_id_number(id_number)
                person = people.get(id_number)
                if person is None:
                    row_errors.append(CellError(number, COL_ID, _(
                        "no person with ID number %(number)s is recorded in your area; add the person first.")
                        % {"number": mask_id_number(id_number)}))
            except ValidationError as exc:
                row_errors.append(CellError(number, COL_ID, " ".join(exc.messages)))
        if person is not None and name and name != person.name:
            row_errors.append(CellError(number, COL_NAME, _("the ID number %(number)s belongs to %(name)s, not "
                                                            "“%(given)s”.") % {"number": mask_id_number(id_number),
                                                                              "name": person.name, "given": name}))
            person = None
        member = members.get(person.pk) if person is not None else None
        created = member is None
        if person is not None and village is not None and number not in sheet.bad_rows:
            member = member or PartyMember(person=person)
            stored = _values(member)
            member.village = village
            member.joined_date, member.kind, member.status = cells[COL_JOINED], cells[COL_KIND], cells[COL_STATUS]
            try:
                member.clean_fields(exclude=["person", "village"])
            except ValidationError as exc:
                row_errors.extend(CellError(number, MEMBER_COLUMNS.get(field, ""), message)
                                  for field, messages_ in exc.message_dict.items() for message in messages_)
            changed = _values(member) != stored
            if not row_errors:
                (creates if created else updates if changed else []).append(member)
                outcome = _("to add") if created else _("to change") if changed else _("unchanged")
                rows.append([number, code, name, mask_id_number(id_number), cells[COL_JOINED],
                             kind_label.get(cells[COL_KIND], ""), status_label.get(cells[COL_STATUS], ""), outcome])
        errors.extend(row_errors)
    if errors:
        raise ImportRefused(sort_errors(errors, ROSTER_SPEC.names))
    try:
        services.party_members_save_many(user=user, creates=creates, updates=updates)
    except ValidationError as exc:
        raise ImportRefused([CellError(0, "", message) for message in exc.messages])
    totals = {"new": len(creates), "update": len(updates), "skip": len(rows) - len(creates) - len(updates)}
    return ImportPreview(
        counts=[(_("To add"), totals["new"]), (_("To change"), totals["update"]), (_("Unchanged"), totals["skip"])],
        headers=[_("Row"), COL_VILLAGE, COL_NAME, COL_ID, COL_JOINED, COL_KIND, COL_STATUS, _("Outcome")],
        rows=rows,
        done_message=_("Roster imported: %(new)d added, %(update)d changed, %(skip)d unchanged.") % totals)
