from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from core.queue import work_queue
from core.views import PortalPermissionMixin, form_add_service_errors

from . import services
from .filters import PersonFilter, VillageFilter
from .forms import CadrePostForm, PersonForm
from .selectors import (
    cadre_post_get,
    cadre_post_list,
    person_get,
    person_list,
    township_summary_list,
    village_get,
    village_list,
    village_party_members,
)


class ScopedFilterView(PortalPermissionMixin, FilterView):
    paginate_by = 50

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs


class VillageListView(ScopedFilterView):
    permission_required = "villages.view_village"
    filterset_class = VillageFilter
    template_name = "villages/village_list.html"
    paginate_by = 100

    def get_queryset(self):
        return village_list(user=self.request.user)


class VillageDetailView(PortalPermissionMixin, DetailView):
    permission_required = "villages.view_village"
    template_name = "villages/village_detail.html"
    context_object_name = "village"

    def get_object(self, queryset=None):
        return village_get(user=self.request.user, code=self.kwargs["code"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posts = cadre_post_list(user=self.request.user, village=self.object)
        ctx["current_posts"] = posts.filter(end_date__isnull=True)
        ctx["former_posts"] = posts.filter(end_date__isnull=False).order_by("-end_date")
        ctx["members"] = village_party_members(user=self.request.user, village=self.object)
        return ctx


class PersonListView(ScopedFilterView):
    permission_required = "villages.view_person"
    filterset_class = PersonFilter
    template_name = "villages/person_list.html"

    def get_queryset(self):
        return person_list(user=self.request.user).order_by("village__code", "name", "pk")


class PersonDetailView(PortalPermissionMixin, DetailView):
    permission_required = "villages.view_person"
    template_name = "villages/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return person_get(user=self.request.user, pk=self.kwargs["pk"])


class PersonRevealView(PortalPermissionMixin, DetailView):
    """POST: show the person page with the full ID and phone numbers, recording who looked."""

    permission_required = "villages.view_full_id_number"
    template_name = "villages/person_detail.html"
    context_object_name = "person"
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = person_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        services.personal_data_reveal(user=request.user, person=self.object)
        return self.render_to_response(self.get_context_data(object=self.object, revealed=True))


class PersonFormView(PortalPermissionMixin, FormView):
    form_class = PersonForm
    template_name = "villages/person_form.html"
    person = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, instance=self.person)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        code = self.request.GET.get("village")
        if code and self.person is None:
            initial["village"] = village_get(user=self.request.user, code=code)
        return initial

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.person is None:
                person = services.person_create(user=self.request.user, **data)
                messages.success(self.request, _("%(name)s has been added.") % {"name": person.name})
            else:
                person = services.person_update(user=self.request.user, person=self.person, **data)
                messages.success(self.request, _("Changes to %(name)s have been saved.") % {"name": person.name})
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(person)


class PersonCreateView(PersonFormView):
    permission_required = "villages.add_person"


class PersonUpdateView(PersonFormView):
    permission_required = "villages.change_person"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.person = person_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


class CadrePostFormView(PortalPermissionMixin, FormView):
    form_class = CadrePostForm
    template_name = "villages/cadrepost_form.html"
    cadre_post = None
    village = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, village=self.village, instance=self.cadre_post)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(village=self.village, cadre_post=self.cadre_post, **kwargs)

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.cadre_post is None:
                services.cadre_post_create(user=self.request.user, village=self.village, **data)
                messages.success(self.request, _("The post has been recorded."))
            else:
                services.cadre_post_update(user=self.request.user, cadre_post=self.cadre_post, **data)
                messages.success(self.request, _("The post has been saved."))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        return redirect(self.village)


class CadrePostCreateView(CadrePostFormView):
    permission_required = "villages.add_cadrepost"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.village = village_get(user=request.user, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)


class CadrePostUpdateView(CadrePostFormView):
    permission_required = "villages.change_cadrepost"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.cadre_post = cadre_post_get(user=request.user, pk=kwargs["pk"])
            self.village = self.cadre_post.village
        return super().dispatch(request, *args, **kwargs)


class HomeView(LoginRequiredMixin, TemplateView):
    """The overview: the townships (or a township's villages) in the user's scope, and the work queue of every
    initiative (core.queue)."""

    template_name = "villages/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        townships = list(township_summary_list(user=self.request.user))
        ctx["townships"] = townships
        ctx["totals"] = {
            "villages": sum(t.village_count for t in townships),
            "members": sum(t.member_count for t in townships),
            "cadres": sum(t.cadre_count for t in townships),
        }
        if len(townships) == 1:
            ctx["villages"] = village_list(user=self.request.user)
        ctx["queue"] = work_queue(user=self.request.user)
        return ctx
