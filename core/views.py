from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from django_filters.views import FilterView

from .history import history_get


class PortalPermissionMixin(PermissionRequiredMixin):
    """Anonymous → the login page; signed in without the permission → 403. Querysets come from scoped selectors."""

    raise_exception = False


def form_add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one, otherwise at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class RecordHistoryView(PortalPermissionMixin, TemplateView):
    """Who changed what and when, old → new, for one record in the user's scope (county officials)."""

    permission_required = "accounts.view_audit_trail"
    template_name = "core/record_history.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(history_get(user=self.request.user, app_label=kwargs["app_label"], model_name=kwargs["model_name"],
                               pk=kwargs["pk"]))
        return ctx


def csrf_failure(request, reason=""):
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)


# Generic views (the shape of NetBox's netbox/views/generic: ObjectListView, ObjectView, ObjectEditView), scoped:
# every queryset and object comes from the app's selector called with request.user; an app's view names its
# selector, filterset, form, service and messages, and keeps only what is its own.

def _call(selector, **kwargs):
    """Call a selector or service stored as a class attribute (a plain function, not a method)."""
    return getattr(selector, "__func__", selector)(**kwargs)


def year_param(request) -> int:
    """The year a page asks for in ?year=, this year when absent or not a number."""
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def paginate(request, queryset, *, per_page: int | None = None, count: int | None = None) -> dict:
    """One page (?page=N, out of range → the nearest page) of a list that is one part of a larger page, in the names
    ListView uses (page_obj, paginator, is_paginated), so core/_pagination.html serves both. `count`: the list's
    length when the page already knows it (saves the paginator's COUNT query)."""
    paginator = Paginator(queryset, per_page or settings.QIANGJI_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: the instance attribute takes its place
    page = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "is_paginated": page.has_other_pages()}


class Row(dict):
    """One row of a long table, as a dict with its keys also readable as attributes (row.name). The template engine
    finds a dict's key at its first try, a model's attribute only after a failed subscription; rows that are
    values() dicts plus what the view adds render a 50-row table in about a millisecond."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_EACH = "qiangji-each-marker"


def reverse_each(viewname: str, vary: str, values, **kwargs) -> list[str]:
    """reverse(viewname, kwargs={vary: value, **kwargs}) for each of `values`, resolved once (a reverse costs
    ~30 µs; a long table's links add up): the URL with a marker for `vary`, the marker replaced by each value,
    quoted as reverse() quotes it."""
    from urllib.parse import quote

    from django.utils.http import RFC3986_SUBDELIMS

    pattern = reverse(viewname, kwargs={**kwargs, vary: _EACH})
    return [pattern.replace(_EACH, quote(str(v), safe=RFC3986_SUBDELIMS + "~:@")) for v in values]


class ScopedListView(PortalPermissionMixin, FilterView):
    """A list from `list_selector(user=request.user)`, narrowed by `filterset_class` (a core.filters.ScopedFilterSet,
    built with the user) and paginated: QIANGJI_PAGE_SIZE rows unless the view sets paginate_by; ?page=N, and the
    page links keep the filters (core/_pagination.html). Without a filterset_class the list is only paginated."""

    list_selector = None
    filterset_class = None

    def get_queryset(self):
        return _call(self.list_selector, user=self.request.user)

    def get_paginate_by(self, queryset):
        return self.paginate_by or settings.QIANGJI_PAGE_SIZE

    def get_filterset_class(self):
        return self.filterset_class or _NoFilters

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


class ScopedObjectMixin(PortalPermissionMixin):
    """The URL's object through the app's scoped selector, before the permission check: outside the user's scope it
    is 404 (for everyone signed in), inside it a missing permission is 403, anonymous users go to the login page.

    Either set `object_selector` (called as object_selector(user=…, <lookup_kwarg>=the URL's value); the object is
    self.object) or override lookup(request, **kwargs) to set whatever the view needs. With lookup_first = False
    the permission is checked first and the object looked up when get_object() is called (403 before 404)."""

    object_selector = None
    lookup_kwarg = "pk"
    lookup_first = True

    def lookup(self, request, **kwargs):
        if self.object_selector is not None:
            self.object = _call(self.object_selector, user=request.user,
                                **{self.lookup_kwarg: kwargs[self.lookup_kwarg]})

    def dispatch(self, request, *args, **kwargs):
        self._looked_up = False
        if request.user.is_authenticated and self.lookup_first:
            self.lookup(request, **kwargs)
            self._looked_up = True
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if not self._looked_up:
            self.lookup(self.request, **self.kwargs)
            self._looked_up = True
        return self.object


class ServiceFormView(ScopedObjectMixin, FormView):
    """A form whose valid data goes to a service inside the request: perform(form) calls it and returns where to go
    (a model with get_absolute_url, a URL, or None for get_success_url()). A ValidationError from the service
    becomes the form's errors (per field where it names one), so the page shows the service's Chinese message;
    on success `success_message` (formatted with success_message_args(result)) is shown on the next page.
    One template for every such page: core/form.html (title, optional heading, crumbs and cancel link)."""

    template_name = "core/form.html"
    title = ""
    heading = ""
    success_message = ""
    permission_denied_as_message = False

    def perform(self, form):
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def get_cancel_url(self) -> str:
        return self.get_success_url()

    def success_message_args(self, result) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("heading", self.heading)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            if not self.permission_denied_as_message:
                raise
            form.add_error(None, str(exc) or _("You cannot do this."))
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message % self.success_message_args(result))
        return redirect(result if result is not None else self.get_success_url())


@dataclass(frozen=True)
class Transition:
    """One workflow step: the service that does it (called as service(user=…, <object_kwarg>=obj[, reason=…])),
    the permission it needs, and the message after it (formatted with the view's message_args(obj))."""

    service: Callable
    permission: str
    message: str
    with_reason: bool = False


def review_transitions(services, prefix: str, *, submit_permission: str, review_permission: str,
                       submitted=gettext_lazy("%(period)s has been submitted to the county."),
                       accepted=gettext_lazy("%(period)s has been accepted and is now locked."),
                       returned=gettext_lazy("%(period)s has been returned to the township.")) -> dict:
    """The table of a core.workflow.ReviewedPeriod's steps: submit (township), accept and return with a reason
    (county), done by the app's services `<prefix>_submit`, `<prefix>_accept` and `<prefix>_return`."""
    return {
        "submit": Transition(getattr(services, f"{prefix}_submit"), submit_permission, submitted),
        "accept": Transition(getattr(services, f"{prefix}_accept"), review_permission, accepted),
        "return": Transition(getattr(services, f"{prefix}_return"), review_permission, returned, with_reason=True),
    }


class TransitionView(ScopedObjectMixin, View):
    """A POST-only step on one record (submit, accept, return, reopen, publish, compile…), chosen by `step` (set in
    the URLconf: as_view(step="submit")) from the view's `transitions` table. The service does the work and the
    checks; the outcome, or why it was refused (its Chinese message), is shown on the record's page.
    A PermissionDenied from the service is a 403 unless permission_denied_as_message is set."""

    http_method_names = ["post"]
    transitions: dict[str, Transition] = {}
    step = ""
    object_kwarg = "obj"
    permission_denied_as_message = False

    @property
    def transition(self) -> Transition:
        return self.transitions[self.step]

    def get_permission_required(self):
        return (self.transition.permission,)

    def target(self, obj) -> str:
        return obj.get_absolute_url()

    def message_args(self, obj) -> dict:
        return {"period": obj.period_label()} if hasattr(obj, "period_label") else {}

    def act(self, obj) -> str:
        extra = {"reason": self.request.POST.get("reason", "")} if self.transition.with_reason else {}
        _call(self.transition.service, user=self.request.user, **{self.object_kwarg: obj}, **extra)
        return self.transition.message % self.message_args(obj)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            message = self.act(obj)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        except PermissionDenied as exc:
            if not self.permission_denied_as_message:
                raise
            messages.error(request, str(exc) or _("You cannot do this."))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.target(obj))


class _NoFilters(django_filters.FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


# Review at volume: a list page's filters default to what waits for the reviewer, and many periods are accepted or
# returned in one action, each by the app's own service in its own transaction.

WAITING = "submitted"


def review_status_param(request, *, reviewer: bool) -> tuple[str, bool]:
    """The status a review list shows: ?status= when given (empty: every status); without it a reviewer sees what
    waits for them (submitted) and everyone else every status. Returns (status, whether it is that default)."""
    if "status" in request.GET:
        return request.GET["status"], False
    return (WAITING, True) if reviewer else ("", False)


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(ids))


class BatchTransitionView(PortalPermissionMixin, TemplateView):
    """Many periods through one workflow step (accept, or return with one reason) from a list page.

    POST `ids` (many) and `step`. Without `confirm` it shows what will be done (core/batch_confirm.html: the periods
    found, how many ids were not found in the user's scope, the reason field for a return); with `confirm` it runs
    the step's service on each period in its own transaction, so one refusal undoes nothing else, and goes back to
    the list (`next`, a path on this site) with "N accepted" and every refusal with its period and the service's
    Chinese message. Records come from `batch_selector(user=…, ids=[…])`, the app's scoped selector: ids outside
    the user's scope are not found, counted as refused and never acted on. `list_url` names the list page."""

    http_method_names = ["post"]
    template_name = "core/batch_confirm.html"
    transitions: dict[str, Transition] = {}
    batch_selector = None
    object_kwarg = "obj"
    list_url = ""
    title = ""
    done_messages = {
        "accept": gettext_lazy("Accepted %(n)d."),
        "return": gettext_lazy("Returned %(n)d to the township."),
    }
    confirm_labels = {
        "accept": gettext_lazy("Accept these and lock them"),
        "return": gettext_lazy("Return these to the township"),
    }

    def get_permission_required(self):
        step = self.transitions.get(self.request.POST.get("step", ""))
        return (step.permission,) if step else tuple({t.permission for t in self.transitions.values()})

    def back_url(self) -> str:
        from django.urls import reverse
        from django.utils.http import url_has_allowed_host_and_scheme

        target = self.request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                                      require_https=self.request.is_secure()):
            return target
        return reverse(self.list_url)

    def label(self, obj) -> str:
        return obj.period_label()

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "")
        if step not in self.transitions:
            messages.error(request, _("Choose what to do with the selected periods."))
            return HttpResponseRedirect(self.back_url())
        ids = _ids(request.POST.getlist("ids"))
        if not ids:
            messages.error(request, _("Nothing was selected."))
            return HttpResponseRedirect(self.back_url())
        records = list(_call(self.batch_selector, user=request.user, ids=ids))
        not_found = len(ids) - len(records)
        transition = self.transitions[step]
        reason = request.POST.get("reason", "").strip()
        if not request.POST.get("confirm") or (transition.with_reason and not reason):
            return self.render_to_response(self.get_context_data(
                step=step, records=records, not_found=not_found, reason=reason, with_reason=transition.with_reason,
                reason_missing=bool(request.POST.get("confirm")) and transition.with_reason and not reason,
                confirm_label=self.confirm_labels.get(step, step), title=self.title, back=self.back_url()))
        done, refused = self.run(transition, records, reason=reason)
        if done:
            messages.success(request, self.done_messages[step] % {"n": done})
        for label, text in refused:
            messages.error(request, text if label in text else _("%(period)s: %(message)s") % {
                "period": label, "message": text})
        if not_found:
            messages.error(request, _("%(n)d of the selected were not found in your area; nothing was done to them.")
                           % {"n": not_found})
        return HttpResponseRedirect(self.back_url())

    def run(self, transition: Transition, records, *, reason: str) -> tuple[int, list[tuple[str, str]]]:
        """Each record through the service in its own transaction: (how many were done, [(period, why refused)])."""
        from django.db import transaction

        extra = {"reason": reason} if transition.with_reason else {}
        done, refused = 0, []
        for obj in records:
            try:
                with transaction.atomic():
                    _call(transition.service, user=self.request.user, **{self.object_kwarg: obj}, **extra)
            except ValidationError as exc:
                refused.append((self.label(obj), " ".join(exc.messages)))
            except PermissionDenied as exc:
                refused.append((self.label(obj), str(exc) or _("You cannot do this.")))
            else:
                done += 1
        return done, refused
