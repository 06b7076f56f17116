import datetime as dt

import factory
from django.core.files.base import ContentFile

from pledges.choices import ArchiveCategory, ItemCategory, ItemStatus, PledgeKind
from pledges.models import ArchiveEntry, ItemReview, Pledge, PledgeItem, QuarterlyReview, Rectification
from pledges.summaries import review_summary_refresh
from tests.summaries import KeepsSummaries


class _KeepsReviewSummary(KeepsSummaries):
    class Meta:
        abstract = True

    @classmethod
    def refresh_summary(cls, obj):
        review_summary_refresh(review_ids=[obj.pk if isinstance(obj, QuarterlyReview) else obj.review_id])

# The smallest files the content check recognises.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    kind = PledgeKind.ANNUAL
    person = None
    village = factory.LazyAttribute(lambda o: o.person.village)
    year = 2026


class PledgeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgeItem

    pledge = factory.SubFactory(PledgeFactory)
    category = ItemCategory.STAGE_GOAL
    commitment = factory.Sequence(lambda n: f"硬化村道{n}公里")
    target = "完成验收"
    due_date = dt.date(2026, 10, 31)
    position = factory.Sequence(lambda n: n)


class QuarterlyReviewFactory(_KeepsReviewSummary):
    class Meta:
        model = QuarterlyReview

    year = 2026
    quarter = 1
    meeting_date = dt.date(2026, 4, 10)
    party_members_present = 20
    representatives_present = 15
    supervisors_present = 3


class ItemReviewFactory(_KeepsReviewSummary):
    class Meta:
        model = ItemReview

    status = ItemStatus.ON_TRACK


class RectificationFactory(_KeepsReviewSummary):
    class Meta:
        model = Rectification

    village = factory.LazyAttribute(lambda o: o.review.village)
    problem = "村道进度滞后"
    responsible = "村委会主任"
    deadline = dt.date(2026, 6, 30)


class ArchiveEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArchiveEntry

    village = factory.LazyAttribute(lambda o: o.person.village)
    category = ArchiveCategory.TRAINING
    title = "党校培训结业证书"
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="证书.pdf"))
    original_name = "证书.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


def pledge_world(w):
    """An adopted annual pledge of person_a with an item, a Q1 review and a rectification, an archive entry."""
    pledge = PledgeFactory(person=w.person_a)
    item = PledgeItemFactory(pledge=pledge)
    review = QuarterlyReviewFactory(village=w.village_a)
    ItemReviewFactory(review=review, item=item, status="behind", comment="进度慢")
    rect = RectificationFactory(review=review, item=item)
    entry = ArchiveEntryFactory(person=w.person_a, added_by=w.users["township_a"])
    w.extra.update(pledge=pledge, item=item, review=review, rectification=rect, entry=entry)
    return w.extra
