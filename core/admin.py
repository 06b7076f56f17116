from simple_history.admin import SimpleHistoryAdmin

from accounts.scope import scope_filter


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin pages narrow to the user's scope like every other path, and keep the history of each change.

    scope_village_path is the lookup from the model to its Village ("" for Village itself); models scoped by
    township set scope_village_path = None and scope_township_path.
    """

    scope_village_path: str | None = "village"
    scope_township_path: str | None = None

    def get_queryset(self, request):
        return scope_filter(
            super().get_queryset(request), request.user,
            village=self.scope_village_path, township=self.scope_township_path,
        )
