from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from core.imports import ImportView
from core.pdf import pdf_response
from core.reports.formatters import to_pdf
from core.views import (
    BatchTransitionView,
    PortalPermissionMixin,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    Transition,
    TransitionView,
    review_status_param,
    year_param,
)
from villages.selectors import document_issuer

from . import forms, services
from .exports import filing_document, filing_matters
from .filters import FilingFilter, MatterFilter, MeetingFilter
from .models import MODEL_VILLAGES_MAX, MODEL_VILLAGES_MIN, OPEN_MATTER_FLAG_DAYS, QUORUM_RULE
from .selectors import (
    discussion_point_get,
    discussion_point_list,
    filing_batch,
    filing_get,
    filing_list,
    filing_next_waiting,
    household_get,
    household_list,
    inspection_get,
    inspection_list,
    matter_get,
    matter_list,
    meeting_get,
    meeting_list,
    model_village_get,
    model_village_list,
    model_village_summary,
    representative_change_list,
    village_get,
    village_list,
)


class VillageListView(ScopedListView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/village_list.html"
    context_object_name = "villages"
    paginate_by = 100
    list_selector = village_list


class VillageDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/village_detail.html"
    context_object_name = "village"
    object_selector = village_get
    lookup_kwarg = "code"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, village = self.request.user, self.object
        households = household_list(user=user, village=village)
        ctx["unrepresented"] = households.filter(representative__isnull=True)
        ctx["households"] = households
        ctx["points"] = discussion_point_list(user=user, village=village)
        ctx["meetings"] = meeting_list(user=user, village=village)[:20]
        from .models import SpeakerPilot
        ctx["pilot"] = SpeakerPilot.objects.filter(village=village).select_related("speaker").first()
        return ctx


class _FormView(ServiceFormView):
    """This app's form pages: the object beside the title, crumbs to its village (and meeting), Cancel back to it."""

    village = None
    meeting = None
    obj = None

    def get_cancel_url(self):
        if hasattr(self.obj, "get_absolute_url"):
            return self.obj.get_absolute_url()
        if self.meeting is not None:
            return self.meeting.get_absolute_url()
        if self.village is not None:
            return reverse("assemblies:village_detail", kwargs={"code": self.village.code})
        return reverse("assemblies:village_list")

    def get_context_data(self, **kwargs):
        crumbs = []
        if self.village is not None:
            crumbs = [(reverse("assemblies:village_list"), _("Household-representative meetings")),
                      (reverse("assemblies:village_detail", kwargs={"code": self.village.code}),
                       f"{self.village.township.name} · {self.village.name}")]
            if self.meeting is not None:
                crumbs.append((self.meeting.get_absolute_url(), str(self.meeting)))
        return super().get_context_data(village=self.village, meeting=self.meeting, object=self.obj,
                                        subtitle=self.obj or "", crumbs=crumbs, **kwargs)

    def perform(self, form):
        return self.save(form)


class _VillageScopedForm(_FormView):
    """A form about one village (from the URL's code or an object's village)."""

    def lookup(self, request, **kwargs):
        self.village = village_get(user=request.user, code=kwargs["code"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "village": self.village}


def _fields(form):
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


class HouseholdCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_household"
    form_class = forms.HouseholdForm
    title = gettext_lazy("Add a household")
    success_message = gettext_lazy("The household has been added.")

    def save(self, form):
        return services.household_create(user=self.request.user, village=self.village, **_fields(form))


class HouseholdUpdateView(_VillageScopedForm):
    permission_required = "assemblies.change_household"
    form_class = forms.HouseholdForm
    title = gettext_lazy("Edit household")
    success_message = gettext_lazy("The household has been saved.")

    def lookup(self, request, **kwargs):
        self.obj = household_get(user=request.user, pk=kwargs["pk"])
        self.village = self.obj.village

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.household_update(user=self.request.user, household=self.obj, **_fields(form))


class HouseholdDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/household_detail.html"
    context_object_name = "household"
    object_selector = household_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["changes"] = representative_change_list(user=self.request.user, household=self.object)
        return ctx


class RepresentativeChangeView(HouseholdUpdateView):
    permission_required = "assemblies.add_representativechange"
    form_class = forms.RepresentativeForm
    title = gettext_lazy("Change the representative")
    success_message = gettext_lazy("The change of representative has been recorded.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance")
        return kwargs

    def save(self, form):
        services.representative_change(user=self.request.user, household=self.obj, **form.cleaned_data)
        return self.obj


class DiscussionPointCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_discussionpoint"
    form_class = forms.DiscussionPointForm
    title = gettext_lazy("Add a discussion point")
    success_message = gettext_lazy("The discussion point has been added.")

    def save(self, form):
        services.discussion_point_create(user=self.request.user, village=self.village, **_fields(form))
        return reverse("assemblies:village_detail", kwargs={"code": self.village.code})


class DiscussionPointUpdateView(DiscussionPointCreateView):
    permission_required = "assemblies.change_discussionpoint"
    title = gettext_lazy("Edit discussion point")
    success_message = gettext_lazy("The discussion point has been saved.")

    def lookup(self, request, **kwargs):
        self.obj = discussion_point_get(user=request.user, pk=kwargs["pk"])
        self.village = self.obj.village

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        services.discussion_point_update(user=self.request.user, point=self.obj, **_fields(form))
        return reverse("assemblies:village_detail", kwargs={"code": self.village.code})


class SpeakerPilotView(_VillageScopedForm):
    permission_required = "assemblies.change_speakerpilot"
    form_class = forms.SpeakerPilotForm
    title = gettext_lazy("Speaker pilot")
    success_message = gettext_lazy("The speaker pilot has been saved.")

    def get_initial(self):
        from .models import SpeakerPilot

        pilot = SpeakerPilot.objects.filter(village=self.village).first()
        if pilot:
            return {"speaker": pilot.speaker_id, "started": pilot.started, "ended": pilot.ended}
        return {"started": timezone.localdate()}

    def save(self, form):
        services.speaker_pilot_set(user=self.request.user, village=self.village, **form.cleaned_data)
        return reverse("assemblies:village_detail", kwargs={"code": self.village.code})


class MeetingListView(ScopedListView):
    permission_required = "assemblies.view_meeting"
    template_name = "assemblies/meeting_list.html"
    filterset_class = MeetingFilter
    list_selector = meeting_list


class MeetingCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_meeting"
    form_class = forms.MeetingForm
    title = gettext_lazy("Record a meeting")
    success_message = gettext_lazy("The meeting has been recorded. Add the matters it decided.")

    def get_initial(self):
        return {"date": timezone.localdate(), "households_expected": self.village.household_count}

    def save(self, form):
        return services.meeting_create(user=self.request.user, village=self.village, **_fields(form))


class MeetingUpdateView(MeetingCreateView):
    permission_required = "assemblies.change_meeting"
    title = gettext_lazy("Edit meeting")
    success_message = gettext_lazy("The meeting has been saved.")

    def lookup(self, request, **kwargs):
        self.obj = meeting_get(user=request.user, pk=kwargs["pk"])
        self.village = self.obj.village

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.meeting_update(user=self.request.user, meeting=self.obj, **_fields(form))


class MeetingDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_meeting"
    template_name = "assemblies/meeting_detail.html"
    context_object_name = "meeting"
    object_selector = meeting_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["matters"] = matter_list(user=self.request.user).filter(meeting=self.object)
        ctx["quorum_rule"] = QUORUM_RULE
        return ctx


class MatterCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_matter"
    form_class = forms.MatterForm
    title = gettext_lazy("Record a decided matter")
    success_message = gettext_lazy("The decided matter has been recorded.")

    def lookup(self, request, **kwargs):
        self.meeting = meeting_get(user=request.user, pk=kwargs["pk"])
        self.village = self.meeting.village

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user"), kwargs.pop("village")
        return {**kwargs, "meeting": self.meeting}

    def save(self, form):
        services.matter_create(user=self.request.user, meeting=self.meeting, **_fields(form))
        return self.meeting


class MatterUpdateView(MatterCreateView):
    permission_required = "assemblies.change_matter"
    title = gettext_lazy("Edit decided matter")
    success_message = gettext_lazy("The decided matter has been saved.")

    def lookup(self, request, **kwargs):
        self.obj = matter_get(user=request.user, pk=kwargs["pk"])
        self.meeting = self.obj.meeting
        self.village = self.meeting.village

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.matter_update(user=self.request.user, matter=self.obj, **_fields(form))


class MatterListView(ScopedListView):
    permission_required = "assemblies.view_matter"
    template_name = "assemblies/matter_list.html"
    filterset_class = MatterFilter
    list_selector = matter_list

    def get_context_data(self, **kwargs):
        return super().get_context_data(flag_days=OPEN_MATTER_FLAG_DAYS, **kwargs)


class MatterDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_matter"
    template_name = "assemblies/matter_detail.html"
    context_object_name = "matter"
    object_selector = matter_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["follow_ups"] = self.object.follow_ups.order_by("date", "pk")
        ctx["follow_up_form"] = forms.FollowUpForm(initial={"date": timezone.localdate()})
        ctx["flag_days"] = OPEN_MATTER_FLAG_DAYS
        return ctx


class FollowUpCreateView(MatterUpdateView):
    permission_required = "assemblies.add_followup"
    form_class = forms.FollowUpForm
    title = gettext_lazy("Record follow-up")
    success_message = gettext_lazy("The follow-up has been recorded.")

    def get_form_kwargs(self):
        kwargs = super(MatterCreateView, self).get_form_kwargs()
        kwargs.pop("user"), kwargs.pop("village")
        return kwargs

    def save(self, form):
        services.follow_up_add(user=self.request.user, matter=self.obj, **form.cleaned_data)
        return self.obj


# Township practice --------------------------------------------------------------------------------------------

class _TownshipForm(_FormView):
    permission_denied_as_message = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class InspectionListView(ScopedListView):
    permission_required = "assemblies.view_inspection"
    template_name = "assemblies/inspection_list.html"
    context_object_name = "inspections"
    list_selector = inspection_list


class InspectionCreateView(_TownshipForm):
    permission_required = "assemblies.add_inspection"
    form_class = forms.InspectionForm
    title = gettext_lazy("Record a quarterly inspection")
    success_message = gettext_lazy("The inspection has been recorded; the facts were filled in from the records.")

    def get_initial(self):
        return {"inspected_on": timezone.localdate()}

    def save(self, form):
        d = form.cleaned_data
        return services.inspection_save(user=self.request.user, township=d["township"], year=d["quarter"].year,
                                        quarter=d["quarter"].quarter, inspected_on=d["inspected_on"],
                                        findings=d["findings"])


class InspectionDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_inspection"
    template_name = "assemblies/inspection_detail.html"
    context_object_name = "inspection"
    object_selector = inspection_get


class InspectionUpdateView(_TownshipForm):
    permission_required = "assemblies.change_inspection"
    form_class = forms.InspectionEditForm
    title = gettext_lazy("Edit inspection")
    success_message = gettext_lazy("The inspection has been saved; the facts were refreshed from the records.")

    def lookup(self, request, **kwargs):
        self.obj = inspection_get(user=request.user, pk=kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return {**kwargs, "instance": self.obj}

    def save(self, form):
        i = self.obj
        return services.inspection_save(user=self.request.user, township=i.township, year=i.year, quarter=i.quarter,
                                        inspection=i, **form.cleaned_data)


class ModelVillageListView(PortalPermissionMixin, ListView):
    permission_required = "assemblies.view_modelvillage"
    template_name = "assemblies/modelvillage_list.html"
    context_object_name = "model_villages"

    def get_queryset(self):
        return model_village_list(user=self.request.user, year=year_param(self.request))

    def get_context_data(self, **kwargs):
        year = year_param(self.request)
        return super().get_context_data(
            year=year, summary=model_village_summary(user=self.request.user, year=year),
            min=MODEL_VILLAGES_MIN, max=MODEL_VILLAGES_MAX, **kwargs)


class ModelVillageCreateView(_TownshipForm):
    permission_required = "assemblies.add_modelvillage"
    form_class = forms.ModelVillageForm
    title = gettext_lazy("Name a good-practice village")
    success_message = gettext_lazy("The village has been named.")

    def save(self, form):
        mv = services.model_village_add(user=self.request.user, **form.cleaned_data)
        return reverse("assemblies:modelvillage_list") + f"?year={mv.year}"


class ModelVillageRemoveView(TransitionView):
    permission_denied_as_message = True
    lookup_first = False
    object_selector = model_village_get
    object_kwarg = "model_village"
    step = "remove"
    transitions = {"remove": Transition(services.model_village_remove, "assemblies.delete_modelvillage",
                                        gettext_lazy("%(village)s is no longer named for %(year)d."))}

    def message_args(self, obj):
        return {"village": obj.village.name, "year": obj.year}

    def target(self, obj):
        return reverse("assemblies:modelvillage_list") + f"?year={obj.year}"


# Quarterly filings --------------------------------------------------------------------------------------------

class FilingListView(ScopedListView):
    """The townships' filings by township, status and quarter; the county sees what waits for it by default and
    acknowledges or returns many at once (FilingBatchView)."""

    permission_required = "assemblies.view_filing"
    template_name = "assemblies/filing_list.html"
    context_object_name = "filings"
    list_selector = filing_list
    filterset_class = FilingFilter

    def reviewer(self) -> bool:
        return self.request.user.has_perm("assemblies.acknowledge_filing")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        status, self.waiting_default = review_status_param(self.request, reviewer=self.reviewer())
        if self.waiting_default:
            kwargs["data"] = {**self.request.GET.dict(), "status": status}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(waiting_default=self.waiting_default, batch=self.reviewer(), **kwargs)


class FilingCreateView(_TownshipForm):
    permission_required = "assemblies.add_filing"
    form_class = forms.TownshipQuarterForm
    title = gettext_lazy("Start a quarterly filing")
    success_message = gettext_lazy(
        "The filing has been compiled from the quarter's decided matters. Check it, then submit it.")

    def save(self, form):
        d = form.cleaned_data
        return services.filing_create(user=self.request.user, township=d["township"], year=d["quarter"].year,
                                      quarter=d["quarter"].quarter)


class FilingDetailView(ScopedObjectMixin, DetailView):
    permission_required = "assemblies.view_filing"
    template_name = "assemblies/filing_detail.html"
    context_object_name = "filing"
    object_selector = filing_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matters = filing_matters(self.object)
        ctx["matters"] = matters
        ctx["typical"] = [m for m in matters if m["is_typical"]]
        ctx["totals"] = self.object.snapshot.get("totals", {})
        ctx["return_form"] = forms.ReturnForm()
        if self.request.user.has_perm("assemblies.acknowledge_filing"):
            following = filing_next_waiting(user=self.request.user, filing=self.object)
            ctx.update(reviewer=True, next_waiting_url=following.get_absolute_url() if following else "",
                       next_waiting_label=following.township.name if following else "")
        return ctx


class FilingPdfView(ScopedObjectMixin, View):
    """The filing's register (its frozen copy once submitted) as an official document to print and file."""

    permission_required = "assemblies.view_filing"
    object_selector = filing_get

    def get(self, request, *args, **kwargs):
        filing = self.object
        data = filing_document(filing, filing_matters(filing))
        body = to_pdf(data, issuer=document_issuer(user=request.user, county=filing.township.county),
                      prepared_by=str(request.user))
        return pdf_response(body, _("%(title)s.pdf") % {"title": data.title})


class FilingTransitionView(TransitionView):
    permission_denied_as_message = True
    lookup_first = False
    object_selector = filing_get
    object_kwarg = "filing"
    transitions = {
        "compile": Transition(services.filing_compile, "assemblies.change_filing",
                              gettext_lazy("The filing has been compiled again from the records.")),
        "submit": Transition(services.filing_submit, "assemblies.submit_filing",
                             gettext_lazy("The filing has been submitted to the county. This copy is now frozen.")),
        "acknowledge": Transition(services.filing_acknowledge, "assemblies.acknowledge_filing",
                                  gettext_lazy("The filing has been acknowledged and is locked.")),
        "return": Transition(services.filing_return, "assemblies.acknowledge_filing",
                             gettext_lazy("The filing has been returned to the township."), with_reason=True),
    }


class HouseholdImportView(ImportView):
    """Households and their representatives from Excel: preview, then confirm (core.imports.ImportView)."""

    permission_required = "assemblies.add_household"
    kind = "assemblies.households"
    title = gettext_lazy("Import households and representatives")
    intro = gettext_lazy("Households already recorded are updated; a different representative is recorded as a "
                         "change; a representative not yet recorded is added as a person.")
    template_filename = gettext_lazy("household import template.xlsx")
    subnav_template = "assemblies/_subnav.html"

    def get_spec(self):
        from .resources import HOUSEHOLD_SPEC

        return HOUSEHOLD_SPEC

    def run(self, sheet, *, user, dry_run):
        from .resources import household_run

        return household_run(sheet, user=user, dry_run=dry_run)


class FilingBatchView(BatchTransitionView):
    """POST: acknowledge, or return with one reason, many submitted filings at once (the county)."""

    batch_selector = filing_batch
    object_kwarg = "filing"
    list_url = "assemblies:filing_list"
    title = gettext_lazy("Quarterly filings")
    transitions = {"accept": FilingTransitionView.transitions["acknowledge"],
                   "return": FilingTransitionView.transitions["return"]}
    done_messages = {**BatchTransitionView.done_messages, "accept": gettext_lazy("Acknowledged %(n)d.")}
    confirm_labels = {**BatchTransitionView.confirm_labels,
                      "accept": gettext_lazy("Acknowledge these and lock them")}
