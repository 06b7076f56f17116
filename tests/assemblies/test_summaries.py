"""The meetings' summary stays equal to a fresh aggregate after every write (issue 13)."""
import datetime as dt

from assemblies import services
from assemblies.models import AssemblyQuarterSummary
from assemblies.summaries import ASSEMBLY_QUARTER
from core import summaries

from .test_services import MATTER, _meeting


def _row(world, year, quarter):
    return AssemblyQuarterSummary.objects.filter(village=world.village_a, year=year, quarter=quarter).values_list(
        "meetings_held", "matters_decided", "matters_implemented", "typical_cases").first()


def test_meetings_matters_and_follow_ups_keep_the_summary(world):
    user = world.users["township_a"]
    meeting = _meeting(world, date=dt.date(2026, 9, 20))
    assert _row(world, 2026, 3) == (1, 0, 0, 0)
    matter = services.matter_create(user=user, meeting=meeting, **MATTER)
    services.matter_create(user=user, meeting=meeting, **{**MATTER, "title": "修水渠", "is_typical": True,
                                                          "typical_writeup": "全村出工"})
    assert _row(world, 2026, 3) == (1, 2, 0, 1)
    assert summaries.differences(ASSEMBLY_QUARTER) == []
    # Implemented in the next quarter: not "implemented by the quarter's end" of the meeting's quarter.
    services.follow_up_add(user=user, matter=matter, date=dt.date(2026, 10, 8), note="完工", implemented=True)
    assert _row(world, 2026, 3) == (1, 2, 0, 1)
    assert summaries.differences(ASSEMBLY_QUARTER) == []
    # The meeting moves to the fourth quarter: both quarters change.
    services.meeting_update(user=user, meeting=meeting, date=dt.date(2026, 10, 2))
    assert _row(world, 2026, 3) is None and _row(world, 2026, 4) == (1, 2, 1, 1)
    matter.refresh_from_db()
    services.matter_update(user=user, matter=matter, title="修建村道（一期）")
    assert summaries.differences(ASSEMBLY_QUARTER) == []
