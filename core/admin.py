from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from accounts.scope import scope_filter


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin pages narrow to the user's scope like every other path, and keep the history of each change.

    scope_village_path is the lookup from the model to its Village ("" for Village itself); models scoped by
    township set scope_village_path = None and scope_township_path.
    """

    scope_village_path: str | None = "village"
    scope_township_path: str | None = None

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
        return scope_filter(
            super().get_queryset(request), request.user,
            village=self.scope_village_path, township=self.scope_township_path,
        )
