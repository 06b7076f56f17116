import datetime as dt

import factory

from assemblies.choices import MatterCategory
from assemblies.models import DiscussionPoint, Filing, Household, Inspection, Matter, Meeting, ModelVillage
from assemblies.summaries import meeting_summary_refresh
from tests.summaries import KeepsSummaries
from tests.villages.factories import VillageFactory


class _KeepsMeetingSummary(KeepsSummaries):
    class Meta:
        abstract = True

    @classmethod
    def refresh_summary(cls, obj):
        meeting = obj if isinstance(obj, Meeting) else Meeting.objects.get(pk=obj.meeting_id)
        meeting_summary_refresh(village_id=meeting.village_id, dates=[meeting.date])


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    village = factory.SubFactory(VillageFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    head_name = factory.Sequence(lambda n: f"户主{n}")
    group = "一组"


class DiscussionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscussionPoint

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"第{n}议事点")


class MeetingFactory(_KeepsMeetingSummary):
    class Meta:
        model = Meeting

    village = factory.SubFactory(VillageFactory)
    date = dt.date(2026, 10, 15)
    topic = "村道硬化议事"
    households_expected = 30
    households_present = 24
    minutes = "会议记录"


class MatterFactory(_KeepsMeetingSummary):
    class Meta:
        model = Matter

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"议定事项{n}")
    category = MatterCategory.INFRASTRUCTURE
    decision = "同意实施"
    votes_for = 20
    votes_against = 2
    votes_abstaining = 2
    implementer = "村委会"


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    year = 2026
    quarter = 3
    inspected_on = dt.date(2026, 9, 28)
    findings = "议事规范"


class ModelVillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelVillage

    village = factory.SubFactory(VillageFactory)
    year = 2026
    reason = "议事规范"


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filing

    year = 2026
    quarter = 4
