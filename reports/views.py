from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.views.generic import TemplateView

from core.views import PortalPermissionMixin

from .formatters import to_pdf, to_xlsx
from .registry import report_get, report_list

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
        form = report.get_form(request.GET or None)
        params, data = {}, None
        if form is None:
            data = report.get_data()
        elif form.is_bound:
            if form.is_valid():
                data = report.get_data(**form.cleaned_data)
            elif form.out_of_scope():
                raise Http404
        elif not form.fields or all(not f.required or f.initial is not None for f in form.fields.values()):
            params = {name: f.initial for name, f in form.fields.items()}
            data = report.get_data(**params)
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
        return self.render_to_response(self.get_context_data(report=report, form=form, data=data))


def _quote(text):
    from urllib.parse import quote

    return quote(text, safe="")
