import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet

from .models import Person, Village
from .selectors import township_list, village_list


class VillageScopedFilterSet(ScopedFilterSet):
    """Township and village choices from the user's scope; the initiatives' filtersets start from this one."""

    scoped_choices = {"township": township_list, "village": village_list}


class VillageFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=None, empty_label=_("All townships"))
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Village
        fields = ["township", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class PersonFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), field_name="village__township", queryset=None, empty_label=_("All townships")
    )
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))
    q = django_filters.CharFilter(label=_("Name"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of person"),
        method="filter_kind",
        empty_label=_("Everyone"),
        choices=[("cadre", _("Serving cadres")), ("member", _("Party members")), ("other", _("Neither"))],
    )

    class Meta:
        model = Person
        fields = ["township", "village", "q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())

    def filter_kind(self, queryset, name, value):
        if value == "cadre":
            return queryset.filter(is_cadre=True)
        if value == "member":
            return queryset.filter(membership__isnull=False)
        return queryset.filter(is_cadre=False, membership__isnull=True)
