from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.generic import TemplateView, View

from core.exports import export_get, export_in_background, export_start
from core.models import ExportStatus
from core.reports.formatters import CONTENT_TYPES, report_file
from core.reports.registry import report_get, report_list, report_params
from core.views import PortalPermissionMixin
from villages.selectors import document_issuer


class ReportListView(PortalPermissionMixin, TemplateView):
    template_name = "reports/report_list.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get_context_data(self, **kwargs):
        user = self.request.user
        # Each as the user reads it (its title_for the user), not the class.
        return super().get_context_data(reports=[r(user) for r in report_list(user=user)], **kwargs)


class ReportRunView(PortalPermissionMixin, TemplateView):
    """A report as a page (?format= absent), a workbook (?format=xlsx) or a PDF (?format=pdf). A large report's
    workbook or PDF, or one over QIANGJI_BACKGROUND_EXPORT_ROWS rows, is built by the worker: the user is sent to the
    export's page, which shows its progress and then offers the file."""

    template_name = "reports/report_detail.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get(self, request, *args, **kwargs):
        report_class = report_get(user=request.user, code=kwargs["code"])
        report = report_class(request.user, request=request)
        fmt = request.GET.get("format", "html")
        if fmt not in report.formats:
            raise Http404
        params = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
        form, cleaned = report_params(report, params)
        if fmt != "html":
            if cleaned is None:
                raise Http404
            bound = dict(form.data.items()) if form is not None else {}
            data = None if report.is_large(**cleaned) else report.get_data(**cleaned)
            if export_in_background(data=data):
                export = export_start(user=request.user, report=report, fmt=fmt, params=bound,
                                      title=_export_title(report, data))
                return redirect("reports:export_detail", pk=export.pk)
            body, filename = report_file(data, fmt, report.pdf_template, issuer=document_issuer(user=request.user),
                                         prepared_by=str(request.user))
            return attachment_response(body, fmt, filename, fallback=report.code)
        data = report.get_data(**cleaned) if cleaned is not None else None
        page = _paginate_sections(data, request.GET.get("page")) if data is not None else None
        return self.render_to_response(self.get_context_data(
            report=report, form=form, data=data, page_obj=page, is_paginated=bool(page and page.has_other_pages())))


def _export_title(report, data) -> str:
    if data is None:
        return str(report.title)
    return " · ".join(str(part) for part in (data.title, data.scope_name, data.period_label) if part)


def attachment_response(body: bytes, fmt: str, filename: str, *, fallback: str) -> HttpResponse:
    """The file as a download under its Chinese name (with an ASCII name for old browsers)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    stem = filename.rsplit(".", 1)[0]
    ascii_name = slugify(stem) or fallback
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{_quote(filename)}"
    )
    return response


class ExportView(LoginRequiredMixin, TemplateView):
    """One background export of the user's own: queued, being built (the page refreshes itself), ready (the file),
    failed, or expired. Anyone else's export is not found."""

    template_name = "reports/export_detail.html"

    def get_context_data(self, **kwargs):
        export = export_get(user=self.request.user, pk=kwargs["pk"])
        return super().get_context_data(export=export, report_url=_report_url(export),
                                        refresh_seconds=EXPORT_REFRESH_SECONDS, **kwargs)


def _report_url(export) -> str:
    """The report page the export was asked from, with the same parameters."""
    url = reverse("reports:report_run", kwargs={"code": export.report_code})
    return f"{url}?{urlencode(export.params)}" if export.params else url


EXPORT_REFRESH_SECONDS = 3


class ExportDownloadView(LoginRequiredMixin, View):
    """The export's file, for the user who asked only; after it expires, 410 with a page saying so."""

    def get(self, request, *args, **kwargs):
        export = export_get(user=request.user, pk=kwargs["pk"])
        if export.is_expired:
            return render(request, "reports/export_gone.html", {"export": export, "report_url": _report_url(export)},
                          status=410)
        if export.status != ExportStatus.DONE or not export.file:
            return redirect("reports:export_detail", pk=export.pk)
        with export.file.open("rb") as f:
            body = f.read()
        return attachment_response(body, export.format, export.filename, fallback=export.report_code)


REPORT_ROWS_PER_PAGE = 50


def _paginate_sections(data, number):
    """The page shows REPORT_ROWS_PER_PAGE rows of each section (the same page of each), so its size does not grow
    with the region; the totals stay over every row, and the workbook and the PDF keep every row."""
    longest = max((len(section.rows) for section in data.sections), default=0)
    page = Paginator(range(longest), REPORT_ROWS_PER_PAGE).get_page(number)
    first = page.start_index() - 1 if longest else 0
    for section in data.sections:
        section.rows = section.rows[first:first + REPORT_ROWS_PER_PAGE]
    return page


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")


class DashboardView(PortalPermissionMixin, TemplateView):
    """Region dashboard (counties side by side, drill-down to a county's townships), county dashboard (townships
    side by side, drill-down to villages) and township dashboard (its villages)."""

    template_name = "reports/dashboard.html"
    permission_required = "villages.view_village"

    def get_context_data(self, **kwargs):
        from villages.selectors import county_list, region_wide, township_list

        from .dashboard import Period, dashboard_data, period_choices

        user = self.request.user
        period = Period.parse(self.request.GET.get("period"))
        townships = township_list(user=user)
        township = _get_or_404(townships, self.request.GET.get("township"))
        counties = county_list(user=user)
        county = township.county if township else _get_or_404(counties, self.request.GET.get("county"))
        wide = region_wide(user=user)
        if county is not None:
            townships = townships.filter(county=county)
        listed = None  # the townships side by side, read once here (the page's rows come from them)
        if township is not None:
            county_wide = townships.count() > 1
        elif wide and county is None:  # a region's counties side by side
            county_wide = True
        else:
            listed = list(townships.order_by("code"))
            county_wide = len(listed) > 1
            if len(listed) == 1:  # a township's account: its own villages
                township, listed = listed[0], None
        data = dashboard_data(user=user, period=period, township=township, county=county if wide else None,
                              by_county=wide and county is None, page_number=self.request.GET.get("page"),
                              townships=listed)
        return super().get_context_data(
            period=period, periods=period_choices(), township=township, county=county, region_wide=wide,
            county_wide=county_wide, **data, **kwargs,
        )


def _get_or_404(queryset, pk):
    """The row `pk` of the (scoped) queryset, None when no pk is asked for; not found (404) outside it."""
    if not pk:
        return None
    try:
        return queryset.get(pk=pk)
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404
