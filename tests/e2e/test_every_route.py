"""Every page a township user (township01) and the county user (county) can open, at 1400 px and at 390 px.

The URL resolver is walked; path parameters are filled from the demo county (寨里镇's 上坪村, month 2026-11, quarter
2026Q3, and the first record of each kind in 寨里镇); each report's page is visited. For each page: status 200, a
full-page screenshot in test-artifacts/e2e/routes/<user>-<width>-<route>.png, the page does not scroll sideways as a
whole (document.documentElement.scrollWidth <= window.innerWidth), no console error, no uncaught script error and
no failed request; at 390 px the top bar (navigation folded) is shorter than 120 px. A route answered 403 is not
open to that user and is listed, not screenshotted. Routes not visited are listed in SKIPPED (or are POST-only views,
or the Django admin), each with the reason; a new route with no way to fill its parameters fails the test.

Runs on SQLite only (once per CI run); on PostgreSQL it is skipped.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.e2e.conftest import ARTIFACTS, PASSWORD, TIMEOUT_MS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif("sqlite" not in settings.DATABASES["default"]["ENGINE"],
                       reason="run once per CI run: the screenshots of every route run on SQLite only"),
]

USERS = ("township01", "county")
WIDTHS = (1400, 390)
SHOTS = ARTIFACTS / "routes"
SHANGPING = "359901101201"  # 上坪村, 寨里镇 (township01)
OBJECTION_VILLAGE = "359901101206"  # 寨里镇: left to this test by the other journeys
MONTH = "2026-11"  # submitted in the demo: the grid read-only
DRAFT_MONTH = "2026-12"  # a draft: the grid with its inputs
QUARTER = "2026Q3"
MAX_TOPBAR_AT_390 = 120

# Routes not screenshotted, and why. POST-only views (TransitionView, BatchTransitionView, logout: a GET is refused
# with 405) are found from the view's http_method_names and skipped as "POST only".
SKIPPED = {
    "healthz": "a JSON health check for the load balancer, not a page",
    "login": "the signed-out login page: screenshotted before signing in (<user>-<width>-login.png)",
    "members:monthlyreview_template": "a workbook download (xlsx)",
    "members:monthlyreview_minutes": "a download of the uploaded minutes file",
    "evaluations:pay_export": "a workbook download (xlsx)",
    "pledges:archive_pdf": "a PDF download",
    "evaluations:sheet_pdf": "a PDF download",
    "evaluations:pay_pdf": "a PDF download",
    "assemblies:filing_pdf": "a PDF download",
    "pledges:archiveentry_file": "a download of an archived file",
    "reports:export_download": "a download of a background export's file",
}
SKIPPED_NAMESPACES = {"admin": "Django's own admin pages and styles; scope-tested in tests/*/test_admin.py"}


@dataclass(frozen=True)
class Visit:
    route: str  # the URL name, e.g. "members:monthlyreview_grid"
    url: str
    label: str  # for file names: members-monthlyreview_grid, reports-report_run-<code>


def route_names(patterns=None, namespace=None, prefix=""):
    """(name, view, pattern) of every named route outside the skipped namespaces."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace in SKIPPED_NAMESPACES:
                continue
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from route_names(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p.callback, prefix + str(p.pattern)


def post_only(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    return view_class is not None and "get" not in view_class.http_method_names


def demo_kwargs(username: str) -> dict[str, list[dict]]:
    """Path parameters for each route with any, from the demo county as township01 sees it (the county sees it too).
    A route maps to a list: one visit per entry (the report page, once per report the user may run; none when the
    demo county holds no such record the user can see)."""
    from accounts.models import User
    from assemblies.models import DiscussionPoint, Filing, Household, Inspection, Matter, Meeting
    from checks.choices import ReopenKind
    from checks.models import ReopenRequest, SpotCheck
    from checks.services import reopen_request_create, spot_check_draw
    from core.exports import export_start
    from core.periods import Quarter
    from core.reports.registry import report_get, report_list
    from evaluations.models import CadreEvaluation, HandlingCase, Round, TownshipEvaluation
    from members.models import Disposition, MemberWarning, MonthlyReview, NoticeObjection, RuleSet
    from members.selectors import public_notice_token
    from members.services import notice_objection_file
    from pledges.choices import PledgeKind
    from pledges.models import ArchiveEntry, Pledge, PledgeItem, Rectification
    from pledges.selectors import cadre_list
    from villages.models import CadrePost, Person, Village

    user = User.objects.get(username="township01")
    own = User.objects.get(username=username)

    def pk(model, **filters):
        """The first such record of 上坪村 or 寨里镇, else the first the user can see (None: the demo has none)."""
        obj = (model.objects.for_user(user).filter(**filters).order_by("pk").first()
               or model.objects.for_user(own).order_by("pk").first())
        return {"pk": obj.pk} if obj else None

    village = Village.objects.get(code=SHANGPING)
    person = pk(Person, village=village)
    cadre = {"pk": cadre_list(user=user, village=village).order_by("pk").first().pk}
    month = {"code": SHANGPING, "month": MONTH}
    quarter = {"code": SHANGPING, "quarter": QUARTER}
    pledge = pk(Pledge, village=village)
    meeting = pk(Meeting)
    matter = pk(Matter)
    household = pk(Household, village=village)
    inspection = pk(Inspection)
    round_ = {"pk": Round.objects.order_by("-pk").first().pk}
    sheet = pk(TownshipEvaluation)
    # A background export of the user's own, queued (no worker runs here): its page says it waits.
    export = export_start(user=own, report=report_get(user=own, code="cadre-roster")(own), fmt="xlsx", params={})
    # A village-month's public notice (no login: its signed address) and an objection filed there, to answer; in a
    # village no other journey uses (an open objection holds back the county's accept of that month).
    review = MonthlyReview.objects.get(village__code=OBJECTION_VILLAGE, year=2026, month=11)
    notice = {"token": public_notice_token(review)}
    objection = NoticeObjection.objects.filter(review=review).order_by("pk").first() or notice_objection_file(
        review=review, member_id=None, text="公示内容有误，请核实。", today=review.posted_date)
    # A county spot-check of 2026Q3 (one month a township), and township01's request to reopen an accepted month of
    # 寨里镇 (a request changes nothing of the month); a second accepted month, not asked about, for the ask page.
    county = User.objects.get(username="county")
    spot_check = SpotCheck.objects.order_by("pk").first() or spot_check_draw(
        user=county, quarter=Quarter(2026, 3), per_township=1, seed=1)
    accepted = list(MonthlyReview.objects.filter(village__township=village.township, status="accepted")
                    .exclude(village__code=OBJECTION_VILLAGE).order_by("village__code", "year", "month")[:2])
    reopen = ReopenRequest.objects.order_by("pk").first() or reopen_request_create(
        user=user, kind=ReopenKind.MONTH, period=accepted[0], reason="评定录入有误，请退回修改")
    one = {
        "checks:spotcheck_detail": {"pk": spot_check.pk},
        "checks:sample_check": {"pk": spot_check.samples.order_by("pk").first().pk},
        "checks:reopen_decide": {"pk": reopen.pk},
        "checks:reopen_add": {"kind": ReopenKind.MONTH.value, "pk": accepted[1].pk},
        "reports:export_detail": {"pk": export.pk},
        "members:public_notice": notice,
        "members:public_objection": notice,
        "members:objection_answer": {"pk": objection.pk},
        "record_history": {"app_label": "villages", "model_name": "village", "pk": village.pk},
        "villages:village_detail": {"code": SHANGPING},
        "villages:cadrepost_add": {"code": SHANGPING},
        "villages:cadrepost_edit": pk(CadrePost, person__village=village),
        "villages:person_detail": person,
        "villages:person_reveal": person,
        "villages:person_edit": person,
        "members:monthlyreview_grid": month,
        "members:monthlyreview_import": month,
        "members:monthlyreview_notice": month,
        "members:ruleset_revise": pk(RuleSet),
        "members:ruleset_detail": pk(RuleSet),
        "members:warning_edit": pk(MemberWarning),
        "members:disposition_edit": pk(Disposition),
        "evaluations:round_detail": round_,
        "evaluations:round_edit": round_,
        "evaluations:sheet_detail": sheet,
        "evaluations:pay_table": sheet,
        "evaluations:result_edit": pk(CadreEvaluation),
        "evaluations:cadre_detail": {"pk": CadreEvaluation.objects.get(**pk(CadreEvaluation)).person_id},
        "evaluations:case_edit": pk(HandlingCase),
        "pledges:pledge_add": {"code": SHANGPING},
        "pledges:pledge_detail": pledge,
        "pledges:pledge_adopt": pledge,
        "pledges:pledge_copy": pk(Pledge, village=village, kind=PledgeKind.ANNUAL),  # only a year's pledge is copied
        "pledges:pledgeitem_add": pledge,
        "pledges:pledgeitem_edit": pk(PledgeItem, pledge__village=village),
        "pledges:review_detail": quarter,
        "pledges:rectification_add": quarter,
        "pledges:rectification_edit": pk(Rectification),
        "pledges:archive_detail": cadre,
        "pledges:archiveentry_add": cadre,
        "pledges:archiveentry_withdraw": pk(ArchiveEntry),
        "assemblies:village_detail": {"code": SHANGPING},
        "assemblies:household_add": {"code": SHANGPING},
        "assemblies:discussionpoint_add": {"code": SHANGPING},
        "assemblies:speakerpilot_edit": {"code": SHANGPING},
        "assemblies:meeting_add": {"code": SHANGPING},
        "assemblies:household_detail": household,
        "assemblies:household_edit": household,
        "assemblies:household_representative": household,
        "assemblies:discussionpoint_edit": pk(DiscussionPoint),
        "assemblies:meeting_detail": meeting,
        "assemblies:meeting_edit": meeting,
        "assemblies:matter_add": meeting,
        "assemblies:matter_detail": matter,
        "assemblies:matter_edit": matter,
        "assemblies:followup_add": matter,
        "assemblies:inspection_detail": inspection,
        "assemblies:inspection_edit": inspection,
        "assemblies:filing_detail": pk(Filing),
    }
    many = {name: [kwargs] if kwargs else [] for name, kwargs in one.items()}
    many["members:monthlyreview_grid"].append({"code": SHANGPING, "month": DRAFT_MONTH})  # the grid as entered
    many["reports:report_run"] = [{"code": r.code} for r in report_list(user=User.objects.get(username=username))]
    return many


def visits(username: str) -> list[Visit]:
    """Every route to screenshot, in URL order; fails naming a route with parameters but no entry in demo_kwargs."""
    kwargs_for = demo_kwargs(username)
    result, unfilled = [], []
    for name, callback, pattern in route_names():
        if name in SKIPPED or post_only(callback):
            continue
        if "<" not in pattern:
            result.append(Visit(name, reverse(name), name.replace(":", "-")))
        elif name in kwargs_for:
            for kwargs in kwargs_for[name]:
                label = name.replace(":", "-")
                if len(kwargs_for[name]) > 1:
                    label += f"-{list(kwargs.values())[-1]}"  # the month of a grid, the code of a report
                result.append(Visit(name, reverse(name, kwargs=kwargs), label))
        else:
            unfilled.append(name)
    assert not unfilled, f"routes with path parameters but no demo values (add them to demo_kwargs): {unfilled}"
    return result


def skipped() -> dict[str, str]:
    """Every route not screenshotted and why (printed with the test's result)."""
    reasons = dict(SKIPPED)
    reasons.update({name: "POST only (a state change; a GET is refused with 405)"
                    for name, callback, _ in route_names() if post_only(callback)})
    reasons.update({f"{ns}:*": why for ns, why in SKIPPED_NAMESPACES.items()})
    return reasons


class PageWatch:
    """Console errors, uncaught script errors and failed requests of one page, collected per visit."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _failed(self, request):
        # Leaving a page aborts what it still loads (the favicon, say): not a failure of that page.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def check_page(page, width: int) -> list[str]:
    """What a person would notice on the page as shown: sideways scroll of the whole page, a tall top bar."""
    problems = []
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        widest = page.evaluate(WIDEST_JS)
        problems.append(f"page scrolls sideways: {scroll_width} px > {inner_width} px (widest: {widest})")
    wrapped = page.evaluate(WRAPPED_JS)
    if wrapped:
        problems.append(f"short names or dates wrapped over two lines: {wrapped}")
    if width < 760:
        height = page.evaluate("document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0")
        if height >= MAX_TOPBAR_AT_390:
            problems.append(f"top bar {height:.0f} px high at {width} px")
    return problems


# The element sticking out furthest to the right that is not inside a scrolling box (to name the culprit).
WIDEST_JS = """() => {
  let worst = null, right = window.innerWidth;
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility()) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= right + 0.5) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
    }
    if (!clipped) { worst = el; right = r.right; }
  }
  return worst ? `${worst.tagName.toLowerCase()}.${[...worst.classList].join('.')} right=${Math.round(right)}` : null;
}"""


# Table cells holding a short name (2-4 Chinese characters) or a date whose text runs over more than one line.
WRAPPED_JS = """() => {
  const short = /^([\\u4e00-\\u9fff]{2,4}|\\d{4}-\\d{2}-\\d{2})$/, found = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const text = cell.textContent.trim();
    if (!short.test(text) || !cell.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
    if (lines.size > 1) found.push(text);
  }
  return found.slice(0, 5);
}"""


@pytest.mark.parametrize("username", USERS)
def test_every_route_at_1400_and_390(browser, demo_server, username):
    routes = visits(username)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    watch = PageWatch(page)
    failures, not_open = [], set()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            context.clear_cookies()
            page.goto(demo_server.url + "/login/")
            failures += [f"{width} login: {p}" for p in check_page(page, width) + watch.take()]
            page.screenshot(path=str(SHOTS / f"{username}-{width}-login.png"), full_page=True)
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/login/" not in u)
            watch.take()
            for visit in routes:
                if visit.route in not_open:
                    continue
                response = page.goto(demo_server.url + visit.url)
                status = response.status if response else None
                if status == 403:
                    not_open.add(visit.route)
                    watch.take()
                    continue
                problems = [] if status == 200 else [f"status {status}"]
                problems += check_page(page, width) + watch.take()
                page.screenshot(path=str(SHOTS / f"{username}-{width}-{visit.label}.png"), full_page=True)
                failures += [f"{width} {visit.url} ({visit.route}): {p}" for p in problems]
    finally:
        context.close()
    shown = len(routes) - len([v for v in routes if v.route in not_open])
    print(f"\n{username}: {shown} pages × {len(WIDTHS)} widths; not open to {username} (403): {sorted(not_open)}")
    print("not visited: " + "; ".join(f"{name}: {why}" for name, why in sorted(skipped().items())))
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
