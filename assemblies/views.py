from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from core.views import PortalPermissionMixin, RecordActionView, form_add_service_errors

from . import forms, services
from .filters import MatterFilter, MeetingFilter
from .models import MODEL_VILLAGES_MAX, MODEL_VILLAGES_MIN, OPEN_MATTER_FLAG_DAYS, QUORUM_RULE
from .selectors import (
    discussion_point_get, discussion_point_list, filing_get, filing_list, household_get,
    household_list, inspection_get, inspection_list, matter_get, matter_list, meeting_get, meeting_list,
    model_village_get, model_village_list, model_village_summary, representative_change_list, village_get,
    village_list,
)


class VillageListView(PortalPermissionMixin, ListView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/village_list.html"
    context_object_name = "villages"
    paginate_by = 100

    def get_queryset(self):
        return village_list(user=self.request.user)


class VillageDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/village_detail.html"
    context_object_name = "village"

    def get_object(self, queryset=None):
        return village_get(user=self.request.user, code=self.kwargs["code"])

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


class _VillageScopedForm(PortalPermissionMixin, FormView):
    """A form about one village (from the URL's code or an object's village)."""

    village = None
    obj = None

    def load(self, request, **kwargs):
        self.village = village_get(user=request.user, code=kwargs["code"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.load(request, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, village=self.village)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(village=self.village, object=self.obj, title=self.title, **kwargs)

    def form_valid(self, form):
        try:
            target = self.save(form)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(target)


def _fields(form):
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


class HouseholdCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_household"
    form_class = forms.HouseholdForm
    template_name = "assemblies/form.html"
    title = gettext_lazy("Add a household")
    success_message = gettext_lazy("The household has been added.")

    def save(self, form):
        return services.household_create(user=self.request.user, village=self.village, **_fields(form))


class HouseholdUpdateView(_VillageScopedForm):
    permission_required = "assemblies.change_household"
    form_class = forms.HouseholdForm
    template_name = "assemblies/form.html"
    title = gettext_lazy("Edit household")
    success_message = gettext_lazy("The household has been saved.")

    def load(self, request, **kwargs):
        self.obj = household_get(user=request.user, pk=kwargs["pk"])
        self.village = self.obj.village

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.household_update(user=self.request.user, household=self.obj, **_fields(form))


class HouseholdDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_household"
    template_name = "assemblies/household_detail.html"
    context_object_name = "household"

    def get_object(self, queryset=None):
        return household_get(user=self.request.user, pk=self.kwargs["pk"])

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
    template_name = "assemblies/form.html"
    title = gettext_lazy("Add a discussion point")
    success_message = gettext_lazy("The discussion point has been added.")

    def save(self, form):
        services.discussion_point_create(user=self.request.user, village=self.village, **_fields(form))
        return reverse("assemblies:village_detail", kwargs={"code": self.village.code})


class DiscussionPointUpdateView(DiscussionPointCreateView):
    permission_required = "assemblies.change_discussionpoint"
    title = gettext_lazy("Edit discussion point")
    success_message = gettext_lazy("The discussion point has been saved.")

    def load(self, request, **kwargs):
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
    template_name = "assemblies/form.html"
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


class MeetingListView(PortalPermissionMixin, FilterView):
    permission_required = "assemblies.view_meeting"
    template_name = "assemblies/meeting_list.html"
    filterset_class = MeetingFilter
    paginate_by = 50

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_queryset(self):
        return meeting_list(user=self.request.user)


class MeetingCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_meeting"
    form_class = forms.MeetingForm
    template_name = "assemblies/form.html"
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

    def load(self, request, **kwargs):
        self.obj = meeting_get(user=request.user, pk=kwargs["pk"])
        self.village = self.obj.village

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.meeting_update(user=self.request.user, meeting=self.obj, **_fields(form))


class MeetingDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_meeting"
    template_name = "assemblies/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        return meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["matters"] = matter_list(user=self.request.user).filter(meeting=self.object)
        ctx["quorum_rule"] = QUORUM_RULE
        return ctx


class MatterCreateView(_VillageScopedForm):
    permission_required = "assemblies.add_matter"
    form_class = forms.MatterForm
    template_name = "assemblies/form.html"
    title = gettext_lazy("Record a decided matter")
    success_message = gettext_lazy("The decided matter has been recorded.")
    meeting = None

    def load(self, request, **kwargs):
        self.meeting = meeting_get(user=request.user, pk=kwargs["pk"])
        self.village = self.meeting.village

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user"), kwargs.pop("village")
        return {**kwargs, "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def save(self, form):
        services.matter_create(user=self.request.user, meeting=self.meeting, **_fields(form))
        return self.meeting


class MatterUpdateView(MatterCreateView):
    permission_required = "assemblies.change_matter"
    title = gettext_lazy("Edit decided matter")
    success_message = gettext_lazy("The decided matter has been saved.")

    def load(self, request, **kwargs):
        self.obj = matter_get(user=request.user, pk=kwargs["pk"])
        self.meeting = self.obj.meeting
        self.village = self.meeting.village

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.obj}

    def save(self, form):
        return services.matter_update(user=self.request.user, matter=self.obj, **_fields(form))


class MatterListView(MeetingListView):
    permission_required = "assemblies.view_matter"
    template_name = "assemblies/matter_list.html"
    filterset_class = MatterFilter

    def get_queryset(self):
        return matter_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(flag_days=OPEN_MATTER_FLAG_DAYS, **kwargs)


class MatterDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_matter"
    template_name = "assemblies/matter_detail.html"
    context_object_name = "matter"

    def get_object(self, queryset=None):
        return matter_get(user=self.request.user, pk=self.kwargs["pk"])

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

class _TownshipForm(PortalPermissionMixin, FormView):
    template_name = "assemblies/form.html"
    obj = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, object=self.obj, **kwargs)

    def form_valid(self, form):
        try:
            target = self.save(form)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You cannot do this."))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(target)


class InspectionListView(PortalPermissionMixin, ListView):
    permission_required = "assemblies.view_inspection"
    template_name = "assemblies/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 50

    def get_queryset(self):
        return inspection_list(user=self.request.user)


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


class InspectionDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_inspection"
    template_name = "assemblies/inspection_detail.html"
    context_object_name = "inspection"

    def get_object(self, queryset=None):
        return inspection_get(user=self.request.user, pk=self.kwargs["pk"])


class InspectionUpdateView(_TownshipForm):
    permission_required = "assemblies.change_inspection"
    form_class = forms.InspectionEditForm
    title = gettext_lazy("Edit inspection")
    success_message = gettext_lazy("The inspection has been saved; the facts were refreshed from the records.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.obj = inspection_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return {**kwargs, "instance": self.obj}

    def save(self, form):
        i = self.obj
        return services.inspection_save(user=self.request.user, township=i.township, year=i.year, quarter=i.quarter,
                                        inspection=i, **form.cleaned_data)


def _year(request):
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


class ModelVillageListView(PortalPermissionMixin, ListView):
    permission_required = "assemblies.view_modelvillage"
    template_name = "assemblies/modelvillage_list.html"
    context_object_name = "model_villages"

    def get_queryset(self):
        return model_village_list(user=self.request.user, year=_year(self.request))

    def get_context_data(self, **kwargs):
        year = _year(self.request)
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


class _ActionView(RecordActionView):
    permission_denied_as_message = True


class ModelVillageRemoveView(_ActionView):
    permission_required = "assemblies.delete_modelvillage"

    def get_object(self):
        return model_village_get(user=self.request.user, pk=self.kwargs["pk"])

    def act(self, obj):
        services.model_village_remove(user=self.request.user, model_village=obj)
        return _("%(village)s is no longer named for %(year)d.") % {"village": obj.village.name, "year": obj.year}

    def target(self, obj):
        return reverse("assemblies:modelvillage_list") + f"?year={obj.year}"


# Quarterly filings --------------------------------------------------------------------------------------------

class FilingListView(InspectionListView):
    permission_required = "assemblies.view_filing"
    template_name = "assemblies/filing_list.html"
    context_object_name = "filings"

    def get_queryset(self):
        return filing_list(user=self.request.user)


class FilingCreateView(_TownshipForm):
    permission_required = "assemblies.add_filing"
    form_class = forms.TownshipQuarterForm
    title = gettext_lazy("Start a quarterly filing")
    success_message = gettext_lazy("The filing has been compiled from the quarter's decided matters. Check it, then submit it.")

    def save(self, form):
        d = form.cleaned_data
        return services.filing_create(user=self.request.user, township=d["township"], year=d["quarter"].year,
                                      quarter=d["quarter"].quarter)


class FilingDetailView(PortalPermissionMixin, DetailView):
    permission_required = "assemblies.view_filing"
    template_name = "assemblies/filing_detail.html"
    context_object_name = "filing"

    def get_object(self, queryset=None):
        return filing_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        from .choices import MatterCategory, MatterStatus

        ctx = super().get_context_data(**kwargs)
        categories, statuses = dict(MatterCategory.choices), dict(MatterStatus.choices)
        matters = [
            {**m, "category_label": categories.get(m["category"], m["category"]),
             "status_label": statuses.get(m["status"], m["status"])}
            for m in self.object.snapshot.get("matters", [])
        ]
        ctx["matters"] = matters
        ctx["typical"] = [m for m in matters if m["is_typical"]]
        ctx["totals"] = self.object.snapshot.get("totals", {})
        ctx["return_form"] = forms.ReturnForm()
        return ctx


class _FilingAction(_ActionView):
    def get_object(self):
        return filing_get(user=self.request.user, pk=self.kwargs["pk"])


class FilingCompileView(_FilingAction):
    permission_required = "assemblies.change_filing"

    def act(self, filing):
        services.filing_compile(user=self.request.user, filing=filing)
        return _("The filing has been compiled again from the records.")


class FilingSubmitView(_FilingAction):
    permission_required = "assemblies.submit_filing"

    def act(self, filing):
        services.filing_submit(user=self.request.user, filing=filing)
        return _("The filing has been submitted to the county. This copy is now frozen.")


class FilingAcknowledgeView(_FilingAction):
    permission_required = "assemblies.acknowledge_filing"

    def act(self, filing):
        services.filing_acknowledge(user=self.request.user, filing=filing)
        return _("The filing has been acknowledged and is locked.")


class FilingReturnView(_FilingAction):
    permission_required = "assemblies.acknowledge_filing"

    def act(self, filing):
        services.filing_return(user=self.request.user, filing=filing, reason=self.request.POST.get("reason", ""))
        return _("The filing has been returned to the township.")
