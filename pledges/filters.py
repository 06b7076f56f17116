import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from villages.filters import VillageScopedFilterSet
from villages.models import Person

from .choices import PledgeKind, RectificationStatus
from .models import Pledge, Rectification


class PledgeFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PledgeKind.choices, empty_label=_("All kinds"))
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    not_public = django_filters.ChoiceFilter(label=_("Not yet pledged publicly"), method="filter_not_public",
                                             choices=[("true", _("Yes"))], empty_label=_("All"))

    class Meta:
        model = Pledge
        fields = ["township", "village", "kind", "year", "not_public"]

    def filter_not_public(self, queryset, name, value):
        return queryset.filter(publicly_pledged_date__isnull=True) if value else queryset


class RectificationFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationStatus.choices,
                                         empty_label=_("Any status"))
    overdue = django_filters.ChoiceFilter(label=_("Overdue only"), method="filter_overdue",
                                          choices=[("true", _("Yes"))], empty_label=_("All"))

    class Meta:
        model = Rectification
        fields = ["township", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value == "true":
            return queryset.filter(status=RectificationStatus.OPEN, deadline__lt=timezone.localdate())
        return queryset


class CadreFilter(VillageScopedFilterSet):
    township = django_filters.ModelChoiceFilter(label=_("Township"), field_name="village__township", queryset=None,
                                                empty_label=_("All townships"))
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))
    gaps = django_filters.ChoiceFilter(label=_("Only archives with gaps"), method="filter_gaps",
                                       choices=[("true", _("Yes"))], empty_label=_("All"))

    class Meta:
        model = Person
        fields = ["township", "village", "gaps"]

    def filter_gaps(self, queryset, name, value):
        from django.db.models import Q

        from .selectors import ARCHIVE_GAP_CATEGORIES

        if value != "true":
            return queryset
        gap = Q()
        for c in ARCHIVE_GAP_CATEGORIES:
            gap |= Q(**{f"has_{c.value}": False})
        return queryset.filter(gap)
