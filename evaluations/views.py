"""Thin views: objects come from scoped selectors (404 outside scope), writes go through services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from core.pdf import pdf_response
from core.replica import ReplicaReadsMixin
from core.reports.formatters import to_pdf
from core.views import (
    BatchTransitionView,
    PortalPermissionMixin,
    ScopedObjectMixin,
    ServiceFormView,
    Transition,
    TransitionView,
    form_add_service_errors,
    paginate,
    review_status_param,
    review_transitions,
)
from members.selectors import county_of
from villages.selectors import document_issuer, person_get

from . import selectors, services
from .choices import CaseStatus
from .exports import pay_table_document, pay_table_workbook, sheet_document
from .filters import ResultFilter
from .forms import CaseForm, ResultForm, ReturnForm, RoundForm, SheetFilterForm
from .services import RESULT_FIELDS, ROUND_SETTINGS

# ---------------------------------------------------------------- rounds

class RoundListView(PortalPermissionMixin, TemplateView):
    permission_required = "evaluations.view_round"
    template_name = "evaluations/round_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rounds=selectors.round_list(user=self.request.user),
                                        open_cases=selectors.open_case_count(user=self.request.user), **kwargs)


class RoundFormView(ServiceFormView):
    form_class = RoundForm
    success_message = gettext_lazy("The round's settings have been saved.")
    round_ = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.round_}

    def get_cancel_url(self):
        return self.round_.get_absolute_url() if self.round_ else reverse("evaluations:round_list")


class RoundCreateView(RoundFormView):
    permission_required = "evaluations.add_round"

    title = gettext_lazy("New evaluation round")

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def perform(self, form):
        county = county_of(self.request.user)
        if county is None:
            raise PermissionDenied
        return services.round_create(user=self.request.user, county=county, year=form.cleaned_data["year"],
                                     **{f: form.cleaned_data[f] for f in ROUND_SETTINGS})


class RoundUpdateView(RoundFormView):
    permission_required = "evaluations.change_round"

    def lookup(self, request, **kwargs):
        self.round_ = selectors.round_get(user=request.user, pk=kwargs["pk"])

    def get_title(self):
        return _("Settings of %(round)s") % {"round": self.round_}

    def perform(self, form):
        return services.round_update(user=self.request.user, round_=selectors.round_get(
            user=self.request.user, pk=self.round_.pk), **{f: form.cleaned_data[f] for f in ROUND_SETTINGS})


class RoundDetailView(ScopedObjectMixin, TemplateView):
    permission_required = "evaluations.view_round"
    template_name = "evaluations/round_detail.html"

    def lookup(self, request, **kwargs):
        self.round_ = selectors.round_get(user=request.user, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        user = self.request.user
        reviewer = user.has_perm("evaluations.confirm_townshipevaluation")
        status, waiting_default = review_status_param(self.request, reviewer=reviewer)
        form = SheetFilterForm({**self.request.GET.dict(), "status": status}, user=user)
        sheets = list(selectors.sheet_list(user=user, round_=self.round_, township=form.value("township"),
                                           status=form.value("status") or ""))
        for s in sheets:
            s.cap = selectors.sheet_cap(s)
        fields = [(self.round_._meta.get_field(f).verbose_name,
                   getattr(self.round_, f"get_{f}_display", lambda f=f: getattr(self.round_, f))())
                  for f in ROUND_SETTINGS]
        return super().get_context_data(round=self.round_, sheets=sheets, settings_rows=fields, filter_form=form,
                                        waiting_default=waiting_default, batch=reviewer and self.round_.is_open,
                                        **kwargs)


class RoundTransitionView(TransitionView):
    object_selector = selectors.round_get
    object_kwarg = "round_"
    transitions = {
        "open": Transition(services.round_open, "evaluations.open_round",
                           gettext_lazy("The round is open: its settings are fixed and every township has a sheet.")),
    }


# ---------------------------------------------------------------- township sheets

class SheetMixin(ScopedObjectMixin):
    def lookup(self, request, **kwargs):
        self.sheet = selectors.sheet_get(user=request.user, pk=kwargs["pk"])


class SheetDetailView(SheetMixin, TemplateView):
    """All cadres of the township with their ballots, scores, evidence, total and grade; the workflow buttons."""

    permission_required = "evaluations.view_townshipevaluation"
    template_name = "evaluations/sheet_detail.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        filterset = ResultFilter(self.request.GET or None, user=self.request.user, township=self.sheet.township,
                                 queryset=selectors.result_list(user=self.request.user, sheet=self.sheet))
        page = paginate(self.request, filterset.qs)
        results = list(page["page_obj"].object_list)
        evidence = selectors.evidence_for(user=self.request.user, results=results, year=self.sheet.round.year)
        for r in results:
            r.evidence = evidence[r.person_id]
        return super().get_context_data(
            sheet=self.sheet, round=self.sheet.round, results=results, cap=selectors.sheet_cap(self.sheet),
            filter=filterset, return_form=ReturnForm(), **page,
            can_edit=self.request.user.has_perm("evaluations.change_cadreevaluation") and self.sheet.is_editable,
            **self.next_waiting(), **kwargs)

    def next_waiting(self) -> dict:
        if not self.request.user.has_perm("evaluations.confirm_townshipevaluation"):
            return {}
        following = selectors.sheet_next_waiting(user=self.request.user, sheet=self.sheet)
        return {"reviewer": True, "next_waiting_url": following.get_absolute_url() if following else "",
                "next_waiting_label": following.township.name if following else ""}


class SheetTransitionView(TransitionView):
    object_selector = selectors.sheet_get
    object_kwarg = "sheet"
    transitions = {
        **review_transitions(services, "sheet", submit_permission="evaluations.submit_townshipevaluation",
                             review_permission="evaluations.confirm_townshipevaluation",
                             accepted=gettext_lazy("%(period)s has been confirmed and is now locked.")),
        "publish": Transition(services.sheet_publish, "evaluations.confirm_townshipevaluation",
                              gettext_lazy("%(period)s has been published.")),
    }


class SheetBatchView(BatchTransitionView):
    """POST: confirm, or return with one reason, many submitted township sheets at once (the county)."""

    batch_selector = selectors.sheet_batch
    object_kwarg = "sheet"
    list_url = "evaluations:round_list"
    title = gettext_lazy("Township evaluation sheets")
    transitions = {step: SheetTransitionView.transitions[step] for step in ("accept", "return")}
    done_messages = {**BatchTransitionView.done_messages, "accept": gettext_lazy("Confirmed %(n)d.")}
    confirm_labels = {**BatchTransitionView.confirm_labels, "accept": gettext_lazy("Confirm these and lock them")}


class PayTableView(SheetMixin, TemplateView):
    permission_required = "evaluations.view_cadreevaluation"
    template_name = "evaluations/pay_table.html"

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(sheet=self.sheet, round=self.sheet.round,
                                        rows=selectors.pay_table(user=self.request.user, sheet=self.sheet), **kwargs)


class PayTableExportView(ReplicaReadsMixin, SheetMixin, View):
    """The township's pay table as a workbook (read from the replica, if there is one)."""

    permission_required = "evaluations.view_cadreevaluation"

    def get(self, request, *args, **kwargs):
        rows = selectors.pay_table(user=request.user, sheet=self.sheet)
        response = HttpResponse(pay_table_workbook(self.sheet, rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = content_disposition_header(
            True, _("%(township)s %(year)s village cadre pay.xlsx") % {"township": self.sheet.township.name,
                                                                      "year": self.sheet.round.year})
        return response


class SheetPdfView(SheetMixin, View):
    """The whole sheet (every cadre, unfiltered) as an official document to print and file."""

    permission_required = "evaluations.view_townshipevaluation"

    def get(self, request, *args, **kwargs):
        results = selectors.result_list(user=request.user, sheet=self.sheet)
        data = sheet_document(self.sheet, results, selectors.sheet_cap(self.sheet))
        return _document(request, data, self.sheet, _("%(title)s.pdf") % {"title": data.title})


class PayTablePdfView(SheetMixin, View):
    permission_required = "evaluations.view_cadreevaluation"

    def get(self, request, *args, **kwargs):
        data = pay_table_document(self.sheet, selectors.pay_table(user=request.user, sheet=self.sheet))
        return _document(request, data, self.sheet, _("%(township)s %(year)s village cadre pay.pdf") % {
            "township": self.sheet.township.name, "year": self.sheet.round.year})


def _document(request, data, sheet, filename):
    body = to_pdf(data, issuer=document_issuer(user=request.user, county=sheet.round.county),
                  prepared_by=str(request.user))
    return pdf_response(body, filename)


# ---------------------------------------------------------------- one cadre's result

class ResultEditView(ScopedObjectMixin, FormView):
    """Enter a cadre's ballots and scores beside the evidence the portal holds (pledges, bottom line)."""

    permission_required = "evaluations.view_cadreevaluation"
    template_name = "evaluations/result_edit.html"
    form_class = ResultForm

    def lookup(self, request, **kwargs):
        self.result = selectors.result_get(user=request.user, pk=kwargs["pk"])

    def get_initial(self):
        return {**{f: getattr(self.result, f) for f in RESULT_FIELDS}, "version": self.result.version}

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        sheet = self.result.sheet
        evidence = selectors.evidence_for(user=self.request.user, results=[self.result], year=sheet.round.year)
        can_edit = self.request.user.has_perm("evaluations.change_cadreevaluation") and sheet.is_editable
        return super().get_context_data(
            result=self.result, sheet=sheet, round=sheet.round, evidence=evidence[self.result.person_id],
            rectifications=selectors.open_rectifications_of(user=self.request.user, person=self.result.person),
            can_edit=can_edit, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("evaluations.change_cadreevaluation"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = {f: form.cleaned_data[f] for f in RESULT_FIELDS}
        for f in RESULT_FIELDS:
            if f.startswith(("party_", "rep_")) and data[f] is None:
                data[f] = 0
        try:
            result = services.result_save(user=self.request.user, result=self.result,
                                          expected_version=form.cleaned_data.get("version"), data=data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=200)
        if result.grade:
            messages.success(self.request, _("Saved: %(name)s scores %(total)s, %(grade)s.") % {
                "name": result.person.name, "total": result.total_score, "grade": result.get_grade_display()})
        else:
            messages.success(self.request, _("Saved. The grade follows once the ballots and all five scores are in."))
        return redirect(self.sheet_row_url(result))

    def sheet_row_url(self, result) -> str:
        """The sheet's page that holds this cadre's row, scrolled to it."""
        order = list(selectors.result_list(user=self.request.user, sheet=result.sheet).values_list("pk", flat=True))
        page = order.index(result.pk) // settings.QIANGJI_PAGE_SIZE + 1 if result.pk in order else 1
        query = f"?page={page}" if page > 1 else ""
        return reverse("evaluations:sheet_detail", kwargs={"pk": result.sheet_id}) + f"{query}#r{result.pk}"


class CadreEvaluationsView(ScopedObjectMixin, TemplateView):
    """A cadre's evaluation record over the years: what enters the archive."""

    permission_required = "evaluations.view_cadreevaluation"
    template_name = "evaluations/cadre_detail.html"

    def lookup(self, request, **kwargs):
        self.person = person_get(user=request.user, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(
            person=self.person, results=selectors.cadre_results(user=self.request.user, person=self.person),
            cases=selectors.case_list(user=self.request.user, status=None).filter(person=self.person), **kwargs)


# ---------------------------------------------------------------- handling cases

class CaseListView(PortalPermissionMixin, TemplateView):
    permission_required = "evaluations.view_handlingcase"
    template_name = "evaluations/case_list.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", CaseStatus.OPEN)
        if status not in ("", *CaseStatus.values):
            raise Http404
        return super().get_context_data(cases=selectors.case_list(user=self.request.user, status=status or None),
                                        status=status, statuses=CaseStatus.choices, **kwargs)


class CaseUpdateView(ServiceFormView):
    permission_required = "evaluations.view_handlingcase"
    template_name = "evaluations/case_edit.html"
    form_class = CaseForm
    success_message = gettext_lazy("The handling case has been saved.")

    def lookup(self, request, **kwargs):
        self.case = selectors.case_get(user=request.user, pk=kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.case}

    def get_success_url(self):
        return reverse("evaluations:case_list")

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(
            case=self.case, can_edit=self.request.user.has_perm("evaluations.change_handlingcase")
            and self.case.status == CaseStatus.OPEN, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("evaluations.change_handlingcase"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        services.case_update(user=self.request.user, case=self.case,
                             **{f: form.cleaned_data[f] for f in CaseForm.Meta.fields})

