"""The meetings' summary table (core.summaries): per village and quarter of the meeting's date, the meetings held
and the matters they decided, implemented by the quarter's end and written up as typical cases."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.db.models.lookups import LessThanOrEqual

from core import summaries
from core.periods import Quarter

from .choices import MatterStatus
from .models import AssemblyQuarterSummary, Meeting


def _source():
    meeting_quarter = ExtractYear("date") * 10 + ExtractQuarter("date")
    implemented_quarter = ExtractYear("matters__implemented_on") * 10 + ExtractQuarter("matters__implemented_on")
    return (
        Meeting.objects.order_by()
        .values("village_id", year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .annotate(
            meetings_held=Count("pk", distinct=True),
            matters_decided=Count("matters"),
            matters_implemented=Count("matters", filter=Q(matters__status=MatterStatus.IMPLEMENTED)
                                      & LessThanOrEqual(implemented_quarter, meeting_quarter)),
            typical_cases=Count("matters", filter=Q(matters__is_typical=True)),
        )
    )


ASSEMBLY_QUARTER = summaries.Summary(
    name="assemblies.assemblyquartersummary", model=AssemblyQuarterSummary, key=("village_id", "year", "quarter"),
    source=_source,
    columns=("village_id", "year", "quarter", "meetings_held", "matters_decided", "matters_implemented",
             "typical_cases"),
)


def register() -> None:
    summaries.register(ASSEMBLY_QUARTER)


def meeting_summary_refresh(*, village_id: int, dates: list[dt.date]) -> None:
    """Recompute the village-quarters of these meeting dates (before and after a change) from the raw rows."""
    for quarter in {Quarter.of(d) for d in dates if d}:
        summaries.refresh(
            ASSEMBLY_QUARTER,
            source_q=Q(village_id=village_id, date__range=(quarter.first_day, quarter.last_day)),
            stored_q=Q(village_id=village_id, year=quarter.year, quarter=quarter.quarter))
