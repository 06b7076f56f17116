import django_filters
from django.utils.translation import gettext_lazy as _

from villages.filters import VillageScopedFilterSet

from .models import CadreEvaluation


class ResultFilter(VillageScopedFilterSet):
    """A township sheet's cadres, narrowed to one of the township's villages."""

    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=None, empty_label=_("All villages"))

    class Meta:
        model = CadreEvaluation
        fields = ["village"]

    def __init__(self, *args, township, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["village"].queryset = self.filters["village"].queryset.filter(township=township)
