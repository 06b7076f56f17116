from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core.periods import Month
from core.views import PortalPermissionMixin, form_add_service_errors
from core.workflow import PeriodLocked, ReviewStatus, StaleEdit
from villages.selectors import village_get

from . import selectors, services
from .forms import DispositionForm, MeetingForm, ReturnForm, WarningForm, parse_grid, state_from_rows


def _month(value: str) -> Month:
    try:
        return Month.parse(value)
    except ValueError:
        raise Http404(_("No such month."))


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class MonthOverviewView(PortalPermissionMixin, TemplateView):
    """The villages in scope for one month, with each month's status and figures."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/month_overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        month = _month(self.request.GET["month"]) if self.request.GET.get("month") else Month.of(timezone.localdate())
        ctx.update(month=month, previous=month.previous(), next=month.next(),
                   villages=selectors.monthly_review_list(user=self.request.user, month=month),
                   statuses=dict(ReviewStatus.choices))
        return ctx


class MonthMixin(PortalPermissionMixin):
    permission_required = "members.view_monthlyresult"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_get(user=request.user, code=kwargs["code"])
            self.month = _month(kwargs["month"])
            self.review = selectors.monthly_review_find(user=request.user, village=self.village, month=self.month)
        return super().dispatch(request, *args, **kwargs)

    def grid_url(self):
        return redirect("members:monthlyreview_grid", code=self.village.code, month=str(self.month))


class MonthGridView(MonthMixin, TemplateView):
    """One village-month: every active member, 合格 by default, 优 with a reason, deductions with their talks."""

    template_name = "members/monthlyreview_grid.html"

    def get_context_data(self, *, states=None, errors=None, meeting_form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        grid = selectors.month_grid(user=user, village=self.village, month=self.month, review=self.review)
        states = states if states is not None else state_from_rows(grid["rows"])
        errors = errors or {}
        for row in grid["rows"]:
            row.state = states.get(row.member.pk) or {"excellent": False, "reason": "", "deductions": []}
            row.slots = row.state["deductions"] + [{"id": None, "rule_id": None, "note": "", "talk_by": "",
                                                    "talk_date": ""}]
            row.errors = errors.get(row.member.pk, [])
        review = self.review
        editable = (review is None or review.is_editable) and user.has_perm("members.change_monthlyresult")
        if meeting_form is None:
            meeting_form = MeetingForm(prefix="meeting", initial={
                "meeting_date": review.meeting_date, "attendance": review.attendance, "minutes": review.minutes,
                "posted_date": review.posted_date} if review else None)
        ctx.update(grid, village=self.village, month=self.month, review=review, editable=editable,
                   meeting_form=meeting_form, return_form=ReturnForm(),
                   version=review.version if review else 0,
                   can_submit=bool(review and review.is_editable and user.has_perm("members.submit_monthlyreview")),
                   can_accept=bool(review and review.status == ReviewStatus.SUBMITTED
                                   and user.has_perm("members.review_monthlyreview")),
                   can_return=bool(review and review.status in (ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED)
                                   and user.has_perm("members.review_monthlyreview")),
                   can_import=False,
                   lock_message=review.lock_message() if review and review.is_locked else "",
                   open_talks=sum(1 for row in grid["rows"] for d in row.deductions if not d.talk_date))
        return ctx

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("members.change_monthlyresult"):
            raise PermissionDenied
        grid = selectors.month_grid(user=request.user, village=self.village, month=self.month, review=self.review)
        entries, states, errors = parse_grid(request.POST, grid["rows"], grid["rules"])
        meeting_form = MeetingForm(request.POST, request.FILES, prefix="meeting")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = 0
        if errors or not meeting_form.is_valid():
            messages.error(request, _("Nothing was saved: correct the marked rows."))
            return self.render_to_response(self.get_context_data(states=states, errors=errors,
                                                                 meeting_form=meeting_form))
        try:
            services.monthly_grid_save(user=request.user, village=self.village, month=self.month,
                                       expected_version=version, entries=entries, meeting=meeting_form.entry())
        except services.GridErrors as exc:
            messages.error(request, _("Nothing was saved: correct the marked rows."))
            return self.render_to_response(self.get_context_data(states=states, errors=exc.by_member,
                                                                 meeting_form=meeting_form))
        except (StaleEdit, PeriodLocked) as exc:
            messages.error(request, _error_text(exc))
            return self.grid_url()
        except ValidationError as exc:
            form_add_service_errors(meeting_form, exc)
            messages.error(request, _error_text(exc))
            return self.render_to_response(self.get_context_data(states=states, meeting_form=meeting_form))
        messages.success(request, _("The results of %(village)s for %(month)s have been saved.")
                         % {"village": self.village.name, "month": self.month.label})
        return self.grid_url()


class MonthTransitionView(MonthMixin, View):
    """POST only: submit (township), accept or return (county)."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, *args, **kwargs):
        if self.review is None:
            messages.error(request, _("Nothing has been entered for this month yet."))
            return self.grid_url()
        try:
            if self.action == "submit":
                services.monthly_review_submit(user=request.user, review=self.review)
                messages.success(request, _("Submitted to the county."))
            elif self.action == "accept":
                services.monthly_review_accept(user=request.user, review=self.review)
                messages.success(request, _("Accepted; the month is now locked."))
            else:
                form = ReturnForm(request.POST)
                reason = form.data.get("reason", "")
                services.monthly_review_return(user=request.user, review=self.review, reason=reason)
                messages.success(request, _("Returned to the township; it can be changed again."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return self.grid_url()


class MonthSubmitView(MonthTransitionView):
    permission_required = "members.submit_monthlyreview"
    action = "submit"


class MonthAcceptView(MonthTransitionView):
    permission_required = "members.review_monthlyreview"
    action = "accept"


class MonthReturnView(MonthTransitionView):
    permission_required = "members.review_monthlyreview"
    action = "return"


class SignalsView(PortalPermissionMixin, TemplateView):
    """Per village: the year's figures and the inflation flags with the rule and the reason."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/signals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        ctx.update(selectors.village_flag_list(user=self.request.user, year=year), year=year,
                   totals=selectors.period_totals(user=self.request.user, year=year))
        return ctx


class RuleSetListView(PortalPermissionMixin, ListView):
    permission_required = "members.view_ruleset"
    template_name = "members/ruleset_list.html"
    context_object_name = "rule_sets"
    paginate_by = 100

    def get_queryset(self):
        return selectors.rule_set_list(user=self.request.user, year=_year(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=_year(self.request), **kwargs)


class RuleSetDetailView(PortalPermissionMixin, DetailView):
    permission_required = "members.view_ruleset"
    template_name = "members/ruleset_detail.html"
    context_object_name = "rule_set"

    def get_object(self, queryset=None):
        return selectors.rule_set_get(user=self.request.user, pk=self.kwargs["pk"])


class YearTotalsView(PortalPermissionMixin, TemplateView):
    """Members whose year deduction points reach the county's thresholds, with the suggested step."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/year_totals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        policy, members = selectors.member_threshold_list(user=self.request.user, year=year)
        ctx.update(year=year, policy=policy, members=members[:500])
        return ctx


class WarningListView(PortalPermissionMixin, TemplateView):
    permission_required = "members.view_memberwarning"
    template_name = "members/warning_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        ctx.update(year=year, warnings=selectors.warning_list(user=self.request.user, year=year),
                   dispositions=selectors.disposition_list(user=self.request.user, year=year))
        return ctx


class _MemberRecordCreateView(PortalPermissionMixin, FormView):
    template_name = "members/record_form.html"
    title = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        member = self.request.GET.get("member")
        if member and member.isdigit():
            initial["member"] = member
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            self.create(data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded."))
        return redirect("members:warning_list")


class WarningCreateView(_MemberRecordCreateView):
    permission_required = "members.add_memberwarning"
    form_class = WarningForm

    @property
    def title(self):
        return _("Record a warning to an inactive member")

    def create(self, data):
        services.warning_create(user=self.request.user, **data)


class DispositionCreateView(_MemberRecordCreateView):
    permission_required = "members.add_disposition"
    form_class = DispositionForm

    @property
    def title(self):
        return _("Record the disposition of an unqualified member")

    def create(self, data):
        services.disposition_create(user=self.request.user, **data)
