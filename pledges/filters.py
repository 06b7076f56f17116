import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.models import Person
from villages.selectors import township_list, village_list

from .choices import PledgeKind, RectificationStatus
from .models import Pledge, Rectification


class ScopedFilterSet(django_filters.FilterSet):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if "township" in self.filters:
            self.filters["township"].queryset = township_list(user=user)
        if "village" in self.filters:
            self.filters["village"].queryset = village_list(user=user)


class PledgeFilter(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PledgeKind.choices, empty_label=_("All kinds"))
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    not_public = django_filters.BooleanFilter(label=_("Not yet pledged publicly"), field_name="publicly_pledged_date",
                                              lookup_expr="isnull")

    class Meta:
        model = Pledge
        fields = ["township", "village", "kind", "year", "not_public"]


class RectificationFilter(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationStatus.choices,
                                         empty_label=_("Any status"))
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue",
                                           widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Rectification
        fields = ["township", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(status=RectificationStatus.OPEN, deadline__lt=timezone.localdate())
        return queryset


class CadreFilter(ScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))
    gaps = django_filters.BooleanFilter(label=_("Only archives with gaps"), method="filter_gaps",
                                        widget=django_filters.widgets.BooleanWidget())

    class Meta:
        model = Person
        fields = ["township", "village", "gaps"]

    def filter_gaps(self, queryset, name, value):
        from django.db.models import Q

        from .selectors import ARCHIVE_GAP_CATEGORIES

        if not value:
            return queryset
        gap = Q()
        for c in ARCHIVE_GAP_CATEGORIES:
            gap |= Q(**{f"has_{c.value}": False})
        return queryset.filter(gap)
