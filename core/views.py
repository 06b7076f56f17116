from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from .history import history_get


class PortalPermissionMixin(PermissionRequiredMixin):
    """Anonymous → the login page; signed in without the permission → 403. Querysets come from scoped selectors."""

    raise_exception = False


class RecordActionView(PortalPermissionMixin, View):
    """A POST-only step on one record (submit, accept, return, publish, compile…): the service does the work and
    the checks; the outcome, or why it was refused, is a message on the record's page.

    Subclasses give get_object(), act(obj) → the success message, and optionally target(obj) → the page to go
    back to. A PermissionDenied from the service is a 403 unless permission_denied_as_message is set."""

    http_method_names = ["post"]
    permission_denied_as_message = False

    def get_object(self):
        raise NotImplementedError

    def act(self, obj) -> str:
        raise NotImplementedError

    def target(self, obj) -> str:
        return obj.get_absolute_url()

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
