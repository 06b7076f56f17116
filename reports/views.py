from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.generic import TemplateView

from core.reports.formatters import to_pdf, to_xlsx
from core.reports.registry import report_get, report_list
from core.views import PortalPermissionMixin

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ReportListView(PortalPermissionMixin, TemplateView):
    template_name = "reports/report_list.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get_context_data(self, **kwargs):
        return super().get_context_data(reports=report_list(user=self.request.user), **kwargs)


class ReportRunView(PortalPermissionMixin, TemplateView):
    """A report as a page (?format= absent), a workbook (?format=xlsx) or a PDF (?format=pdf)."""

    template_name = "reports/report_detail.html"

    def has_permission(self):
        return self.request.user.is_authenticated

    def get(self, request, *args, **kwargs):
        report_class = report_get(user=request.user, code=kwargs["code"])
        report = report_class(request.user)
        fmt = request.GET.get("format", "html")
        if fmt not in report.formats:
            raise Http404
        params = {k: v for k, v in request.GET.items() if k not in ("format", "page")}
        form = report.get_form(params or None)
        data = None
        if form is None:
            data = report.get_data()
        else:
            if not form.is_bound:
                # First visit: run with the defaults (a township user's own township, the last period).
                defaults = {name: getattr(f.initial, "pk", f.initial) for name, f in form.fields.items()
                            if f.initial is not None}
                if all(name in defaults or not f.required for name, f in form.fields.items()):
                    form = report.get_form(defaults)
            if form.is_bound:
                if form.is_valid():
                    data = report.get_data(**form.cleaned_data)
                elif form.out_of_scope():
                    raise Http404
        if fmt != "html":
            if data is None:
                raise Http404
            body = to_xlsx(data) if fmt == "xlsx" else to_pdf(data, report.pdf_template)
            response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
            filename = f"{data.filename}.{fmt}"
            ascii_name = slugify(data.filename) or report.code
            response["Content-Disposition"] = (
                f"attachment; filename=\"{ascii_name}.{fmt}\"; filename*=UTF-8''{_quote(filename)}"
            )
            return response
        page = _paginate_sections(data, request.GET.get("page")) if data is not None else None
        return self.render_to_response(self.get_context_data(
            report=report, form=form, data=data, page_obj=page, is_paginated=bool(page and page.has_other_pages())))


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
        township_count = townships.count()
        if township is None and township_count == 1:
            township = townships.get()
        data = dashboard_data(user=user, period=period, township=township, county=county if wide else None,
                              by_county=wide and county is None, page_number=self.request.GET.get("page"))
        return super().get_context_data(
            period=period, periods=period_choices(), township=township, county=county, region_wide=wide,
            county_wide=township_count > 1, **data, **kwargs,
        )


def _get_or_404(queryset, pk):
    """The row `pk` of the (scoped) queryset, None when no pk is asked for; not found (404) outside it."""
    if not pk:
        return None
    try:
        return queryset.get(pk=pk)
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404
