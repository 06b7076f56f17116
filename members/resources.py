"""The party-member roster import on core.imports: foreign keys by natural key (village code, ID number, each
resolved for the whole file in one query), every write through the members services (scope, validation, history),
Chinese messages naming row and column."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from core.imports import (
    CellError,
    CellValueError,
    CellWidget,
    Column,
    ImportPreview,
    ImportRefused,
    ImportResource,
    LookupWidget,
    Sheet,
    SheetSpec,
    duplicates,
    run_resource,
)
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


class PersonByIdNumberWidget(widgets.Widget):
    """The person of an ID number recorded in the user's area (a dict for the whole file), under the row's name."""

    def __init__(self, people: dict):
        self.people = people

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        try:
            validate_id_number(value)
        except ValidationError as exc:
            raise CellValueError(COL_ID, " ".join(exc.messages))
        person = self.people.get(value)
        if person is None:
            raise CellValueError(COL_ID, _("no person with ID number %(number)s is recorded in your area; add the "
                                           "person first.") % {"number": mask_id_number(value)})
        name = (row or {}).get(COL_NAME)
        if name and name != person.name:
            raise CellValueError(COL_NAME, _("the ID number %(number)s belongs to %(name)s, not “%(given)s”.")
                                 % {"number": mask_id_number(value), "name": person.name, "given": name})
        return person


class PartyMemberResource(ImportResource, resources.ModelResource):
    def __init__(self, *, user, sheet: Sheet):
        from villages.models import Person, Village

        super().__init__()
        self.user = user
        self.prepare(sheet, duplicates(sheet, COL_ID, label=lambda cells: mask_id_number(cells[COL_ID])))
        codes = {cells[COL_VILLAGE] for _n, cells in sheet.rows} - {None}
        numbers = {cells[COL_ID] for _n, cells in sheet.rows} - {None}
        villages = {v.code: v for v in Village.objects.for_user(user).filter(code__in=codes).select_related("township")}
        self.people = {p.id_number: p for p in Person.objects.for_user(user).filter(id_number__in=numbers)}
        self.members = {m.person_id: m for m in PartyMember.objects.filter(person__in=self.people.values())}
        self.stored = {m.pk: self.values(m) for m in self.members.values()}
        self.creates, self.updates = [], []
        self.fields["village"] = fields.Field(attribute="village", column_name=COL_VILLAGE, widget=LookupWidget(
            COL_VILLAGE, villages, _("no village with code “%(value)s” in your area.")))
        self.fields["person"] = fields.Field(attribute="person", column_name=COL_ID,
                                             widget=PersonByIdNumberWidget(self.people))
        for name, column in (("joined_date", COL_JOINED), ("kind", COL_KIND), ("status", COL_STATUS)):
            self.fields[name] = fields.Field(attribute=name, column_name=column, widget=CellWidget())

    class Meta:
        model = PartyMember
        fields = ("village", "person", "joined_date", "kind", "status")
        import_id_fields = ("person",)
        skip_unchanged = True
        report_skipped = True
        skip_diff = True

    def get_instance(self, instance_loader, row):
        person = self.people.get(row.get(COL_ID))
        return self.members.get(person.pk) if person else None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        instance.clean_fields(exclude=["person", "village"])

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if super().skip_row(instance, original, row, import_validation_errors):
            return True
        return instance.pk is not None and self.stored[instance.pk] == self.values(instance)  # unchanged

    @staticmethod
    def values(member):
        return member.village_id, member.joined_date, member.kind, member.status

    def save_instance(self, instance, is_create, row, **kwargs):
        # Kept for one bulk write after every row is checked (services.party_members_save_many).
        (self.creates if is_create else self.updates).append(instance)


def roster_run(sheet: Sheet, *, user, dry_run: bool) -> ImportPreview:
    """Import the roster in one pass (the caller's transaction keeps all or nothing). Raises ImportRefused naming
    each problem's row and column."""
    resource = PartyMemberResource(user=user, sheet=sheet)
    result = run_resource(resource, sheet, dry_run=dry_run, label="Roster import")
    try:
        services.party_members_save_many(user=user, creates=resource.creates, updates=resource.updates)
    except ValidationError as exc:
        raise ImportRefused([CellError(0, "", message) for message in exc.messages])
    totals = result.totals
    kind_label = {v: k for k, v in KIND_LABELS.items() if k.endswith("党员")}
    status_label = {v: k for k, v in reversed(STATUS_LABELS.items())}
    action = {"new": _("to add"), "update": _("to change"), "skip": _("unchanged")}
    rows = []
    for (number, cells), row_result in zip(sheet.rows, result.rows):
        rows.append([number, cells[COL_VILLAGE], cells[COL_NAME], mask_id_number(cells[COL_ID]), cells[COL_JOINED],
                     kind_label.get(cells[COL_KIND], ""), status_label.get(cells[COL_STATUS], ""),
                     action.get(row_result.import_type, row_result.import_type)])
    return ImportPreview(
        counts=[(_("To add"), totals["new"]), (_("To change"), totals["update"]), (_("Unchanged"), totals["skip"])],
        headers=[_("Row"), COL_VILLAGE, COL_NAME, COL_ID, COL_JOINED, COL_KIND, COL_STATUS, _("Outcome")],
        rows=rows,
        done_message=_("Roster imported: %(new)d added, %(update)d changed, %(skip)d unchanged.")
        % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]})
