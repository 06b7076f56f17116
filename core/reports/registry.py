"""The report registry (django-oscar's generator pattern).

A report is one class: `code`, `title`, who may run it (`permission` + `is_available_to`), a parameter form, the
data it computes through scoped selectors (`get_data` → ReportData of sections), and the shared formatters turn
that data into HTML, XLSX (openpyxl) and PDF (WeasyPrint). Reports owned by an initiative live in that app's
reports.py, import only core (and the apps below them) and register themselves with @register; core's AppConfig
runs autodiscover() once every app is loaded. reports/ keeps the report pages and the reports that combine initiatives.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django import forms
from django.apps import apps
from django.http import Http404

from core.documents import DocumentNumber

_REGISTRY: dict[str, type["Report"]] = {}

TEXT, INT, DECIMAL, PERCENT, DATE = "text", "int", "decimal", "percent", "date"
DECIMAL2 = "decimal2"  # two places: scores such as 81.72, pay coefficients such as 0.80


@dataclass
class Column:
    label: str
    kind: str = TEXT
    width: int | None = None  # characters, for the workbook; derived from the content when None


@dataclass
class Section:
    title: str
    columns: list[Column]
    rows: list[tuple]
    totals: tuple | None = None
    note: str = ""


@dataclass
class ReportData:
    title: str
    scope_name: str = ""
    period_label: str = ""
    sections: list[Section] = field(default_factory=list)
    generated_on: dt.date = field(default_factory=dt.date.today)
    filename: str = "report"
    summary: list[tuple[str, Any]] = field(default_factory=list)  # headline figures: (label, value)
    number: DocumentNumber | None = None  # the PDF's document number line
    extra: dict[str, Any] = field(default_factory=dict)  # what a report's own PDF template adds (e.g. a QR code)

    @property
    def row_count(self) -> int:
        return sum(len(section.rows) for section in self.sections)


class Report:
    do_not_call_in_templates = True  # templates list report classes; never instantiate them there
    code: str = ""
    title: str = ""
    description: str = ""
    permission: str | None = None
    formats: tuple[str, ...] = ("html", "xlsx", "pdf")
    form_class: type[forms.Form] | None = None
    pdf_template = "core/reports/report_pdf.html"
    # A large report (e.g. region-wide) builds its workbook and PDF in the background whatever its size, without
    # computing its figures in the request; any other does when its rows exceed settings.QIANGJI_BACKGROUND_EXPORT_ROWS
    # (core/exports.py). A report large for some parameters only (a whole region, not one county) overrides is_large.
    large: bool = False

    def __init__(self, user, request=None):
        self.user = user
        self.request = request  # for absolute links a report prints (None outside a request)
        self.title = self.title_for(user)  # the page's, the workbook's and the PDF's title

    @classmethod
    def title_for(cls, user) -> str:
        """The report's title as the user reads it (a report addressed to the user's own tier overrides it)."""
        return cls.title

    @classmethod
    def is_available_to(cls, user) -> bool:
        return user.is_authenticated and (cls.permission is None or user.has_perm(cls.permission))

    def get_form(self, data=None):
        if self.form_class is None:
            return None
        return self.form_class(data, user=self.user)

    def is_large(self, **params) -> bool:
        return self.large

    def get_data(self, **params) -> ReportData:
        raise NotImplementedError


def report_params(report: Report, params: dict) -> tuple[forms.Form | None, dict | None]:
    """The report's form bound to `params` (a first visit without any: the form's defaults, e.g. a township user's
    own township and the last period) and its cleaned data, or None when the form is not valid. A choice outside the
    user's scope raises Http404. The report page and the background export both go through here."""
    form = report.get_form(params or None)
    if form is None:
        return None, {}
    if not form.is_bound:
        defaults = {name: getattr(f.initial, "pk", f.initial) for name, f in form.fields.items()
                    if f.initial is not None}
        if all(name in defaults or not f.required for name, f in form.fields.items()):
            form = report.get_form(defaults)
    if form.is_bound:
        if form.is_valid():
            return form, form.cleaned_data
        if form.out_of_scope():
            raise Http404
    return form, None


def register(report_class: type[Report]) -> type[Report]:
    if report_class.code in _REGISTRY and _REGISTRY[report_class.code] is not report_class:
        raise ValueError(f"report code {report_class.code!r} registered twice")
    _REGISTRY[report_class.code] = report_class
    return report_class


def autodiscover() -> None:
    for config in apps.get_app_configs():
        try:
            import_module(f"{config.name}.reports")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reports":
                raise


def report_list(*, user) -> list[type[Report]]:
    return sorted((r for r in _REGISTRY.values() if r.is_available_to(user)), key=lambda r: r.code)


def report_get(*, user, code: str) -> type[Report]:
    report = _REGISTRY.get(code)
    if report is None or not report.is_available_to(user):
        raise Http404
    return report
