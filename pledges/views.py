"""Thin views: objects come from scoped selectors (404 outside scope), writes go through services."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import DetailView, TemplateView, View

from core.documents import DocumentNumber
from core.periods import Quarter
from core.views import (
    BatchTransitionView,
    PortalPermissionMixin,
    ScopedListView,
    ScopedObjectMixin,
    ServiceFormView,
    TransitionView,
    review_status_param,
    review_transitions,
    year_param,
)
from core.workflow import ReviewStatus
from villages.selectors import document_issuer, township_list, village_get

from . import selectors, services
from .choices import PledgeKind
from .filters import CadreFilter, PledgeFilter, RectificationFilter
from .forms import (
    STATUS_CHOICES,
    AdoptionForm,
    ArchiveEntryForm,
    MeetingForm,
    PledgeForm,
    PledgeItemForm,
    RectificationForm,
    RectificationOpenForm,
    ReturnForm,
    WithdrawForm,
)


def _township(request):
    value = request.GET.get("township")
    if not value:
        return None
    try:
        return township_list(user=request.user).get(pk=value)
    except Exception:
        raise Http404


# Pledges -----------------------------------------------------------------------------------------------------------

class PledgeListView(ScopedListView):
    permission_required = "pledges.view_pledge"
    filterset_class = PledgeFilter
    template_name = "pledges/pledge_list.html"
    list_selector = selectors.pledge_list


class AdoptionOverviewView(PortalPermissionMixin, TemplateView):
    permission_required = "pledges.view_pledge"
    template_name = "pledges/pledge_adoption.html"

    def get_context_data(self, **kwargs):
        year = year_param(self.request)
        villages = selectors.adoption_by_village(user=self.request.user, year=year, township=_township(self.request))
        return super().get_context_data(year=year, villages=villages, townships=township_list(user=self.request.user),
                                        **kwargs)


class PledgeCreateView(ServiceFormView):
    permission_required = "pledges.add_pledge"
    form_class = PledgeForm

    def lookup(self, request, **kwargs):
        self.village = village_get(user=request.user, code=kwargs["code"])
        self.title = _("New pledge for %(village)s") % {"village": self.village.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "village": self.village}

    def get_initial(self):
        return {"year": timezone.localdate().year, "kind": PledgeKind.ANNUAL}

    def get_success_url(self):
        return reverse("pledges:pledge_list") + f"?village={self.village.pk}"

    success_message = gettext_lazy("The pledge has been recorded; now add its items.")

    def perform(self, form):
        d = form.cleaned_data
        return services.pledge_create(user=self.request.user, village=self.village, kind=d["kind"], year=d["year"],
                                      person=d["person"], committee=d["committee"], term_end_year=d["term_end_year"])


class PledgeDetailView(ScopedObjectMixin, DetailView):
    permission_required = "pledges.view_pledge"
    template_name = "pledges/pledge_detail.html"
    context_object_name = "pledge"
    object_selector = selectors.pledge_get

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.object.person_id:
            ctx["fulfilment"] = selectors.pledge_fulfilment_rate(user=self.request.user, person=self.object.person_id,
                                                                 year=self.object.year)
        return ctx


class PledgeAdoptView(ServiceFormView):
    permission_required = "pledges.change_pledge"
    form_class = AdoptionForm
    success_message = gettext_lazy("The adoption has been saved.")

    def lookup(self, request, **kwargs):
        self.pledge = selectors.pledge_get(user=request.user, pk=kwargs["pk"])
        self.title = _("Adoption of %(pledge)s") % {"pledge": self.pledge}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.pledge}

    def get_success_url(self):
        return self.pledge.get_absolute_url()

    def perform(self, form):
        pledge = selectors.pledge_get(user=self.request.user, pk=self.pledge.pk)
        services.pledge_adopt(user=self.request.user, pledge=pledge,
                              **{f: form.cleaned_data[f] for f in AdoptionForm.Meta.fields})


class PledgeCopyView(ScopedObjectMixin, TemplateView):
    permission_required = "pledges.add_pledge"
    template_name = "pledges/pledge_copy.html"

    def lookup(self, request, **kwargs):
        self.pledge = selectors.pledge_get(user=request.user, pk=kwargs["pk"])
        if self.pledge.kind != PledgeKind.ANNUAL:
            raise Http404

    def get_context_data(self, **kwargs):
        return super().get_context_data(pledge=self.pledge, next_year=self.pledge.year + 1, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            new = services.pledge_copy_to_next_year(user=request.user, pledge=self.pledge)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
            return redirect(self.pledge)
        messages.success(request, _("%(year)s's pledge has been started from %(old)s's; check and adjust its items.")
                         % {"year": new.year, "old": self.pledge.year})
        return redirect(new)


class PledgeItemCreateView(ServiceFormView):
    permission_required = "pledges.change_pledge"
    form_class = PledgeItemForm
    success_message = gettext_lazy("The item has been added.")

    def lookup(self, request, **kwargs):
        self.pledge = selectors.pledge_get(user=request.user, pk=kwargs["pk"])
        self.title = _("New item of %(pledge)s") % {"pledge": self.pledge}

    def get_initial(self):
        return {"position": len(self.pledge.items.all()) + 1}

    def get_success_url(self):
        return self.pledge.get_absolute_url()

    def perform(self, form):
        services.pledge_item_add(user=self.request.user, pledge=self.pledge, **form.cleaned_data)


class PledgeItemUpdateView(ServiceFormView):
    permission_required = "pledges.change_pledge"
    form_class = PledgeItemForm
    success_message = gettext_lazy("The item has been saved.")

    def lookup(self, request, **kwargs):
        self.item = selectors.pledge_item_get(user=request.user, pk=kwargs["pk"])
        self.title = _("Edit item of %(pledge)s") % {"pledge": self.item.pledge}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.item}

    def get_success_url(self):
        return self.item.pledge.get_absolute_url()

    def perform(self, form):
        item = selectors.pledge_item_get(user=self.request.user, pk=self.item.pk)
        services.pledge_item_update(user=self.request.user, item=item, **form.cleaned_data)


# Quarterly reviews -------------------------------------------------------------------------------------------------

def _quarter(text) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError:
        raise Http404


def _default_quarter() -> Quarter:
    """The last finished quarter: the one reviewed now."""
    today = timezone.localdate()
    q = Quarter.of(today)
    return Quarter(q.year - 1, 4) if q.quarter == 1 else Quarter(q.year, q.quarter - 1)


REVIEW_TRANSITIONS = review_transitions(services, "quarterly_review",
                                        submit_permission="pledges.submit_quarterlyreview",
                                        review_permission="pledges.accept_quarterlyreview")


class ReviewListView(PortalPermissionMixin, TemplateView):
    """The villages' reviews of a quarter, by township and status; the county sees what waits for it by default
    and accepts or returns many at once (ReviewBatchView)."""

    permission_required = "pledges.view_quarterlyreview"
    template_name = "pledges/review_list.html"

    def get_context_data(self, **kwargs):
        quarter = _quarter(self.request.GET["quarter"]) if self.request.GET.get("quarter") else _default_quarter()
        reviewer = self.request.user.has_perm("pledges.accept_quarterlyreview")
        status, waiting_default = review_status_param(self.request, reviewer=reviewer)
        villages = selectors.review_overview(user=self.request.user, quarter=quarter, township=_township(self.request),
                                             status=status)
        quarters = [Quarter(y, q) for y in range(quarter.year - 1, quarter.year + 2) for q in (1, 2, 3, 4)]
        statuses = [("", _("Any status")), *ReviewStatus.choices, ("missing", _("Not recorded"))]
        return super().get_context_data(quarter=quarter, villages=villages, quarters=quarters, status=status,
                                        statuses=statuses, waiting_default=waiting_default, batch=reviewer,
                                        townships=township_list(user=self.request.user), **kwargs)


class ReviewBatchView(BatchTransitionView):
    """POST: accept, or return with one reason, many submitted quarterly reviews at once (the county)."""

    batch_selector = selectors.quarterly_review_batch
    object_kwarg = "review"
    list_url = "pledges:review_list"
    title = gettext_lazy("Quarterly pledge reviews")
    transitions = {step: t for step, t in REVIEW_TRANSITIONS.items() if step != "submit"}


class ReviewMixin(ScopedObjectMixin):
    def lookup(self, request, **kwargs):
        self.village = village_get(user=request.user, code=kwargs["code"])
        self.quarter = _quarter(kwargs["quarter"])
        self.review = selectors.quarterly_review_find(user=request.user, village=self.village, quarter=self.quarter)

    def review_url(self):
        return reverse("pledges:review_detail", kwargs={"code": self.village.code, "quarter": str(self.quarter)})


class ReviewDetailView(ReviewMixin, TemplateView):
    """The review grid: the meeting and every item's status and comment; saving refuses locked or stale quarters."""

    permission_required = "pledges.view_quarterlyreview"
    template_name = "pledges/review_detail.html"

    def get_context_data(self, meeting_form=None, posted=None, errors=None, **kwargs):
        kwargs.pop("code", None)
        kwargs.pop("quarter", None)
        items = selectors.review_grid(user=self.request.user, village=self.village, quarter=self.quarter,
                                      review=self.review)
        for item in items:
            if posted is not None:
                item.form_status, item.form_comment = posted.get(item.pk, ("", ""))
            else:
                item.form_status = item.current.status if item.current else ""
                item.form_comment = item.current.comment if item.current else ""
        if meeting_form is None:
            meeting_form = MeetingForm(instance=self.review)
        can_edit = self.request.user.has_perm("pledges.change_quarterlyreview") and (
            self.review is None or self.review.is_editable)
        rects = selectors.rectification_list(user=self.request.user, review=self.review) if self.review else []
        return super().get_context_data(
            village=self.village, quarter=self.quarter, review=self.review, items=items, meeting_form=meeting_form,
            status_choices=STATUS_CHOICES, can_edit=can_edit, version=self.review.version if self.review else 0,
            errors=errors or [], rectifications=rects,
            return_form=ReturnForm(), **self.next_waiting(), **kwargs)

    def next_waiting(self) -> dict:
        if not self.request.user.has_perm("pledges.accept_quarterlyreview"):
            return {}
        following = selectors.quarterly_review_next_waiting(user=self.request.user, village=self.village,
                                                            quarter=self.quarter)
        return {"reviewer": True, "next_waiting_label": following.name if following else "",
                "next_waiting_url": reverse("pledges:review_detail", kwargs={
                    "code": following.code, "quarter": str(self.quarter)}) if following else ""}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("pledges.change_quarterlyreview"):
            raise PermissionDenied
        form = MeetingForm(request.POST, instance=self.review)
        item_ids = [i.pk for i in selectors.review_grid(user=request.user, village=self.village, quarter=self.quarter,
                                                        review=None)]
        posted = {pk: (request.POST.get(f"status-{pk}", ""), request.POST.get(f"comment-{pk}", "")) for pk in item_ids}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(meeting_form=form, posted=posted))
        try:
            review = self.review or services.quarterly_review_get_or_create(user=request.user, village=self.village,
                                                                            quarter=self.quarter)
            try:
                version = int(request.POST["version"])
            except (KeyError, ValueError):
                version = None
            services.quarterly_review_save(
                user=request.user, review=review, expected_version=version if version is not None else review.version,
                meeting={f: form.cleaned_data[f] for f in MeetingForm.Meta.fields}, statuses=posted,
            )
        except ValidationError as exc:
            self.review = selectors.quarterly_review_find(user=request.user, village=self.village, quarter=self.quarter)
            refused = getattr(exc, "code", "") in ("stale_edit", "period_locked", "period_submitted")
            return self.render_to_response(self.get_context_data(meeting_form=form, posted=posted, errors=exc.messages),
                                           status=409 if refused else 200)
        messages.success(request, _("The review of %(period)s has been saved.") % {"period": review.period_label()})
        return redirect(self.review_url())


class ReviewTransitionView(ReviewMixin, TransitionView):
    object_kwarg = "review"
    transitions = REVIEW_TRANSITIONS

    def get_object(self):
        if self.review is None:
            raise Http404
        return self.review

    def target(self, review):
        return self.review_url()


# Rectifications ----------------------------------------------------------------------------------------------------

class RectificationListView(ScopedListView):
    permission_required = "pledges.view_rectification"
    filterset_class = RectificationFilter
    template_name = "pledges/rectification_list.html"
    list_selector = selectors.rectification_list

    def get_context_data(self, **kwargs):
        return super().get_context_data(overdue_count=selectors.overdue_count(user=self.request.user), **kwargs)


class RectificationOpenView(ReviewMixin, ServiceFormView):
    permission_required = "pledges.add_rectification"
    form_class = RectificationOpenForm
    success_message = gettext_lazy("The rectification has been opened.")

    def lookup(self, request, **kwargs):
        super().lookup(request, **kwargs)
        if self.review is None:
            raise Http404
        self.title = _("Problem found in %(period)s: open a rectification") % {"period": self.review.period_label()}

    def get_form_kwargs(self):
        from .services import review_items

        return {**super().get_form_kwargs(), "items": review_items(village=self.village, year=self.quarter.year)}

    def get_initial(self):
        initial = {}
        if self.request.GET.get("item"):
            initial["item"] = self.request.GET["item"]
        return initial

    def get_success_url(self):
        return self.review_url()

    def perform(self, form):
        services.rectification_open(user=self.request.user, review=self.review, **form.cleaned_data)


class RectificationUpdateView(ServiceFormView):
    permission_required = "pledges.change_rectification"
    form_class = RectificationForm
    success_message = gettext_lazy("The rectification has been saved.")

    def lookup(self, request, **kwargs):
        self.rectification = selectors.rectification_get(user=request.user, pk=kwargs["pk"])
        self.title = _("Rectification in %(village)s") % {"village": self.rectification.village.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.rectification}

    def get_success_url(self):
        return reverse("pledges:rectification_list")

    def perform(self, form):
        rect = selectors.rectification_get(user=self.request.user, pk=self.rectification.pk)
        services.rectification_update(user=self.request.user, rectification=rect,
                                      **{f: form.cleaned_data[f] for f in RectificationForm.Meta.fields})


# Cadres and archives -----------------------------------------------------------------------------------------------

class CadreListView(ScopedListView):
    """Cadres with this year's fulfilment and which archive categories are still empty (completeness)."""

    permission_required = "pledges.view_archiveentry"
    filterset_class = CadreFilter
    template_name = "pledges/cadre_list.html"
    list_selector = selectors.cadre_list

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = year_param(self.request)
        cadres = list(ctx["object_list"])
        rates = selectors.pledge_fulfilment_rates(user=self.request.user, persons=cadres, year=year)
        from .selectors import ARCHIVE_GAP_CATEGORIES, Fulfilment

        for c in cadres:
            c.fulfilment = rates.get(c.pk, Fulfilment())
            c.flags = [getattr(c, f"has_{cat.value}") for cat in ARCHIVE_GAP_CATEGORIES]
        ctx.update(cadres=cadres, year=year, categories=ARCHIVE_GAP_CATEGORIES)
        return ctx


class ArchiveDetailView(ScopedObjectMixin, TemplateView):
    permission_required = "pledges.view_archiveentry"
    template_name = "pledges/archive_detail.html"

    def lookup(self, request, **kwargs):
        self.cadre = selectors.cadre_get(user=request.user, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(**selectors.cadre_archive(user=self.request.user, person=self.cadre), **kwargs)


class ArchivePdfView(ArchiveDetailView):
    def get(self, request, *args, **kwargs):
        from core.pdf import render_pdf

        ctx = selectors.cadre_archive(user=request.user, person=self.cadre)
        printed_at = timezone.localtime()
        title = _("Village cadre archive: %(name)s") % {"name": self.cadre.name}
        body = render_pdf(
            "pledges/archive_pdf.html", {**ctx, "title": title, "printed_at": printed_at},
            issuer=document_issuer(user=request.user, county=self.cadre.village.township.county),
            number=DocumentNumber(pgettext("document kind", "Archive"), printed_at.year, self.cadre.pk,
                                  self.cadre.village.code),
            prepared_by=str(request.user), request=request)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(
            False, _("%(name)s village cadre archive.pdf") % {"name": self.cadre.name})
        return response


class ArchiveEntryCreateView(ServiceFormView):
    permission_required = "pledges.add_archiveentry"
    form_class = ArchiveEntryForm
    success_message = gettext_lazy("The material has been added to the archive.")

    def lookup(self, request, **kwargs):
        self.cadre = selectors.cadre_get(user=request.user, pk=kwargs["pk"])
        self.title = _("Add material to %(name)s's archive") % {"name": self.cadre.name}

    def get_initial(self):
        return {"category": self.request.GET.get("category", "")}

    def get_success_url(self):
        return reverse("pledges:archive_detail", kwargs={"pk": self.cadre.pk})

    def perform(self, form):
        d = form.cleaned_data
        services.archive_entry_add(user=self.request.user, person=self.cadre, category=d["category"], title=d["title"],
                                   date=d["date"], description=d["description"], uploaded_file=d["uploaded_file"])


class ArchiveEntryWithdrawView(ServiceFormView):
    permission_required = "pledges.change_archiveentry"
    form_class = WithdrawForm
    success_message = gettext_lazy("The entry has been withdrawn; it stays in the archive, marked withdrawn.")

    def lookup(self, request, **kwargs):
        self.entry = selectors.archive_entry_get(user=request.user, pk=kwargs["pk"])
        self.title = _("Withdraw “%(title)s” from the archive") % {"title": self.entry.title}

    def get_success_url(self):
        return reverse("pledges:archive_detail", kwargs={"pk": self.entry.person_id})

    def perform(self, form):
        services.archive_entry_withdraw(user=self.request.user, entry=self.entry, reason=form.cleaned_data["reason"])


class ArchiveEntryFileView(ScopedObjectMixin, View):
    """The uploaded file, only for users whose scope covers the cadre (404 otherwise)."""

    permission_required = "pledges.view_archiveentry"

    def lookup(self, request, **kwargs):
        self.entry = selectors.archive_entry_get(user=request.user, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        try:
            handle = self.entry.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404(_("The file is missing from storage."))
        response = FileResponse(handle, content_type=self.entry.content_type, filename=self.entry.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
