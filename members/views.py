from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import cache_control, never_cache
from django.views.generic import DetailView, TemplateView
from django_ratelimit.core import is_ratelimited

from core import hooks
from core.imports import ImportView
from core.periods import Month
from core.public_urls import absolute_url
from core.views import (
    BatchTransitionView,
    PortalPermissionMixin,
    Row,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    TransitionView,
    form_add_service_errors,
    paginate,
    reverse_each,
    review_status_param,
    review_transitions,
    year_param,
)
from core.workflow import PeriodLocked, ReviewStatus, StaleEdit
from villages.selectors import village_branch_secretary, village_get

from . import selectors, services
from .forms import (
    DispositionForm,
    MeetingForm,
    MonthOverviewFilterForm,
    ObjectionAnswerForm,
    PublicObjectionForm,
    ReturnForm,
    SignalsFilterForm,
    WarningForm,
    parse_grid,
    state_from_rows,
)
from .qr import qr_svg


def _month(value: str) -> Month:
    try:
        return Month.parse(value)
    except ValueError:
        raise Http404(_("No such month."))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


MONTH_TRANSITIONS = review_transitions(
    services, "monthly_review", submit_permission="members.submit_monthlyreview",
    review_permission="members.review_monthlyreview", submitted=gettext_lazy("Submitted to the county."),
    accepted=gettext_lazy("Accepted; the month is now locked."),
    returned=gettext_lazy("Returned to the township; it can be changed again."))


OVERVIEW_FIELDS = ("id", "code", "name", "member_count", "review_id", "review_status", "excellent_count",
                   "deducted_count", "open_talks")


class MonthOverviewView(PortalPermissionMixin, TemplateView):
    """The villages in scope for one month, with each month's status and figures. A reviewer (the county) opens it
    on what waits for them: without ?status= the submitted months, without ?month= the month with the most of them;
    the submitted rows have boxes to accept or return many at once (MonthBatchView)."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/month_overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        reviewer = user.has_perm("members.review_monthlyreview")
        if self.request.GET.get("month"):
            month = _month(self.request.GET["month"])
        else:
            month = (reviewer and selectors.monthly_review_waiting_month(user=user)) or Month.of(timezone.localdate())
        status, waiting_default = review_status_param(self.request, reviewer=reviewer)
        data = self.request.GET.copy()
        data["status"] = status
        form = MonthOverviewFilterForm(data, user=user)
        filters = {"township": form.value("township"), "status": form.value("status") or ""}
        villages = selectors.monthly_review_list(user=user, month=month, **filters)
        figures = selectors.monthly_review_figures(user=user, month=month, **filters)
        pages = paginate(self.request, villages.values(*OVERVIEW_FIELDS, township_name=F("township__name")),
                         count=figures["villages"])
        chips = [("", _("All"), figures["all"])] + [
            (code, label, figures[code]) for code, label in ReviewStatus.choices] + [
            ("missing", _("Not started"), figures["missing"])]
        # Rows as dicts (the template engine finds a key at its first try, an attribute only after a failed
        # subscription), decorated here rather than by template logic: a 50-row page renders in ~1 ms.
        statuses = dict(ReviewStatus.choices)
        rows = list(pages["page_obj"].object_list)
        urls = reverse_each("members:monthlyreview_grid", "code", [row["code"] for row in rows], month=month)
        listed = [Row(row, status_label=statuses.get(row["review_status"], ""), grid_url=url)
                  for row, url in zip(rows, urls)]
        ctx.update(pages, month=month, previous=month.previous(), next=month.next(), figures=figures, chips=chips,
                   villages=listed, filter_form=form,
                   status=filters["status"], township_query=self.request.GET.get("township", ""),
                   waiting_default=waiting_default, batch=reviewer)
        return ctx


class MonthBatchView(BatchTransitionView):
    """POST: accept, or return with one reason, many submitted months at once (the county, from the overview)."""

    batch_selector = selectors.monthly_review_batch
    object_kwarg = "review"
    list_url = "members:monthlyreview_list"
    title = gettext_lazy("Monthly assessments")
    transitions = {step: t for step, t in MONTH_TRANSITIONS.items() if step != "submit"}


class MonthMixin(ScopedObjectMixin):
    permission_required = "members.view_monthlyresult"

    def lookup(self, request, **kwargs):
        self.village = village_get(user=request.user, code=kwargs["code"])
        self.month = _month(kwargs["month"])
        self.review = selectors.monthly_review_find(user=request.user, village=self.village, month=self.month)

    def grid_url(self):
        return redirect(self.grid_path())

    def grid_path(self) -> str:
        return reverse("members:monthlyreview_grid", kwargs={"code": self.village.code, "month": str(self.month)})

    def neighbours(self, *, entered_only: bool = False) -> dict:
        """The township's previous and next village for the same month, for the links at the top of the page."""
        previous, following = selectors.month_neighbours(user=self.request.user, village=self.village,
                                                         month=self.month, entered_only=entered_only)
        return {"previous_village": previous, "next_village": following}

    def usual_reasons(self) -> list[str]:
        return selectors.excellent_reason_usual(user=self.request.user, village=self.village, month=self.month)


class MonthGridView(MonthMixin, TemplateView):
    """One village-month: every active member, 合格 by default, 优 with a reason, deductions with their talks."""

    template_name = "members/monthlyreview_grid.html"

    def get_context_data(self, *, states=None, errors=None, meeting_form=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        grid = selectors.month_grid(user=user, village=self.village, month=self.month, review=self.review)
        states = states if states is not None else state_from_rows(grid["rows"])
        errors = errors or {}
        review = self.review
        if meeting_form is not None and meeting_form.is_bound:
            meeting_date = getattr(meeting_form, "cleaned_data", {}).get("meeting_date")
        else:
            meeting_date = review.meeting_date if review else None
        # A new deduction's talk: by the branch secretary on the day of the review meeting, as nearly always;
        # rendered into the empty slot, so the clerk sees (and may change or clear) what will be saved.
        secretary = village_branch_secretary(user=user, village=self.village)
        talk_defaults = {"talk_by": secretary.name if secretary else "",
                         "talk_date": meeting_date.isoformat() if meeting_date else ""}
        for row in grid["rows"]:
            row.state = states.get(row.member.pk) or {"excellent": False, "reason": "", "deductions": []}
            row.slots = row.state["deductions"] + [{"id": None, "rule_id": None, "note": "", **talk_defaults}]
            row.errors = errors.get(row.member.pk, [])
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
                   can_import=editable and user.has_perm("members.import_monthlyresult"),
                   lock_message=review.lock_message() if review and review.is_locked else "",
                   open_talks=sum(1 for row in grid["rows"] for d in row.deductions if not d.talk_date),
                   talk_defaults=talk_defaults, unsaved=self.request.method == "POST",
                   usual_reasons=self.usual_reasons() if editable else [], **self.neighbours())
        if user.has_perm("members.review_monthlyreview"):
            following = selectors.monthly_review_next_waiting(user=user, village=self.village, month=self.month)
            ctx.update(reviewer=True, next_waiting_label=following.name if following else "",
                       next_waiting_url=reverse("members:monthlyreview_grid", kwargs={
                           "code": following.code, "month": str(self.month)}) if following else "")
        return ctx

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("members.change_monthlyresult"):
            raise PermissionDenied
        if request.POST.get("then") == "submit" and not request.user.has_perm(MONTH_TRANSITIONS["submit"].permission):
            raise PermissionDenied
        grid = selectors.month_grid(user=request.user, village=self.village, month=self.month, review=self.review)
        entries, states, errors = parse_grid(request.POST, grid["rows"], grid["rules"],
                                             usual_reasons=self.usual_reasons())
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
        if request.POST.get("then") == "submit":
            self.submit_saved()
        return self.grid_url()

    def submit_saved(self):
        """报送县委组织部 from the grid: the page's edits were saved just now (above, with every check of a save),
        then the month is submitted; a refusal is said and the saved edits stay."""
        submit = MONTH_TRANSITIONS["submit"]
        review = selectors.monthly_review_find(user=self.request.user, village=self.village, month=self.month)
        try:
            submit.service(user=self.request.user, review=review)
        except ValidationError as exc:
            messages.error(self.request, _("Saved, but not submitted: %(reason)s") % {"reason": _error_text(exc)})
        else:
            messages.success(self.request, str(submit.message))


class MonthMinutesView(MonthMixin, View):
    """The uploaded minutes of a village-month, only within the user's scope (404 otherwise)."""

    def get(self, request, *args, **kwargs):
        import filetype
        from django.http import FileResponse

        if self.review is None or not self.review.minutes_file:
            raise Http404(_("No minutes file was uploaded for this month."))
        try:
            handle = self.review.minutes_file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("No minutes file was uploaded for this month."))
        head = handle.read(8192)
        handle.seek(0)
        kind = filetype.guess(head)
        suffix = f".{kind.extension}" if kind else ""
        response = FileResponse(handle, content_type=kind.mime if kind else "application/octet-stream",
                                filename=f"{self.village.name}-{self.month}-会议记录{suffix}")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class MonthTransitionView(MonthMixin, TransitionView):
    """POST only: submit (township), accept or return (county)."""

    object_kwarg = "review"
    transitions = MONTH_TRANSITIONS

    def post(self, request, *args, **kwargs):
        if self.review is None:
            messages.error(request, _("Nothing has been entered for this month yet."))
            return self.grid_url()
        return super().post(request, *args, **kwargs)

    def get_object(self):
        return self.review

    def target(self, review):
        return self.grid_path()


DISCREPANCIES = 50  # rows of spot-check discrepancies on the signals page; the report lists them all


class SignalsView(PortalPermissionMixin, TemplateView):
    """Per village: the year's figures and the inflation flags with the rule and the reason."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/signals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = year_param(self.request)
        form = SignalsFilterForm(self.request.GET, user=self.request.user)
        if form.out_of_scope():
            raise Http404
        county = form.chosen_county()
        signals = selectors.village_flag_page(user=self.request.user, year=year, township=form.value("township"),
                                              county=county, flagged_only=bool(form.value("flagged")),
                                              size=settings.QIANGJI_PAGE_SIZE, number=self.request.GET.get("page"))
        page = signals.pop("page")
        for internal in ("marks", "flagged", "where", "county_id"):
            signals.pop(internal)
        ctx.update(signals, year=year, totals=selectors.period_totals(user=self.request.user, year=year, county=county),
                   page_obj=page, is_paginated=page.has_other_pages(), filter_form=form,
                   # Ratings a county spot-check did not confirm (checks answers the hook), by township and village.
                   discrepancies=list(
                       hooks.spot_check_discrepancies(user=self.request.user, year=year)[:DISCREPANCIES]))
        return ctx


class RuleSetListView(ScopedListView):
    permission_required = "members.view_ruleset"
    template_name = "members/ruleset_list.html"
    context_object_name = "rule_sets"
    paginate_by = 100

    def get_queryset(self):
        return selectors.rule_set_list(user=self.request.user, year=year_param(self.request))

    def get_context_data(self, **kwargs):
        return super().get_context_data(year=year_param(self.request), **kwargs)


class RuleSetDetailView(ScopedObjectMixin, DetailView):
    permission_required = "members.view_ruleset"
    template_name = "members/ruleset_detail.html"
    context_object_name = "rule_set"
    object_selector = selectors.rule_set_get


class YearTotalsView(PortalPermissionMixin, TemplateView):
    """Members whose year deduction points reach the county's thresholds, with the suggested step."""

    permission_required = "members.view_monthlyresult"
    template_name = "members/year_totals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = year_param(self.request)
        policy, members = selectors.member_threshold_list(user=self.request.user, year=year)
        ctx.update(year=year, policy=policy, members=members[:500])
        return ctx


class WarningListView(PortalPermissionMixin, TemplateView):
    permission_required = "members.view_memberwarning"
    template_name = "members/warning_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = year_param(self.request)
        ctx.update(year=year, warnings=selectors.warning_list(user=self.request.user, year=year),
                   dispositions=selectors.disposition_list(user=self.request.user, year=year))
        return ctx


class _FormView(ServiceFormView):
    """This app's form pages; Cancel goes back to the month overview."""

    def get_cancel_url(self):
        return reverse("members:monthlyreview_list")


class _MemberRecordCreateView(_FormView):
    success_message = gettext_lazy("Recorded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        member = self.request.GET.get("member")
        if member and member.isdigit():
            initial["member"] = member
        return initial

    def get_success_url(self):
        return reverse("members:warning_list")

    def perform(self, form):
        self.create({name: form.cleaned_data[name] for name in form.Meta.fields})


class WarningCreateView(_MemberRecordCreateView):
    permission_required = "members.add_memberwarning"
    form_class = WarningForm
    title = gettext_lazy("Record a warning to an inactive member")

    def create(self, data):
        services.warning_create(user=self.request.user, **data)


class DispositionCreateView(_MemberRecordCreateView):
    permission_required = "members.add_disposition"
    form_class = DispositionForm
    title = gettext_lazy("Record the disposition of an unqualified member")

    def create(self, data):
        services.disposition_create(user=self.request.user, **data)


class MonthTemplateView(MonthMixin, View):
    """The month's Excel template with the members (and any entries so far) filled in."""

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from .excel import month_template

        grid_rule_set = self.review.rule_set if self.review else selectors.current_rule_set(
            village=self.village, year=self.month.year)
        rules = list(grid_rule_set.rules.order_by("number")) if grid_rule_set else []
        content = month_template(review=self.review, village=self.village, month=self.month, rules=rules,
                                 user=request.user)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = content_disposition_header(True, _("%(village)s %(month)s results.xlsx") % {
            "village": self.village.name, "month": self.month.label})
        return response


class MonthImportView(MonthMixin, TemplateView):
    """Upload the filled-in template: a preview (nothing written) with every problem by row and column, then
    confirm to save it all in one transaction, or nothing."""

    permission_required = "members.import_monthlyresult"
    template_name = "members/monthlyreview_import.html"

    def session_key(self):
        return f"members-import-{self.village.pk}-{self.month}"

    def get_context_data(self, **kwargs):
        from .forms import UploadForm

        kwargs.setdefault("form", UploadForm())
        kwargs.update(village=self.village, month=self.month, review=self.review)
        return super().get_context_data(**kwargs)

    def rule_set(self):
        return self.review.rule_set if self.review else selectors.current_rule_set(village=self.village,
                                                                                   year=self.month.year)

    def post(self, request, *args, **kwargs):
        from core.imports import ImportRefused, check_size, stash_drop, stash_get, stash_put
        from core.workflow import assert_editable_by_township

        from .excel import month_import, month_sheet_parse
        from .forms import UploadForm

        if self.review is not None:
            try:
                assert_editable_by_township(self.review)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
                return self.render_to_response(self.get_context_data())
        rule_set = self.rule_set()
        if rule_set is None:
            messages.error(request, _("This village has not adopted its bottom lines for %(year)d.")
                           % {"year": self.month.year})
            return self.render_to_response(self.get_context_data())
        if request.POST.get("confirm"):
            note = request.session.pop(self.session_key(), None)
            try:
                data = stash_get(note, kind=self.session_key(), user=request.user)
                month_import(user=request.user, village=self.village, month=self.month, review=self.review,
                             rule_set=rule_set, data=data, expected_version=note["version"])
            except ImportRefused as exc:
                return self.render_to_response(self.get_context_data(errors=exc.cell_errors))
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
                return self.render_to_response(self.get_context_data())
            finally:
                stash_drop(note)
            messages.success(request, _("The sheet has been imported."))
            return self.grid_url()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            check_size(upload.size)
            data = upload.read()
            parsed = month_sheet_parse(data, village=self.village, rule_set=rule_set)
        except ImportRefused as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.cell_errors))
        note = stash_put(data, name=upload.name, kind=self.session_key(), user=request.user)
        request.session[self.session_key()] = note | {"version": self.review.version if self.review else 0}
        return self.render_to_response(self.get_context_data(form=form, preview=parsed.rows, meeting=parsed.meeting,
                                                             preview_ready=True))


class RosterImportView(ImportView):
    """Import party members from Excel (村代码, 身份证号, 姓名, 入党日期, 党员类别, 状态): preview, then confirm."""

    permission_required = ("members.import_monthlyresult", "members.add_partymember")
    kind = "members.roster"
    title = gettext_lazy("Import the party-member roster")
    intro = gettext_lazy("People are matched by ID number and must already be recorded in your area; a member "
                         "already on the roster is updated.")
    template_filename = gettext_lazy("party member roster template.xlsx")

    def get_spec(self):
        from .resources import ROSTER_SPEC

        return ROSTER_SPEC

    def run(self, sheet, *, user, dry_run):
        from .resources import roster_run

        return roster_run(sheet, user=user, dry_run=dry_run)


class RuleSetAdoptView(_FormView):
    """A village adopts its bottom lines for a year: the county's basic requirements plus its own."""

    permission_required = "members.add_ruleset"
    title = gettext_lazy("Adopt a village's bottom lines")
    success_message = gettext_lazy("The bottom lines have been recorded.")

    def get_form_class(self):
        from .forms import RuleSetAdoptForm

        return RuleSetAdoptForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def perform(self, form):
        d = form.cleaned_data
        return services.rule_set_adopt(user=self.request.user, village=d["village"], year=d["year"],
                                       adopted_date=d["adopted_date"], specific=d["specific"], note=d["note"])


class CountyPolicyView(_FormView):
    """The county's thresholds: when a month is late, when year totals suggest a warning or a disposition review,
    and the z-score that flags a village."""

    permission_required = "members.change_countypolicy"
    title = gettext_lazy("County thresholds for the bottom-line assessment")
    success_message = gettext_lazy("The thresholds have been saved.")

    def lookup(self, request, **kwargs):
        from accounts.scope import ALL, COUNTY, scope_for

        if scope_for(request.user).level not in (COUNTY, ALL):
            raise PermissionDenied
        self.policy = selectors.county_policy_get(user=request.user)
        if self.policy is None:
            raise Http404

    def get_form_class(self):
        from .forms import CountyPolicyForm

        return CountyPolicyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.policy
        return kwargs

    def get_success_url(self):
        return reverse("members:signals")

    def perform(self, form):
        services.county_policy_save(user=self.request.user, policy=form.save(commit=False))


class _MemberRecordEditView(_MemberRecordCreateView):
    """Record the outcome of a warning or a disposition later (or correct it); the history keeps the old values."""

    def lookup(self, request, **kwargs):
        self.object = self.get_object()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get_initial(self):
        return {}


class WarningUpdateView(_MemberRecordEditView):
    permission_required = "members.change_memberwarning"
    form_class = WarningForm

    def get_object(self):
        return selectors._get(selectors.warning_list(user=self.request.user), self.kwargs["pk"])

    def get_title(self):
        return _("Warning to %(member)s") % {"member": self.object.member}

    def create(self, data):
        services.warning_update(user=self.request.user, warning=self.object, **data)


class DispositionUpdateView(_MemberRecordEditView):
    permission_required = "members.change_disposition"
    form_class = DispositionForm

    def get_object(self):
        return selectors._get(selectors.disposition_list(user=self.request.user), self.kwargs["pk"])

    def get_title(self):
        return _("Disposition of %(member)s") % {"member": self.object.member}

    def create(self, data):
        services.disposition_update(user=self.request.user, disposition=self.object, **data)


class BasicRequirementListView(PortalPermissionMixin, TemplateView):
    """The county's template of basic requirements 基本要求 that villages adopt; the county adds to it here."""

    permission_required = "members.view_basicrequirement"
    template_name = "members/basicrequirement_list.html"

    def get_context_data(self, **kwargs):
        from .forms import BasicRequirementForm

        ctx = super().get_context_data(**kwargs)
        ctx["requirements"] = selectors.basic_requirement_list(user=self.request.user)
        if self.request.user.has_perm("members.add_basicrequirement"):
            ctx.setdefault("form", kwargs.get("form") or BasicRequirementForm())
        return ctx

    def post(self, request, *args, **kwargs):
        from .forms import BasicRequirementForm

        if not request.user.has_perm("members.add_basicrequirement"):
            raise PermissionDenied
        county = selectors.county_of(request.user)
        form = BasicRequirementForm(request.POST)
        form.instance.county = county
        if form.is_valid():
            try:
                services.basic_requirement_save(user=request.user, requirement=form.save(commit=False))
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    raise
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("The requirement has been added to the county template."))
                return redirect("members:basicrequirement_list")
        return self.render_to_response(self.get_context_data(form=form))


class MonthNoticeView(MonthMixin, TemplateView):
    """The printable public notice 公示 of a village-month: every member's result, deductions by rule."""

    template_name = "members/monthlyreview_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.review is None:
            raise Http404(_("Nothing has been entered for this month yet."))
        grid = selectors.month_grid(user=self.request.user, village=self.village, month=self.month,
                                    review=self.review)
        public_url = absolute_url(selectors.public_notice_url(self.review), request=self.request)
        ctx.update(village=self.village, month=self.month, review=self.review,
                   rows=[r for r in grid["rows"] if r.result is not None], **self.neighbours(entered_only=True),
                   public_url=public_url, qr=qr_svg(public_url), window=selectors.notice_window(self.review),
                   objections=selectors.notice_objection_list(user=self.request.user, review=self.review))
        return ctx


class RuleSetReviseView(_FormView):
    """Change a village's bottom lines: a new version; the old one stays with the months and deductions that used it."""

    permission_required = "members.add_ruleset"
    success_message = gettext_lazy("Version %(version)d has been recorded.")

    def lookup(self, request, **kwargs):
        self.rule_set = selectors.rule_set_get(user=request.user, pk=kwargs["pk"])

    def get_form_class(self):
        from .forms import RuleSetReviseForm

        return RuleSetReviseForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rule_set"] = self.rule_set
        return kwargs

    def get_title(self):
        return _("Revise %(rule_set)s") % {"rule_set": self.rule_set}

    def success_message_args(self, new):
        return {"version": new.version}

    def perform(self, form):
        d = form.cleaned_data
        return services.rule_set_revise(user=self.request.user, rule_set=self.rule_set,
                                        adopted_date=d["adopted_date"], rules=d["rules"], note=d["note"])


# ---------------------------------------------------------------- the online public notice and objections

PUBLIC_CACHE_SECONDS = 300
OBJECTIONS_PER_ADDRESS = "5/h"  # from one address (django-ratelimit's rate)
OBJECTIONS_PER_NOTICE = "50/d"  # on one notice


class PublicNoticeMixin:
    """A public page of one village-month, found by its signed token (selectors.public_notice_get): no login, no
    session (nothing here reads request.user or writes the session), nothing of the portal but these two pages."""

    def dispatch(self, request, *args, **kwargs):
        self.review = selectors.public_notice_get(token=kwargs["token"])
        self.window = selectors.notice_window(self.review)
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(review=self.review, village=self.review.village, month=self.review.period, window=self.window,
                   is_open=self.window.is_open(self.today), is_over=self.window.is_over(self.today),
                   token=self.kwargs["token"])
        return ctx


@method_decorator(cache_control(public=True, max_age=PUBLIC_CACHE_SECONDS), name="dispatch")
class PublicNoticeView(PublicNoticeMixin, TemplateView):
    """The notice's public page (the QR code's address): every member's result and reason and the rules deducted
    under; the window; the township's answers to objections once the window is over. Sets no cookie, so shared
    caches may keep it for a few minutes."""

    http_method_names = ["get", "head"]
    template_name = "members/public_notice.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.public_notice_rows(self.review)
        if ctx["is_over"]:
            ctx["answers"] = selectors.public_notice_answers(self.review)
        return ctx


@method_decorator(never_cache, name="dispatch")
class PublicObjectionView(PublicNoticeMixin, TemplateView):
    """The objection form, on a page of its own so the notice itself sets no cookie: this page sets only Django's
    csrftoken cookie (the form's CSRF protection), never a session. Closed (no form) once the window is over;
    limited per address and per notice (django-ratelimit, counted in the shared cache)."""

    http_method_names = ["get", "post"]
    template_name = "members/public_objection.html"

    def form(self, data=None):
        return PublicObjectionForm(data, members=selectors.public_notice_members(self.review))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if ctx["is_open"] and "form" not in ctx and not ctx.get("filed"):
            ctx["form"] = self.form()
        return ctx

    def notice_key(self, group, request) -> str:
        return str(self.review.pk)

    def post(self, request, *args, **kwargs):
        if not self.window.is_open(self.today):
            return self.render_to_response(self.get_context_data())
        if (is_ratelimited(request, group="members.objection.address", key="ip", rate=OBJECTIONS_PER_ADDRESS,
                           increment=True)
                or is_ratelimited(request, group="members.objection.notice", key=self.notice_key,
                                  rate=OBJECTIONS_PER_NOTICE, increment=True)):
            return self.render_to_response(self.get_context_data(throttled=True), status=429)
        form = self.form(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.notice_objection_file(review=self.review, member_id=d["member"], text=d["text"],
                                               name=d["name"], phone=d["phone"], today=self.today)
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                return self.render_to_response(self.get_context_data(filed=True))
        return self.render_to_response(self.get_context_data(form=form))


class ObjectionAnswerView(ServiceFormView):
    """The township answers an objection: upheld (the month goes back to be corrected and posted again) or
    dismissed with the reason."""

    permission_required = "members.answer_noticeobjection"
    template_name = "members/objection_answer.html"
    form_class = ObjectionAnswerForm
    success_message = gettext_lazy("The objection has been answered.")

    def lookup(self, request, **kwargs):
        self.objection = selectors.notice_objection_get(user=request.user, pk=kwargs["pk"])

    def get_title(self):
        return str(self.objection)

    def get_success_url(self):
        review = self.objection.review
        return reverse("members:monthlyreview_notice",
                       kwargs={"code": review.village.code, "month": str(review.period)})

    def get_context_data(self, **kwargs):
        return super().get_context_data(objection=self.objection, **kwargs)

    def perform(self, form):
        services.notice_objection_answer(user=self.request.user, objection=self.objection,
                                         upheld=form.cleaned_data["upheld"], answer=form.cleaned_data["answer"])
        return None
