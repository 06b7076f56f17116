import datetime as dt

import factory

from members.choices import RuleCategory, RuleKind
from members.models import MonthlyReview, PartyMember, Rule, RuleSet
from members.summaries import member_summary_refresh, month_summary_refresh
from tests.summaries import KeepsSummaries
from tests.villages.factories import PersonFactory


class PartyMemberFactory(KeepsSummaries):
    class Meta:
        model = PartyMember

    @classmethod
    def refresh_summary(cls, obj):
        member_summary_refresh(village_ids=[obj.village_id])

    person = factory.SubFactory(PersonFactory)
    village = factory.SelfAttribute("person.village")
    joined_date = dt.date(1995, 7, 1)


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    village = factory.SubFactory("tests.villages.factories.VillageFactory")
    year = 2026
    version = 1
    adopted_date = dt.date(2026, 2, 10)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    rule_set = factory.SubFactory(RuleSetFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = RuleKind.BASIC
    category = RuleCategory.ORGANISATION
    text = factory.Sequence(lambda n: f"无故不参加组织生活{n}")
    points = 2


def rule_set_with_rules(village, year=2026, points=(2, 3, 5)) -> RuleSet:
    rule_set = RuleSetFactory(village=village, year=year)
    for i, p in enumerate(points, start=1):
        RuleFactory(rule_set=rule_set, number=i, points=p, text=f"底线第{i}条")
    return rule_set


def members_for(village, n: int) -> list[PartyMember]:
    return [PartyMemberFactory(person=PersonFactory(village=village, name=f"党员{i:03d}")) for i in range(n)]


class MonthlyReviewFactory(KeepsSummaries):
    class Meta:
        model = MonthlyReview

    @classmethod
    def refresh_summary(cls, obj):
        month_summary_refresh(review_ids=[obj.pk])

    village = factory.SubFactory("tests.villages.factories.VillageFactory")
    year = 2026
    month = 5
    rule_set = factory.LazyAttribute(lambda o: RuleSet.objects.filter(village=o.village, year=o.year).first()
                                     or rule_set_with_rules(o.village, o.year))
    due_date = dt.date(2026, 6, 10)


def grid_post(members, version=0, **extra) -> dict:
    """The monthly grid's POST as the page sends it: every member rated 合格 with an empty deduction slot, then
    `extra` fields over it (e.g. {f"rating-{pk}": "excellent", f"reason-{pk}": "…"})."""
    data = {"version": str(version)}
    for m in members:
        data[f"m-{m.pk}"] = "1"
        data[f"rating-{m.pk}"] = "qualified"
        data[f"d-{m.pk}-0-rule"] = ""
    data.update(extra)
    return data


def grid_url(village, month: str = "2026-05", name: str = "monthlyreview_grid") -> str:
    """The month grid's (or, by name, another month page's) address of a village."""
    from django.urls import reverse

    return reverse(f"members:{name}", kwargs={"code": village.code, "month": str(month)})
