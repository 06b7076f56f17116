from members.models import MonthlyReview
from tests.members.factories import rule_set_with_rules
from tests.scope_matrix import BATCH_POST, REGION_CANNOT, Route

MONTH = "2026-05"


def _setup(w):
    if "rule_set_a" not in w.extra:
        w.extra["rule_set_a"] = rule_set_with_rules(w.village_a)


def _setup_submitted(w):
    """A submitted month of village A (so accept and return have something to act on)."""
    import datetime as dt

    from core.workflow import ReviewStatus

    _setup(w)
    MonthlyReview.objects.create(village=w.village_a, year=2026, month=5, rule_set=w.extra["rule_set_a"],
                                 due_date=dt.date(2026, 6, 10), status=ReviewStatus.SUBMITTED)


def _setup_minutes(w):
    """A saved month of village A with an uploaded minutes file (a tiny PNG)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.periods import Month
    from members import services

    _setup(w)
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64
    services.monthly_grid_save(
        user=w.users["township_a"], village=w.village_a, month=Month(2026, 5), expected_version=0, entries=[],
        meeting=services.MeetingEntry(minutes_file=SimpleUploadedFile("minutes.png", png)),
    )


def month_a(w):
    return {"code": w.village_a.code, "month": MONTH}


def rule_set_a(w):
    return {"pk": w.extra["rule_set_a"].pk}


def _history(model_name, key):
    def kwargs(w):
        return {"app_label": "members", "model_name": model_name, "pk": w.extra[key].pk}

    kwargs.__doc__ = f"members.{model_name}"
    return kwargs


def _setup_saved(w):
    """A saved month of village A with a deduction (for the audit-trail pages)."""
    from core.periods import Month
    from members import services

    _setup(w)
    if "review_a" in w.extra:
        return
    rule = w.extra["rule_set_a"].rules.first()
    member = w.person_a.membership
    review = services.monthly_grid_save(
        user=w.users["township_a"], village=w.village_a, month=Month(2026, 5), expected_version=0,
        entries=[services.ResultEntry(member_id=member.pk, deductions=[services.DeductionEntry(rule_id=rule.pk)])])
    w.extra.update(review_a=review, result_a=review.results.get(), deduction_a=review.results.get().deductions.get())


def _setup_records(w):
    """A warning and a disposition for the party member of village A."""
    import datetime as dt

    from members.models import Disposition, MemberWarning

    if "warning_a" in w.extra:
        return
    member = w.person_a.membership
    w.extra["warning_a"] = MemberWarning.objects.create(
        member=member, reason="长期不参加组织生活", issued_by="村党支部", issued_date=dt.date(2026, 6, 1),
        deadline=dt.date(2026, 9, 1))
    w.extra["disposition_a"] = Disposition.objects.create(
        member=member, kind="correct", reason="告诫后未改正", decision_date=dt.date(2026, 10, 1), approved_by="镇党委")


def warning_a(w):
    return {"pk": w.extra["warning_a"].pk}


def disposition_a(w):
    return {"pk": w.extra["disposition_a"].pk}


def _setup_objection(w):
    """Village A's saved month, posted today (its window open), with an objection filed on its public page."""
    from django.utils import timezone

    from members import services

    _setup_saved(w)
    if "objection_a" in w.extra:
        return
    review = w.extra["review_a"]
    review.posted_date = timezone.localdate()
    review.save(update_fields=["posted_date"])
    w.extra["objection_a"] = services.notice_objection_file(review=review, member_id=None, text="评定不公")


def objection_a(w):
    return {"pk": w.extra["objection_a"].pk}


def notice_token_a(w):
    from members.selectors import public_notice_token

    return {"token": public_notice_token(w.extra["review_a"])}


HISTORY_EXPECT = {"township_a": 403, "township_b": 403, "clerk_a": 403, "other_region": 404}
TOWNSHIP_ONLY = {"county": 403, "clerk_a": 403}
COUNTY_ONLY = {"township_a": 403, "clerk_a": 403, "township_b": 404}
POSTED = {"anonymous": 302}
PUBLIC = {"anonymous": 200, "township_b": 200}

ROUTES = [
    Route("members:monthlyreview_batch", method="post", expect=BATCH_POST),
    Route("members:monthlyreview_list", shown=lambda w: w.village_a.name, expect={"township_b": 200}),
    Route("members:monthlyreview_grid", month_a, setup=_setup, shown=lambda w: w.person_a.name),
    Route("members:monthlyreview_template", month_a, setup=_setup),
    Route("members:monthlyreview_import", month_a, setup=_setup, expect={"county": 403, "clerk_a": 403}),
    Route("members:monthlyreview_notice", month_a, setup=_setup_saved, shown=lambda w: w.person_a.name),
    Route("members:monthlyreview_minutes", month_a, setup=_setup_minutes),
    Route("members:monthlyreview_submit", month_a, method="post", setup=_setup,
          expect={"township_a": 302, "county": 403, "clerk_a": 403}),
    Route("members:monthlyreview_accept", month_a, method="post", setup=_setup_submitted,
          expect={**COUNTY_ONLY, "county": 302}),
    Route("members:monthlyreview_return", month_a, method="post", setup=_setup_submitted,
          expect={**COUNTY_ONLY, "county": 302}),
    Route("members:partymember_import", expect={"township_b": 200, **TOWNSHIP_ONLY}),
    Route("members:signals", expect={"township_b": 200}),
    Route("members:ruleset_list", shown=lambda w: w.village_a.name, setup=_setup, query=lambda w: "year=2026",
          expect={"township_b": 200}),
    Route("members:ruleset_detail", rule_set_a, setup=_setup),
    Route("members:ruleset_revise", rule_set_a, setup=_setup, expect=TOWNSHIP_ONLY),
    Route("members:basicrequirement_list", expect={"township_b": 200}),
    Route("members:ruleset_add", expect={"township_b": 200, **TOWNSHIP_ONLY}),
    Route("members:countypolicy_edit", expect={"township_a": 403, "township_b": 403, "clerk_a": 403,
                                                **REGION_CANNOT}),
    Route("members:member_totals", expect={"township_b": 200}),
    Route("members:warning_list", expect={"township_b": 200}),
    Route("members:warning_add", expect={"township_b": 200, **TOWNSHIP_ONLY}),
    Route("members:warning_edit", warning_a, setup=_setup_records, expect=TOWNSHIP_ONLY),
    Route("members:disposition_edit", disposition_a, setup=_setup_records, expect=TOWNSHIP_ONLY),
    Route("record_history", _history("memberwarning", "warning_a"), setup=_setup_records, expect=HISTORY_EXPECT),
    Route("members:disposition_add", expect={"township_b": 200, **TOWNSHIP_ONLY}),
    Route("record_history", _history("monthlyreview", "review_a"), setup=_setup_saved, expect=HISTORY_EXPECT),
    Route("record_history", _history("monthlyresult", "result_a"), setup=_setup_saved, expect=HISTORY_EXPECT),
    Route("record_history", _history("deduction", "deduction_a"), setup=_setup_saved, expect=HISTORY_EXPECT),
    Route("record_history", _history("ruleset", "rule_set_a"), setup=_setup, expect=HISTORY_EXPECT),
    Route("members:objection_answer", objection_a, setup=_setup_objection, expect=TOWNSHIP_ONLY),
    Route("record_history", _history("noticeobjection", "objection_a"), setup=_setup_objection,
          expect=HISTORY_EXPECT),
    # The public notice and its objection form: the same page for anyone with the link, signed in or not.
    Route("members:public_notice", notice_token_a, setup=_setup_objection, expect=PUBLIC),
    Route("members:public_objection", notice_token_a, setup=_setup_objection, expect=PUBLIC),
]
