import django_filters
from django.utils.translation import gettext_lazy as _

from villages.selectors import township_list

from .choices import MatterCategory, MatterStatus
from .models import Matter, Meeting
from .selectors import overdue_before


class MeetingFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    date_from = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["township", "date_from", "date_to"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = township_list(user=user)


class MatterFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="meeting__village__township",
                                                queryset=None, empty_label=_("All townships"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=MatterCategory.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MatterStatus.choices, empty_label=_("All"))
    overdue = django_filters.BooleanFilter(label=_("Open too long"), method="filter_overdue")
    typical = django_filters.BooleanFilter(label=_("Typical cases"), field_name="is_typical")

    class Meta:
        model = Matter
        fields = ["township", "category", "status", "overdue", "typical"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["township"].queryset = township_list(user=user)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(is_overdue=value)
