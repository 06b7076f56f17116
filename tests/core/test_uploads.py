"""A stored upload's suffix comes from its content, never from the name the client sent."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.periods import Month
from members import services as member_services
from members.services import MeetingEntry
from pledges import services as pledge_services
from tests.members.factories import members_for, rule_set_with_rules
from tests.pledges.factories import PDF_BYTES, PNG_BYTES

pytestmark = pytest.mark.django_db


def test_a_pdf_named_x_html_is_stored_as_pdf_and_keeps_its_name_in_the_row(world):
    entry = pledge_services.archive_entry_add(
        user=world.users["township_a"], person=world.person_a, category="training", title="证书",
        uploaded_file=SimpleUploadedFile("x.html", PDF_BYTES))
    entry.refresh_from_db()
    assert entry.file.name.startswith("pledges/archive/") and entry.file.name.endswith(".pdf")
    assert ".html" not in entry.file.name
    assert entry.original_name == "x.html" and entry.content_type == "application/pdf"
    assert entry.file.read() == PDF_BYTES


def test_a_png_named_as_pdf_is_stored_as_png(world):
    entry = pledge_services.archive_entry_add(
        user=world.users["township_a"], person=world.person_a, category="training", title="证书",
        uploaded_file=SimpleUploadedFile("scan.pdf", PNG_BYTES))
    assert entry.file.name.endswith(".png")


def test_month_minutes_sent_as_html_are_stored_as_pdf(world):
    rule_set_with_rules(world.village_a)
    members_for(world.village_a, 1)
    review = member_services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=Month(2026, 5), expected_version=0,
        entries=[], meeting=MeetingEntry(meeting_date=None, attendance=None, minutes="",
                                         minutes_file=SimpleUploadedFile("minutes.html", PDF_BYTES), posted_date=None))
    review.refresh_from_db()
    assert review.minutes_file.name.startswith("members/minutes/") and review.minutes_file.name.endswith(".pdf")
