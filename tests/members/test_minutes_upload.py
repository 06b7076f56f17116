"""The month's minutes file: a PDF or an image by content, stored under a random name, served only within scope."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.periods import Month
from members import services
from members.models import MonthlyReview
from members.services import MeetingEntry
from tests.members.factories import members_for, rule_set_with_rules

pytestmark = pytest.mark.django_db

MONTH = Month(2026, 5)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


@pytest.fixture
def village_month(world):
    rule_set_with_rules(world.village_a)
    members_for(world.village_a, 2)
    return world


def save(world, upload):
    return services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=MONTH, expected_version=0, entries=[],
        meeting=MeetingEntry(meeting_date=None, attendance=None, minutes="", minutes_file=upload, posted_date=None),
    )


def test_a_file_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_written(village_month):
    with pytest.raises(ValidationError) as exc:
        save(village_month, SimpleUploadedFile("会议记录.pdf", b"MZ\x90\x00 a Windows program" * 20))
    assert "只能上传 PDF 文件和图片" in " ".join(exc.value.message_dict["minutes_file"])
    assert not MonthlyReview.objects.exists()


def test_minutes_are_stored_under_a_random_name_and_served_only_within_scope(village_month, client_for):
    review = save(village_month, SimpleUploadedFile("上坪村五月会议记录.png", PNG))
    assert review.minutes_file.name.startswith("members/minutes/") and "会议记录" not in review.minutes_file.name
    url = reverse("members:monthlyreview_minutes", args=[village_month.village_a.code, str(MONTH)])
    response = client_for(village_month.users["township_a"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert client_for(village_month.users["township_b"]).get(url).status_code == 404


def test_a_save_that_fails_after_storing_the_file_leaves_no_file_behind(village_month, settings, monkeypatch):
    from pathlib import Path

    from simple_history.models import HistoricalRecords

    real = HistoricalRecords.create_historical_record

    def fail_for_the_month(self, instance, *args, **kwargs):
        real(self, instance, *args, **kwargs)
        if isinstance(instance, MonthlyReview) and instance.minutes_file:
            raise RuntimeError("injected fault")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", fail_for_the_month)
    minutes = Path(settings.MEDIA_ROOT) / "members" / "minutes"
    before = set(minutes.rglob("*")) if minutes.exists() else set()
    with pytest.raises(RuntimeError):
        save(village_month, SimpleUploadedFile("会议记录.png", PNG))
    after = set(minutes.rglob("*")) if minutes.exists() else set()
    assert {p for p in after - before if p.is_file()} == set()
    assert not MonthlyReview.objects.exists()
