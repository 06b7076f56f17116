from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdmin:
    """Mixin for a model written only through its pages and services: the admin lists and shows it, never adds,
    changes or deletes."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin pages narrow to the user's scope like every other path (the model's scope_path, core.scope), and keep
    the history of each change."""

    def _assert_in_scope(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        # simple-history's view looks the object up without get_queryset(); keep its history in scope too.
        self._assert_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._assert_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)
