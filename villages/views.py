from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from core import hooks
from core.imports import ImportView
from core.queue import work_queue
from core.views import ScopedListView, ScopedObjectMixin, ServiceFormView, paginate

from . import resources, selectors, services
from .filters import PersonFilter, VillageFilter
from .forms import CadrePostForm, PersonForm


class VillageListView(ScopedListView):
    permission_required = "villages.view_village"
    filterset_class = VillageFilter
    template_name = "villages/village_list.html"
    paginate_by = 100
    list_selector = selectors.village_list


class VillageDetailView(ScopedObjectMixin, DetailView):
    """The village page; its party-member roster is paginated (?page=N) like the portal's lists."""

    permission_required = "villages.view_village"
    template_name = "villages/village_detail.html"
    context_object_name = "village"
    object_selector = selectors.village_get
    lookup_kwarg = "code"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        posts = selectors.cadre_post_list(user=self.request.user, village=self.object)
        ctx["current_posts"] = posts.filter(end_date__isnull=True)
        ctx["former_posts"] = posts.filter(end_date__isnull=False).order_by("-end_date")
        members = selectors.village_party_members(user=self.request.user, village=self.object)
        ctx.update(paginate(self.request, members))
        ctx["members"] = ctx["page_obj"].object_list
        # Everything of the village the user may open, from the apps that hold it (core.hooks).
        ctx["links"] = hooks.village_links(user=self.request.user, village=self.object)
        return ctx


class PersonListView(ScopedListView):
    permission_required = "villages.view_person"
    filterset_class = PersonFilter
    template_name = "villages/person_list.html"

    def get_queryset(self):
        return selectors.person_list(user=self.request.user).order_by("village__code", "name", "pk")


class PersonDetailView(ScopedObjectMixin, DetailView):
    permission_required = "villages.view_person"
    template_name = "villages/person_detail.html"
    context_object_name = "person"
    object_selector = selectors.person_get


class PersonRevealView(PersonDetailView):
    """POST: show the person page with the full ID and phone numbers, recording who looked."""

    permission_required = "villages.view_full_id_number"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.personal_data_reveal(user=request.user, person=self.object)
        return self.render_to_response(self.get_context_data(object=self.object, revealed=True))


class PersonCreateView(ServiceFormView):
    permission_required = "villages.add_person"
    form_class = PersonForm
    title = gettext_lazy("Add a person")
    success_message = gettext_lazy("%(name)s has been added.")
    object = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_initial(self):
        initial = super().get_initial()
        code = self.request.GET.get("village")
        if code and self.object is None:
            initial["village"] = selectors.village_get(user=self.request.user, code=code)
        return initial

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object else reverse("villages:person_list")

    def success_message_args(self, person):
        return {"name": person.name}

    def perform(self, form):
        return services.person_create(user=self.request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})


class PersonUpdateView(PersonCreateView):
    permission_required = "villages.change_person"
    title = gettext_lazy("Edit person")
    success_message = gettext_lazy("Changes to %(name)s have been saved.")
    object_selector = selectors.person_get

    def get_context_data(self, **kwargs):
        heading = _("Edit %(name)s") % {"name": self.object.name}
        return super().get_context_data(person=self.object, heading=heading, **kwargs)

    def perform(self, form):
        return services.person_update(user=self.request.user, person=self.object,
                                      **{f: form.cleaned_data[f] for f in form.Meta.fields})


class CadrePostCreateView(ServiceFormView):
    permission_required = "villages.add_cadrepost"
    form_class = CadrePostForm
    title = gettext_lazy("Cadre post")
    success_message = gettext_lazy("The post has been recorded.")
    cadre_post = None

    def lookup(self, request, **kwargs):
        self.village = selectors.village_get(user=request.user, code=kwargs["code"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "village": self.village,
                "instance": self.cadre_post}

    def get_cancel_url(self):
        return self.village.get_absolute_url()

    def get_context_data(self, **kwargs):
        action = _("Edit the post") if self.cadre_post else _("Record a post")
        heading = f"{action} · {self.village.township.name} {self.village.name}"
        return super().get_context_data(village=self.village, cadre_post=self.cadre_post, heading=heading, **kwargs)

    def perform(self, form):
        services.cadre_post_create(user=self.request.user, village=self.village,
                                   **{f: form.cleaned_data[f] for f in form.Meta.fields})
        return self.village


class CadrePostUpdateView(CadrePostCreateView):
    permission_required = "villages.change_cadrepost"
    success_message = gettext_lazy("The post has been saved.")

    def lookup(self, request, **kwargs):
        self.cadre_post = selectors.cadre_post_get(user=request.user, pk=kwargs["pk"])
        self.village = self.cadre_post.village

    def perform(self, form):
        services.cadre_post_update(user=self.request.user, cadre_post=self.cadre_post,
                                   **{f: form.cleaned_data[f] for f in form.Meta.fields})
        return self.village


class HomeView(LoginRequiredMixin, TemplateView):
    """The overview: the townships (or a township's villages) in the user's scope, and the work queue of every
    initiative (core.queue)."""

    template_name = "villages/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        townships = selectors.township_summary_list(user=self.request.user)
        pages = paginate(self.request, townships)  # the totals are over all of them
        # A region's account sees several counties' townships (whose names may repeat): each with its county.
        ctx.update(pages, townships=pages["page_obj"].object_list,
                   region_wide=selectors.region_wide(user=self.request.user))
        ctx["totals"] = {
            "townships": len(townships),
            "villages": sum(t.village_count for t in townships),
            "members": sum(t.member_count for t in townships),
            "cadres": sum(t.cadre_count for t in townships),
        }
        if len(townships) == 1:
            ctx["villages"] = selectors.village_list(user=self.request.user)
        ctx["queue"] = work_queue(user=self.request.user)
        return ctx


class OrganisationImportView(ImportView):
    """The county's townships and villages from Excel (乡镇代码, 乡镇名称, 村代码, 村名称): county officials only."""

    permission_required = "villages.import_organisation"
    kind = "villages.organisation"
    title = gettext_lazy("Import townships and villages")
    intro = gettext_lazy("Townships and villages are matched by code: a new code is added to your county, a "
                         "recorded one takes the name given. A village cannot move to another township.")
    template_filename = gettext_lazy("organisation import template.xlsx")
    spec = resources.ORGANISATION_SPEC

    def run(self, sheet, *, user, dry_run):
        return resources.organisation_run(sheet, user=user, dry_run=dry_run)

    def get_success_url(self):
        return reverse("villages:village_list")


class PersonImportView(ImportView):
    """People from Excel, created or updated by ID number, in the user's villages."""

    permission_required = "villages.import_person"
    kind = "villages.people"
    title = gettext_lazy("Import people")
    intro = gettext_lazy("People are matched by ID number: a new number is added, a recorded one is updated. Gender "
                         "and birth date may be left empty (they follow from the ID number); when given they must "
                         "match it.")
    template_filename = gettext_lazy("people import template.xlsx")
    spec = resources.PERSON_SPEC

    def run(self, sheet, *, user, dry_run):
        return resources.people_run(sheet, user=user, dry_run=dry_run)

    def get_success_url(self):
        return reverse("villages:person_list")


class CadrePostImportView(ImportView):
    """Cadre posts from Excel; the people must be recorded first (the people import)."""

    permission_required = "villages.import_cadrepost"
    kind = "villages.posts"
    title = gettext_lazy("Import cadre posts")
    intro = gettext_lazy("Each row is a post held by a person already recorded in your area (import the people "
                         "first). A post of the same person, village and post from the same start date is updated.")
    template_filename = gettext_lazy("cadre post import template.xlsx")
    spec = resources.POST_SPEC

    def run(self, sheet, *, user, dry_run):
        return resources.cadre_posts_run(sheet, user=user, dry_run=dry_run)

    def get_success_url(self):
        return reverse("villages:village_list")
