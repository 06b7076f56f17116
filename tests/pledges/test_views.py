import datetime as dt
import io
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from pledges.choices import RectificationStatus
from pledges.models import ArchiveEntry, ItemReview, Pledge, QuarterlyReview, Rectification

from .factories import PDF_BYTES, PNG_BYTES, ArchiveEntryFactory, pledge_world


def _media_files():
    root = settings.MEDIA_ROOT / "pledges" / "archive"
    return sorted(os.listdir(root)) if root.exists() else []


def test_township_records_pledge_adoption_review_rectification_and_archive_prints(world, client_for):
    client = client_for(world.users["township_a"])
    url = reverse("pledges:pledge_add", kwargs={"code": world.village_a.code})
    r = client.post(url, {"kind": "annual", "person": world.person_a.pk, "year": 2026})
    pledge = Pledge.objects.get()
    assert r.status_code == 302 and r["Location"] == pledge.get_absolute_url()
    client.post(reverse("pledges:pledgeitem_add", kwargs={"pk": pledge.pk}),
                {"category": "stage_goal", "commitment": "修通后山组水泥路", "target": "三公里",
                 "due_date": "2026-09-30", "position": 1})
    item = pledge.items.get()

    # Public before the representative meeting: refused, in Chinese, nothing saved.
    adopt = reverse("pledges:pledge_adopt", kwargs={"pk": pledge.pk})
    r = client.post(adopt, {"party_assembly_date": "2026-01-20", "publicly_pledged_date": "2026-02-01"})
    assert r.status_code == 200 and "党员大会" in r.content.decode()
    pledge.refresh_from_db()
    assert pledge.party_assembly_date is None
    client.post(adopt, {"party_assembly_date": "2026-01-20", "representative_meeting": "household",
                        "representative_meeting_date": "2026-01-25", "publicly_pledged_date": "2026-02-01"})
    pledge.refresh_from_db()
    assert pledge.publicly_pledged_date == dt.date(2026, 2, 1)

    review_url = reverse("pledges:review_detail", kwargs={"code": world.village_a.code, "quarter": "2026Q1"})
    r = client.post(review_url, {"meeting_date": "2026-04-08", "party_members_present": 31,
                                 "representatives_present": 18, "supervisors_present": 3, "version": 0,
                                 f"status-{item.pk}": "behind",
                                 f"comment-{item.pk}": "路基未完工"})
    assert r.status_code == 302
    review = QuarterlyReview.objects.get()
    assert (review.party_members_present, ItemReview.objects.get().status) == (31, "behind")

    client.post(reverse("pledges:rectification_add", kwargs={"code": world.village_a.code, "quarter": "2026Q1"}),
                {"item": item.pk, "problem": "路基施工滞后", "responsible": "村委会主任", "deadline": "2026-06-30"})
    rect = Rectification.objects.get()
    r = client.post(reverse("pledges:rectification_edit", kwargs={"pk": rect.pk}),
                    {"problem": rect.problem, "responsible": rect.responsible, "deadline": "2026-06-30",
                     "status": "done", "verified_how": "乡镇干部实地查看", "verified_on": "2026-06-25"})
    assert r.status_code == 302
    assert Rectification.objects.get().status == RectificationStatus.DONE

    archive = client.get(reverse("pledges:archive_detail", kwargs={"pk": world.person_a.pk})).content.decode()
    for text in ("修通后山组水泥路", "路基未完工", "路基施工滞后", "乡镇干部实地查看", "2026-02-01"):
        assert text in archive

    r = client.get(reverse("pledges:archive_pdf", kwargs={"pk": world.person_a.pk}))
    assert r["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    text = "".join(text.split())  # table cells wrap lines
    fonts = {str(f.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(r.content)).pages
             for f in page["/Resources"]["/Font"].values()}
    # Only the vendored font, fetched through the portal's PDF fetcher: no system font needed, nothing else fetched.
    assert fonts and all("Noto-Sans-SC" in f for f in fonts), fonts
    assert r["Content-Disposition"] == "inline; filename*=utf-8''" + quote(f"{world.person_a.name}村级干部档案.pdf")
    for phrase in ("村级干部档案", world.person_a.name, "修通后山组水泥路", "路基施工滞后", "乡镇干部实地查看"):
        assert phrase in text


def test_out_of_scope_gets_404_for_archive_pdf_and_file(world, client_for):
    pledge_world(world)
    entry = world.extra["entry"]
    client = client_for(world.users["township_b"])
    for url in (reverse("pledges:archive_detail", kwargs={"pk": world.person_a.pk}),
                reverse("pledges:archive_pdf", kwargs={"pk": world.person_a.pk}),
                reverse("pledges:archiveentry_file", kwargs={"pk": entry.pk})):
        assert client.get(url).status_code == 404
    r = client_for(world.users["clerk_a"]).get(reverse("pledges:archiveentry_file", kwargs={"pk": entry.pk}))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF_BYTES


def _upload(client, world, name, content, category="training"):
    return client.post(reverse("pledges:archiveentry_add", kwargs={"pk": world.person_a.pk}),
                       {"category": category, "title": "培训证书", "uploaded_file": SimpleUploadedFile(name, content)})


def test_upload_not_pdf_or_image_refused_whatever_its_name(world, client_for):
    client = client_for(world.users["township_a"])
    before = _media_files()
    r = _upload(client, world, "证书.pdf", b"MZ\x90\x00 this is a Windows program, not a PDF" * 10)
    assert r.status_code == 200
    assert "只能" in r.content.decode()  # only PDF files and images...
    r = _upload(client, world, "scan.png", b"<html><script>alert(1)</script></html>")
    assert r.status_code == 200
    assert ArchiveEntry.objects.count() == 0 and _media_files() == before


@override_settings(PLEDGES_ARCHIVE_MAX_BYTES=1024)
def test_upload_too_large_refused(world, client_for):
    client = client_for(world.users["township_a"])
    before = _media_files()
    r = _upload(client, world, "big.pdf", PDF_BYTES + b"0" * 2000)
    assert r.status_code == 200 and "1.0 KB" in r.content.decode().replace("\xa0", " ")
    assert ArchiveEntry.objects.count() == 0 and _media_files() == before


def test_upload_image_stored_under_random_name_and_served(world, client_for):
    client = client_for(world.users["township_a"])
    r = _upload(client, world, "奖状 照片.jpg", PNG_BYTES, category="reward")
    assert r.status_code == 302
    entry = ArchiveEntry.objects.get()
    assert entry.content_type == "image/png" and entry.original_name == "奖状 照片.jpg"
    assert "奖状" not in entry.file.name and entry.file.name.startswith("pledges/archive/")
    r = client.get(reverse("pledges:archiveentry_file", kwargs={"pk": entry.pk}))
    assert r["Content-Type"] == "image/png" and b"".join(r.streaming_content) == PNG_BYTES


def test_withdrawing_keeps_the_entry_with_who_and_why(world, client_for):
    entry = ArchiveEntryFactory(person=world.person_a, added_by=world.users["township_a"])
    client = client_for(world.users["township_a"])
    url = reverse("pledges:archiveentry_withdraw", kwargs={"pk": entry.pk})
    r = client.post(url, {"reason": ""})
    assert r.status_code == 200
    assert not ArchiveEntry.objects.get().is_withdrawn
    client.post(url, {"reason": "重复上传"})
    entry = ArchiveEntry.objects.get()
    assert entry.is_withdrawn and entry.withdrawn_by == world.users["township_a"]
    assert entry.withdrawal_reason == "重复上传"
    page = client.get(reverse("pledges:archive_detail", kwargs={"pk": world.person_a.pk})).content.decode()
    assert "重复上传" in page and entry.title in page


def test_overdue_rectifications_visible_to_township_and_county(world, client_for):
    pledge_world(world)
    rect = world.extra["rectification"]  # deadline 2026-06-30, open
    for user in ("township_a", "county"):
        page = client_for(world.users[user]).get(
            reverse("pledges:rectification_list") + "?overdue=true").content.decode()
        assert rect.problem in page
    page = client_for(world.users["township_b"]).get(reverse("pledges:rectification_list") + "?overdue=true")
    assert rect.problem not in page.content.decode()


def test_locked_review_page_refuses_save(world, client_for):
    pledge_world(world)
    review = world.extra["review"]
    review.status, review.accepted_at = "accepted", dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    review.save()
    item = world.extra["item"]
    client = client_for(world.users["township_a"])
    url = reverse("pledges:review_detail", kwargs={"code": world.village_a.code, "quarter": "2026Q1"})
    r = client.post(url, {"meeting_date": "2026-04-10", "party_members_present": 1, "representatives_present": 1,
                          "supervisors_present": 1, "version": review.version, f"status-{item.pk}": "done"})
    assert r.status_code == 409 and "锁定" in r.content.decode()
    assert ItemReview.objects.get().status == "behind"


def test_adoption_page_counts_missing_steps_per_village(world, client_for):
    from tests.villages.factories import CadrePostFactory, PersonFactory

    from .factories import PledgeFactory

    PledgeFactory(person=world.person_a, party_assembly_date=dt.date(2026, 1, 10))  # no meeting, not public
    other = PersonFactory(village=world.village_a, name="赵未诺")
    CadrePostFactory(person=other, post="chair")
    PledgeFactory(person=other, year=2025)  # last year's only: no pledge for 2026
    r = client_for(world.users["township_a"]).get(reverse("pledges:pledge_adoption") + "?year=2026")
    village = next(v for v in r.context["villages"] if v.pk == world.village_a.pk)
    assert (village.pledge_count, village.missing_assembly, village.missing_meeting, village.not_public,
            village.cadres_without_pledge) == (1, 0, 1, 1, 1)


def test_township_submits_county_accepts_then_the_quarter_is_locked(world, client_for):
    pledge_world(world)
    kwargs = {"code": world.village_a.code, "quarter": "2026Q1"}
    township, county = client_for(world.users["township_a"]), None
    township.post(reverse("pledges:review_submit", kwargs=kwargs))
    assert QuarterlyReview.objects.get().status == "submitted"
    county = client_for(world.users["county"])
    r = county.post(reverse("pledges:review_return", kwargs=kwargs), {"reason": ""})
    assert QuarterlyReview.objects.get().status == "submitted"  # a return needs a reason
    county.post(reverse("pledges:review_accept", kwargs=kwargs))
    review = QuarterlyReview.objects.get()
    assert review.status == "accepted" and review.accepted_by == world.users["county"]
    page = client_for(world.users["township_a"]).get(reverse("pledges:review_detail", kwargs=kwargs)).content.decode()
    assert "已接收（锁定）" in page and "保存评议" not in page
    r = client_for(world.users["township_a"]).get(reverse("pledges:rectification_add", kwargs=kwargs))
    assert r.status_code == 200
    r = client_for(world.users["township_a"]).post(
        reverse("pledges:rectification_add", kwargs=kwargs),
        {"problem": "新问题", "responsible": "某某", "deadline": "2026-12-31"})
    assert r.status_code == 200 and "锁定" in r.content.decode()
    assert Rectification.objects.count() == 1


def test_an_upload_whose_save_fails_after_storing_the_file_leaves_no_file(world, client_for, monkeypatch):
    from simple_history.models import HistoricalRecords

    real = HistoricalRecords.create_historical_record

    def fail_for_entries(self, instance, *args, **kwargs):
        real(self, instance, *args, **kwargs)
        if isinstance(instance, ArchiveEntry):
            raise RuntimeError("injected fault")

    monkeypatch.setattr(HistoricalRecords, "create_historical_record", fail_for_entries)
    client = client_for(world.users["township_a"])
    client.raise_request_exception = False
    before = _media_files()
    r = _upload(client, world, "奖状.png", PNG_BYTES, category="reward")
    assert r.status_code == 500
    assert ArchiveEntry.objects.count() == 0 and _media_files() == before
