"""The online public notice 公示 (the QR code's address) and objections 异议: what anyone with the link sees and
files, what the township answers, and what the county may accept."""
import datetime as dt
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.periods import Month, working_days_end
from core.workflow import ReviewStatus
from members import selectors, services
from members.choices import ObjectionStatus
from members.models import CountyPolicy, MonthlyReview, NoticeObjection
from members.services import DeductionEntry, MeetingEntry, ResultEntry
from tests.members.factories import members_for, rule_set_with_rules

MAY = Month(2026, 5)


@pytest.fixture(autouse=True)
def _clear_cache(db):
    cache.clear()  # the objection limits are counted in the cache
    yield
    cache.clear()


def _posted_month(world, *, posted: dt.date | None, submit: bool = False) -> MonthlyReview:
    """Village A's May: one member excellent, one deducted under rule 2, posted on `posted`."""
    rule_set = rule_set_with_rules(world.village_a)
    members = [world.person_a.membership] + members_for(world.village_a, 2)
    rule = rule_set.rules.get(number=2)
    review = services.monthly_grid_save(
        user=world.users["township_a"], village=world.village_a, month=MAY, expected_version=0,
        entries=[ResultEntry(member_id=members[0].pk, excellent=True, excellent_reason="抗洪抢险带头"),
                 ResultEntry(member_id=members[1].pk,
                             deductions=[DeductionEntry(rule_id=rule.pk, note="私下说明：家中有事", talk_by="王书记",
                                                        talk_date=dt.date(2026, 6, 2))])],
        meeting=MeetingEntry(meeting_date=posted and posted - dt.timedelta(days=1), minutes="评议会记录",
                             posted_date=posted))
    if submit:
        review = services.monthly_review_submit(user=world.users["township_a"], review=review)
    return review


def _today():
    return timezone.localdate()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.forms = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs.get("action") or "")
        for name in ("href", "src", "action"):
            if attrs.get(name) and not (tag == "form" and name == "action"):
                self.urls.append(attrs[name])


def _links(content: bytes) -> _Links:
    parser = _Links()
    parser.feed(content.decode())
    return parser


def test_working_days_skip_the_weekend():
    assert working_days_end(dt.date(2026, 6, 1), 5) == dt.date(2026, 6, 5)  # Monday → Friday
    assert working_days_end(dt.date(2026, 6, 3), 5) == dt.date(2026, 6, 9)  # Wednesday → next Tuesday
    assert working_days_end(dt.date(2026, 6, 6), 5) == dt.date(2026, 6, 12)  # a Saturday counts from Monday


def test_anonymous_sees_results_and_rule_wording_and_nothing_personal(world):
    review = _posted_month(world, posted=_today())
    person = world.person_a
    response = Client().get(selectors.public_notice_url(review))
    assert response.status_code == 200
    text = response.content.decode()
    for shown in (world.village_a.name, "2026年5月", person.name, "抗洪抢险带头", "优", "扣分",
                  review.rule_set.rules.get(number=2).text):
        assert shown in text, shown
    for hidden in (person.id_number, person.id_number[-6:], person.phone, "私下说明", "王书记", "评议会记录"):
        assert hidden not in text, hidden
    assert not re.search(r"\d{17}[\dXx]", text)  # no ID number of anyone
    end = working_days_end(_today(), 5)
    assert f"{end:%Y-%m-%d}" in text


def test_the_public_page_sets_no_cookie_and_may_be_cached(world):
    review = _posted_month(world, posted=_today())
    response = Client().get(selectors.public_notice_url(review))
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def test_the_public_pages_link_to_nothing_but_each_other_and_static_files(world):
    review = _posted_month(world, posted=_today())
    notice = selectors.public_notice_url(review)
    objection = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    client = Client()
    seen, todo = set(), [notice]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        found = _links(response.content)
        for form_action in found.forms:
            assert form_action in ("", url), form_action  # a form posts to its own page only
        for link in found.urls:
            if link.startswith(settings.STATIC_URL):
                continue
            assert link in (notice, objection), f"{url} links to {link}"
            todo.append(link)
    assert seen == {notice, objection}
    assert _links(client.get(objection).content).forms == [""]  # the one form: the objection


def test_a_changed_token_or_another_months_signature_is_not_found(world):
    review = _posted_month(world, posted=_today())
    token = selectors.public_notice_token(review)
    pk, signature = token.split(".", 1)
    changed = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (f"{pk}.{changed}", f"{int(pk) + 1}.{signature}", pk, "x"):
        assert Client().get(reverse("members:public_notice", kwargs={"token": bad})).status_code == 404, bad
        assert Client().get(reverse("members:public_objection", kwargs={"token": bad})).status_code == 404, bad


def test_an_objection_is_filed_with_csrf_and_no_session_and_keeps_the_notice_version(world):
    review = _posted_month(world, posted=_today())
    url = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    client = Client(enforce_csrf_checks=True)
    form = client.get(url)
    assert set(form.cookies) == {settings.CSRF_COOKIE_NAME}  # the form's CSRF cookie only, never a session
    data = {"member": str(world.person_a.membership.pk), "text": "他本月并未参加抗洪", "name": "村民张三",
            "phone": "13900001111"}
    assert client.post(url, data).status_code == 403  # without the CSRF token
    data["csrfmiddlewaretoken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已收到" in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in response.cookies and settings.SESSION_COOKIE_NAME not in client.cookies
    objection = NoticeObjection.objects.get()
    assert (objection.review, objection.member, objection.text, objection.notice_version, objection.status) == (
        review, world.person_a.membership, "他本月并未参加抗洪", review.version, ObjectionStatus.OPEN)


def test_objections_are_limited_per_address(world):
    review = _posted_month(world, posted=_today())
    url = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    statuses = [Client().post(url, {"text": f"第{i}条"}).status_code for i in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    assert NoticeObjection.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.9").post(url, {"text": "另一处"})
    assert other.status_code == 200 and NoticeObjection.objects.count() == 6


def test_the_objection_limit_is_kept_in_the_database_cache_every_worker_reads(world):
    """Each gunicorn worker (and host) builds its own cache object: the count must live in the shared table, so a
    worker that never saw the first five objections still refuses the sixth from the same address."""
    review = _posted_month(world, posted=_today())
    url = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    assert [Client(REMOTE_ADDR="10.1.1.1").post(url, {"text": f"第{i}条"}).status_code for i in range(5)] == [200] * 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM qiangji_cache")
        assert cursor.fetchone()[0] > 0
    del caches["default"]  # as in another worker: a new cache object, no memory of this one's
    refused = Client(REMOTE_ADDR="10.1.1.1").post(url, {"text": "第六条"})
    assert refused.status_code == 429 and "请稍后再试" in refused.content.decode()
    assert NoticeObjection.objects.count() == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="another process cannot open SQLite's in-memory test database")
def test_another_process_counts_towards_the_same_limit(world):
    """Two processes, as two gunicorn hosts: four objections here, two from the other process (the fifth is taken,
    the sixth refused there), and the next one here is refused too."""
    review = _posted_month(world, posted=_today())
    url = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    assert [Client(REMOTE_ADDR="10.2.2.2").post(url, {"text": f"第{i}条"}).status_code for i in range(4)] == [200] * 4
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    other = subprocess.run(
        [sys.executable, "-c", "import sys, django; django.setup(); from django.test import Client; "
         "print(*(Client(REMOTE_ADDR='10.2.2.2').post(sys.argv[1], {'text': '另一台主机'}).status_code "
         "for _ in range(2)))", url],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert other.stdout.split() == ["200", "429"], other.stderr
    assert Client(REMOTE_ADDR="10.2.2.2").post(url, {"text": "第七条"}).status_code == 429
    assert NoticeObjection.objects.count() == 5


def test_after_the_window_the_form_is_gone_and_the_page_later_stops_resolving(world):
    posted = _today() - dt.timedelta(days=20)
    review = _posted_month(world, posted=posted)
    notice = selectors.public_notice_url(review)
    objection = reverse("members:public_objection", kwargs={"token": selectors.public_notice_token(review)})
    page = Client().get(notice)
    assert page.status_code == 200 and objection not in page.content.decode()
    assert "异议期已过" in page.content.decode()
    closed = Client().get(objection)
    assert "<form" not in closed.content.decode() and "异议期已过" in closed.content.decode()
    Client().post(objection, {"text": "迟到的异议"})
    assert not NoticeObjection.objects.exists()
    with pytest.raises(ValidationError):
        services.notice_objection_file(review=review, member_id=None, text="迟到的异议")
    # 90 days after the window (the county's setting), the address no longer opens
    CountyPolicy.objects.create(county=world.county, notice_public_days=10)
    assert Client().get(notice).status_code == 404


def _objection(world, review, text="评优不实"):
    return services.notice_objection_file(review=review, member_id=world.person_a.membership.pk, text=text)


def test_the_county_cannot_accept_a_month_with_an_open_objection(world, client_for):
    review = _posted_month(world, posted=_today(), submit=True)
    objection = _objection(world, review)
    county = world.users["county"]
    with pytest.raises(ValidationError, match="异议"):
        services.monthly_review_accept(user=county, review=review)
    client = client_for(county)
    month = {"code": world.village_a.code, "month": str(MAY)}
    client.post(reverse("members:monthlyreview_accept", kwargs=month), follow=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    response = client.post(reverse("members:monthlyreview_batch"),
                           {"step": "accept", "ids": [review.pk], "confirm": "1"}, follow=True)
    assert "异议" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    # the township dismisses it with the reason; then the county accepts
    client = client_for(world.users["township_a"])
    response = client.post(reverse("members:objection_answer", kwargs={"pk": objection.pk}),
                           {"upheld": "0", "answer": "经核实，该同志带头抗洪属实。"})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED and objection.answered_by == world.users["township_a"]
    assert objection.history.first().history_user == world.users["township_a"]  # the answer is audited
    services.monthly_review_accept(user=county, review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED


def test_an_upheld_objection_sends_the_month_back_to_be_corrected_and_posted_again(world, client_for):
    review = _posted_month(world, posted=_today(), submit=True)
    objection = _objection(world, review)
    client = client_for(world.users["township_a"])
    client.post(reverse("members:objection_answer", kwargs={"pk": objection.pk}),
                {"upheld": "1", "answer": "经核实，评优理由不实，已更正为合格。"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT and review.posted_date is None
    assert review.history.first().history_user == world.users["township_a"]
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD


def test_the_answer_shows_on_the_public_page_after_the_window(world):
    review = _posted_month(world, posted=_today())
    objection = _objection(world, review)
    services.notice_objection_answer(user=world.users["township_a"], objection=objection, upheld=False,
                                     answer="经核实，带头抗洪属实。")
    url = selectors.public_notice_url(review)
    assert "带头抗洪属实" not in Client().get(url).content.decode()  # not during the window
    MonthlyReview.objects.filter(pk=review.pk).update(posted_date=_today() - dt.timedelta(days=20))
    text = Client().get(url).content.decode()
    assert "带头抗洪属实" in text and "驳回" in text
    assert "评优不实" not in text  # the objection's own text (and who filed it) stay with the township


def test_objections_wait_in_the_townships_work_queue(world, client_for):
    review = _posted_month(world, posted=_today())
    objection = _objection(world, review)
    for role, shown in (("township_a", True), ("township_b", False), ("county", False)):
        content = client_for(world.users[role]).get(reverse("home")).content.decode()
        assert (objection.get_absolute_url() in content) is shown, role
    services.notice_objection_answer(user=world.users["township_a"], objection=objection, upheld=False,
                                     answer="属实")
    home = client_for(world.users["township_a"]).get(reverse("home"))
    assert objection.get_absolute_url() not in home.content.decode()


def test_the_staff_notice_page_shows_the_code_and_the_address(world, client_for):
    review = _posted_month(world, posted=_today())
    _objection(world, review)
    response = client_for(world.users["township_a"]).get(
        reverse("members:monthlyreview_notice", kwargs={"code": world.village_a.code, "month": str(MAY)}))
    text = response.content.decode()
    url = "http://testserver" + selectors.public_notice_url(review)
    assert f'href="{url}"' in text and "<svg" in text
    assert "评优不实" in text


def test_the_printed_notice_carries_the_qr_code_and_the_address(world, client_for):
    from tests.pdfs import pdf_link_uris, pdf_qr_codes, pdf_text

    review = _posted_month(world, posted=_today())
    response = client_for(world.users["township_a"]).get(
        reverse("reports:report_run", args=["public-notice"]),
        {"village": world.village_a.pk, "month": str(MAY), "format": "pdf"})
    assert response.status_code == 200
    url = "http://testserver" + selectors.public_notice_url(review)
    assert url in pdf_link_uris(response.content)
    assert "5个工作日" in "".join(pdf_text(response.content).split())
    codes = pdf_qr_codes(response.content)
    if codes is not None:  # zbar-tools installed: the printed code itself decodes to the address
        assert codes == [url]


def test_the_county_sets_the_window_length(world, client_for):
    review = _posted_month(world, posted=dt.date(2026, 6, 1))  # a Monday
    response = client_for(world.users["county"]).post(reverse("members:countypolicy_edit"), {
        "submission_due_days": 10, "warning_points": 6, "disposition_points": 12, "flag_z": "2.0",
        "notice_working_days": 7, "notice_public_days": 30})
    assert response.status_code == 302
    window = selectors.notice_window(review)
    assert (window.start, window.end, window.gone) == (dt.date(2026, 6, 1), dt.date(2026, 6, 9), dt.date(2026, 7, 10))


def _notice_built_by_the_worker(world) -> bytes:
    """Village A's May notice as a background export: the worker's path (export_build_file), with no request."""
    from core.exports import export_build_file, export_start
    from core.reports.registry import report_get

    user = world.users["township_a"]
    export = export_start(user=user, report=report_get(user=user, code="public-notice")(user), fmt="pdf",
                          params={"village": str(world.village_a.pk), "month": str(MAY)})
    export = export_build_file(export_id=str(export.pk))
    assert export.status == "done", export.error
    with export.file.open("rb") as f:
        return f.read()


def _printed_addresses(pdf: bytes) -> tuple[list[str], list[str] | None, str]:
    from tests.pdfs import pdf_link_uris, pdf_qr_codes, pdf_text

    return pdf_link_uris(pdf), pdf_qr_codes(pdf), "".join(pdf_text(pdf).split())


def test_the_notice_built_by_the_worker_carries_the_public_address(world, settings):
    settings.PUBLIC_BASE_URL = "https://qiangji.example.gov.cn"
    review = _posted_month(world, posted=_today())
    links, codes, text = _printed_addresses(_notice_built_by_the_worker(world))
    url = "https://qiangji.example.gov.cn" + selectors.public_notice_url(review)
    assert set(links) == {url}  # (a link that wraps is two areas)
    assert url in text  # the address printed beside the code
    if codes is not None:  # zbar-tools installed: the printed code itself decodes to the address
        assert codes == [url]


def test_the_public_address_wins_over_the_one_the_official_prints_from(world, client_for, settings):
    """An official on the intranet address prints the notice: its code still opens from a villager's phone."""
    from tests.pdfs import pdf_link_uris

    settings.PUBLIC_BASE_URL = "https://qiangji.example.gov.cn/"
    review = _posted_month(world, posted=_today())
    url = "https://qiangji.example.gov.cn" + selectors.public_notice_url(review)
    client = client_for(world.users["township_a"])
    page = client.get(reverse("members:monthlyreview_notice", kwargs={"code": world.village_a.code,
                                                                       "month": str(MAY)})).content.decode()
    assert f'href="{url}"' in page and "testserver" not in page
    pdf = client.get(reverse("reports:report_run", args=["public-notice"]),
                     {"village": world.village_a.pk, "month": str(MAY), "format": "pdf"}).content
    assert set(pdf_link_uris(pdf)) == {url}


def test_without_the_setting_the_worker_takes_the_portals_host(world, settings):
    settings.PUBLIC_BASE_URL, settings.ALLOWED_HOSTS = "", [".example.gov.cn", "party.example.gov.cn"]
    settings.SECURE_SSL_REDIRECT = True  # production's: the portal answers over https
    review = _posted_month(world, posted=_today())
    links, codes, _text = _printed_addresses(_notice_built_by_the_worker(world))
    url = "https://party.example.gov.cn" + selectors.public_notice_url(review)
    assert set(links) == {url}  # (a link that wraps is two areas)
    if codes is not None:
        assert codes == [url]


def test_with_no_address_to_give_the_notice_is_printed_without_the_code(world, settings):
    settings.PUBLIC_BASE_URL, settings.ALLOWED_HOSTS = "", ["*"]
    _posted_month(world, posted=_today())
    links, codes, text = _printed_addresses(_notice_built_by_the_worker(world))
    assert links == [] and not codes and "/members/notice/" not in text
    assert "公示期5个工作日。如有异议，请向村党支部或乡镇党委反映。" in text  # the county's window, not a bare path
    assert "抗洪抢险带头" in text  # the notice itself is all there
