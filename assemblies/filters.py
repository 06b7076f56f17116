import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.periods import Quarter, recent_quarters
from core.workflow import ReviewStatus
from villages.filters import VillageScopedFilterSet

from .choices import MatterCategory, MatterStatus
from .models import Filing, Matter, Meeting

YES_NO = [("1", _("Yes")), ("0", _("No"))]


class MeetingFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    date_from = django_filters.DateFilter(label=pgettext_lazy("date range", "From"), field_name="date",
                                          lookup_expr="gte")
    date_to = django_filters.DateFilter(label=pgettext_lazy("date range", "To"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["township", "date_from", "date_to"]


class MatterFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="meeting__village__township",
                                                queryset=None, empty_label=_("All townships"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=MatterCategory.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MatterStatus.choices, empty_label=_("All"))
    overdue = django_filters.ChoiceFilter(label=_("Open too long"), method="filter_overdue", choices=YES_NO,
                                          empty_label=_("All"))
    typical = django_filters.ChoiceFilter(label=_("Typical cases"), method="filter_typical", choices=YES_NO,
                                          empty_label=_("All"))

    class Meta:
        model = Matter
        fields = ["township", "category", "status", "overdue", "typical"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=value == "1")

    def filter_typical(self, queryset, name, value):
        return queryset.filter(is_typical=value == "1")


class FilingFilter(VillageScopedFilterSet):
    """The county's queue of filings: by township, status and quarter (FilingListView defaults the status)."""

    township = django_filters.ModelChoiceFilter(label=_("Township"), queryset=None, empty_label=_("All townships"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices, empty_label=_("Any status"))
    quarter = django_filters.ChoiceFilter(label=_("Quarter"), method="filter_quarter", empty_label=_("All quarters"),
                                          choices=lambda: recent_quarters(12))

    class Meta:
        model = Filing
        fields = ["township", "status", "quarter"]

    def filter_quarter(self, queryset, name, value):
        quarter = Quarter.parse(value)
        return queryset.filter(year=quarter.year, quarter=quarter.quarter)
