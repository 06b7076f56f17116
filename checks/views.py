from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.views import PortalPermissionMixin, ScopedObjectMixin, ServiceFormView, paginate

from . import selectors, services
from .choices import ReopenStatus, Verdict
from .forms import ReopenAskForm, ReopenDecideForm, SpotCheckDrawForm


class SpotCheckListView(PortalPermissionMixin, TemplateView):
    permission_required = "checks.view_spotcheck"
    template_name = "checks/spotcheck_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(paginate(self.request, selectors.spot_check_list(user=self.request.user)))
        return ctx


class SpotCheckDrawView(ServiceFormView):
    permission_required = "checks.add_spotcheck"
    form_class = SpotCheckDrawForm
    title = gettext_lazy("Draw a spot-check")
    success_message = gettext_lazy("Drawn: %(count)d village-months, seed %(seed)s.")

    def get_success_url(self):
        return reverse("checks:spotcheck_list")

    def perform(self, form):
        data = form.cleaned_data
        return services.spot_check_draw(user=self.request.user, quarter=data["quarter"],
                                        per_township=data["per_township"], flagged_weight=data["flagged_weight"],
                                        seed=data["seed"])

    def success_message_args(self, result):
        return {"count": result.samples.count(), "seed": result.seed}


class SpotCheckDetailView(ScopedObjectMixin, TemplateView):
    permission_required = "checks.view_spotcheck"
    template_name = "checks/spotcheck_detail.html"
    object_selector = selectors.spot_check_get

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            spot_check=self.object, samples=selectors.sample_list(user=self.request.user, spot_check=self.object),
            **kwargs)


class SampleCheckView(ScopedObjectMixin, TemplateView):
    """One sampled village-month: per member, the rating and the checker's verdict with a note."""
    permission_required = "checks.view_spotcheckfinding"
    template_name = "checks/sample_check.html"
    object_selector = selectors.sample_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(sample=self.object, rows=selectors.sample_rows(user=self.request.user, sample=self.object),
                   verdicts=Verdict.choices, can_record=self.request.user.has_perm("checks.change_spotcheckfinding"))
        return ctx

    def post(self, request, *args, **kwargs):
        rows = selectors.sample_rows(user=request.user, sample=self.object)
        entries = [services.FindingEntry(member_id=r.member_id, verdict=request.POST.get(f"verdict-{r.member_id}", ""),
                                         note=request.POST.get(f"note-{r.member_id}", "")) for r in rows]
        try:
            stored = services.spot_check_findings_record(user=request.user, sample=self.object, entries=entries)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            ctx = self.get_context_data(**kwargs)
            ctx["posted"] = request.POST
            return self.render_to_response(ctx, status=200)
        messages.success(request, _("%(count)d verdicts recorded.") % {"count": stored})
        return redirect(self.object.spot_check)


class ReopenListView(PortalPermissionMixin, TemplateView):
    permission_required = "checks.view_reopenrequest"
    template_name = "checks/reopen_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in ReopenStatus.values:
            status = ""
        ctx.update(paginate(self.request, selectors.reopen_request_list(user=self.request.user, status=status)),
                   status=status, statuses=ReopenStatus.choices,
                   can_decide=self.request.user.has_perm("checks.decide_reopenrequest"))
        return ctx


class ReopenAskView(ServiceFormView):
    """A township asks the county to reopen an accepted period (its page's "ask the county to reopen" link)."""
    permission_required = "checks.add_reopenrequest"
    form_class = ReopenAskForm
    success_message = gettext_lazy("Your request is with the county; you will see its answer on the requests page.")

    def lookup(self, request, **kwargs):
        self.period = selectors.reopen_period_get(user=request.user, kind=kwargs["kind"], pk=kwargs["pk"])

    def get_title(self):
        return _("Ask the county to reopen %(period)s") % {"period": self.period.period_label()}

    def get_cancel_url(self):
        return self.period.get_absolute_url()

    def get_success_url(self):
        return reverse("checks:reopen_list")

    def perform(self, form):
        services.reopen_request_create(user=self.request.user, kind=self.kwargs["kind"], period=self.period,
                                       reason=form.cleaned_data["reason"])
        return self.get_success_url()


class ReopenDecideView(ServiceFormView):
    """The county's confirmation step: the request, what approving does, and approve or decline with an answer."""
    permission_required = "checks.decide_reopenrequest"
    form_class = ReopenDecideForm
    template_name = "checks/reopen_decide.html"
    object_selector = selectors.reopen_request_get

    def get_initial(self):
        decision = self.request.GET.get("decision")
        return {"decision": decision} if decision in ("approve", "decline") else {}

    def get_title(self):
        return _("Request to reopen %(period)s") % {"period": self.object.period_label}

    def get_success_url(self):
        return reverse("checks:reopen_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(request_obj=self.object, **kwargs)

    def perform(self, form):
        decide = (services.reopen_request_approve if form.cleaned_data["decision"] == "approve"
                  else services.reopen_request_decline)
        done = decide(user=self.request.user, request=self.object, answer=form.cleaned_data["answer"])
        messages.success(self.request, _("%(period)s: %(status)s.") % {
            "period": done.period_label, "status": done.get_status_display()})
        return self.get_success_url()
