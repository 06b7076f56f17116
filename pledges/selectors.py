"""Reads, each narrowed to the user's scope; out of scope → 404."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks
from core.periods import Quarter
from core.queries import subquery_count
from core.workflow import ReviewStatus, next_waiting
from villages.choices import TWO_COMMITTEES
from villages.models import CadrePost, Person, Village

from .choices import ArchiveCategory, ItemStatus, PledgeKind, RectificationStatus
from .models import (
    ArchiveEntry,
    ItemReview,
    Pledge,
    PledgeItem,
    PledgeQuarterSummary,
    QuarterlyReview,
    Rectification,
)

# Pledges -----------------------------------------------------------------------------------------------------------

def pledge_list(*, user, year: int | None = None, kind: str | None = None, village: Village | None = None,
                township=None, missing_adoption: bool = False) -> QuerySet[Pledge]:
    qs = Pledge.objects.for_user(user).select_related("village__township", "person").annotate(
        item_count=Count("items")
    )
    if year:
        if kind == PledgeKind.TERM:
            qs = qs.filter(year__lte=year, term_end_year__gte=year)
        else:
            qs = qs.filter(Q(kind=PledgeKind.ANNUAL, year=year)
                           | Q(kind=PledgeKind.TERM, year__lte=year, term_end_year__gte=year))
    if kind:
        qs = qs.filter(kind=kind)
    if village is not None:
        qs = qs.filter(village=village)
    if township is not None:
        qs = qs.filter(village__township=township)
    if missing_adoption:
        qs = qs.filter(publicly_pledged_date__isnull=True)
    return qs.order_by("village__code", "kind", "person__name", "-year", "pk")


def pledge_items_overdue(qs, today=None):
    """Pledge items with is_overdue: past their due date (the due day itself is in time) and no check found them
    done — whatever the last quarterly check said (正常推进 in the second quarter does not hold after 15 June)."""
    today = today or timezone.localdate()
    done = ItemReview.objects.filter(item=OuterRef("pk"), status=ItemStatus.DONE)
    return qs.annotate(is_overdue=Q(due_date__lt=today) & ~Exists(done))


def pledge_get(*, user, pk, today=None) -> Pledge:
    items = pledge_items_overdue(PledgeItem.objects, today).prefetch_related(
        Prefetch("reviews", queryset=ItemReview.objects.select_related("review").order_by("review__year",
                                                                                         "review__quarter")))
    try:
        return (
            Pledge.objects.for_user(user).select_related("village__township", "person", "copied_from")
            .prefetch_related(Prefetch("items", queryset=items))
            .get(pk=pk)
        )
    except (Pledge.DoesNotExist, ValueError):
        raise Http404(_("No such pledge in your area."))


def pledge_item_get(*, user, pk) -> PledgeItem:
    try:
        return PledgeItem.objects.for_user(user).select_related("pledge__village", "pledge__person").get(pk=pk)
    except (PledgeItem.DoesNotExist, ValueError):
        raise Http404(_("No such pledge item in your area."))


def adoption_by_village(*, user, year: int, township=None) -> QuerySet[Village]:
    """Per village: this year's annual pledges, how many still lack each adoption step, and cadres without a pledge."""
    annual = Pledge.objects.filter(village=OuterRef("pk"), kind=PledgeKind.ANNUAL, year=year)

    def count(qs):
        return subquery_count(qs, "village")

    cadres = CadrePost.objects.filter(village=OuterRef("pk"), committee__in=TWO_COMMITTEES, end_date__isnull=True)
    cadres_without = cadres.filter(~Exists(Pledge.objects.filter(person=OuterRef("person"), kind=PledgeKind.ANNUAL,
                                                                  year=year)))
    qs = Village.objects.for_user(user).select_related("township").annotate(
        pledge_count=count(annual),
        missing_assembly=count(annual.filter(party_assembly_date__isnull=True)),
        missing_meeting=count(annual.filter(representative_meeting_date__isnull=True)),
        not_public=count(annual.filter(publicly_pledged_date__isnull=True)),
        cadres_without_pledge=Coalesce(Subquery(
            cadres_without.order_by().values("village").annotate(n=Count("person", distinct=True)).values("n"),
            output_field=IntegerField()), Value(0)),
        term_pledges=count(Pledge.objects.filter(village=OuterRef("pk"), kind=PledgeKind.TERM, year__lte=year,
                                                 term_end_year__gte=year)),
    )
    if township is not None:
        qs = qs.filter(township=township)
    return qs.order_by("code")


# Cadres and fulfilment ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fulfilment:
    """A cadre's annual-pledge fulfilment for one year, from the latest review of each item in that year."""

    items: int = 0
    reviewed: int = 0
    done: int = 0
    on_track: int = 0
    behind: int = 0
    not_started: int = 0

    @property
    def rate(self) -> float | None:
        """Share of the pledge's items whose latest review says done (None when nothing was pledged)."""
        return self.done / self.items if self.items else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def _fulfilment_rows(*, persons_qs, year: int):
    latest = (ItemReview.objects.filter(item=OuterRef("pk"), review__year=year)
              .order_by("-review__quarter").values("status")[:1])
    return (
        PledgeItem.objects.filter(pledge__kind=PledgeKind.ANNUAL, pledge__year=year, pledge__person__in=persons_qs)
        .annotate(latest=Subquery(latest))
        .values("pledge__person")
        .annotate(
            items=Count("pk"),
            reviewed=Count("pk", filter=Q(latest__isnull=False)),
            done=Count("pk", filter=Q(latest=ItemStatus.DONE)),
            on_track=Count("pk", filter=Q(latest=ItemStatus.ON_TRACK)),
            behind=Count("pk", filter=Q(latest=ItemStatus.BEHIND)),
            not_started=Count("pk", filter=Q(latest=ItemStatus.NOT_STARTED)),
        )
        .order_by()
    )


def pledge_fulfilment_rates(*, user, persons, year: int) -> dict[int, Fulfilment]:
    """Fulfilment of many cadres in one query: {person id: Fulfilment}, computed in the database.

    `persons` is a Person queryset or a list of Person objects or ids. Cadres outside the user's scope, and cadres
    without an annual pledge for the year, are absent: use `.get(pk, Fulfilment())`."""
    if isinstance(persons, QuerySet):
        wanted = Person.objects.filter(pk__in=persons.values("pk"))
    else:
        wanted = Person.objects.filter(pk__in=[getattr(p, "pk", p) for p in persons])
    in_scope = wanted.for_user(user).values("pk")
    result = {}
    for row in _fulfilment_rows(persons_qs=in_scope, year=year):
        person_id = row.pop("pledge__person")
        result[person_id] = Fulfilment(**row)
    return result


def pledge_fulfilment_rate(*, user, person, year: int) -> Fulfilment:
    """One cadre's fulfilment for a year (404 outside the user's scope)."""
    pk = getattr(person, "pk", person)
    if not Person.objects.for_user(user).filter(pk=pk).exists():
        raise Http404(_("No such cadre in your area."))
    rows = list(_fulfilment_rows(persons_qs=Person.objects.filter(pk=pk).values("pk"), year=year))
    if not rows:
        return Fulfilment()
    row = rows[0]
    row.pop("pledge__person")
    return Fulfilment(**row)


ARCHIVE_GAP_CATEGORIES = [c for c in ArchiveCategory if c != ArchiveCategory.APPOINTMENT]


def cadre_list(*, user, township=None, village=None, gaps_only: bool = False) -> QuerySet[Person]:
    """Serving two-committee cadres in scope, with their posts and which archive categories hold material.

    `has_<category>` is True when the archive holds a current (not withdrawn) entry of that category; pledges also
    count from the pledges recorded here."""
    current_posts = CadrePost.objects.filter(person=OuterRef("pk"), committee__in=TWO_COMMITTEES, end_date__isnull=True)
    entries = ArchiveEntry.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True)
    annotations = {f"has_{c.value}": Exists(entries.filter(category=c)) for c in ARCHIVE_GAP_CATEGORIES}
    annotations["has_pledge"] = Exists(entries.filter(category=ArchiveCategory.PLEDGE)) | Exists(
        Pledge.objects.filter(person=OuterRef("pk")))
    qs = (
        Person.objects.for_user(user).select_related("village__township")
        .filter(Exists(current_posts))
        .annotate(**annotations)
        .prefetch_related(Prefetch("posts", queryset=CadrePost.objects.filter(
            committee__in=TWO_COMMITTEES, end_date__isnull=True).order_by("start_date"), to_attr="current_posts"))
        .order_by("village__code", "name", "pk")
    )
    if township is not None:
        qs = qs.filter(village__township=township)
    if village is not None:
        qs = qs.filter(village=village)
    if gaps_only:
        gap = Q()
        for c in ARCHIVE_GAP_CATEGORIES:
            gap |= Q(**{f"has_{c.value}": False})
        qs = qs.filter(gap)
    return qs


def cadre_get(*, user, pk) -> Person:
    """A person in scope who holds or held a two-committee post."""
    try:
        return (
            Person.objects.for_user(user).select_related("village__township")
            .filter(Exists(CadrePost.objects.filter(person=OuterRef("pk"), committee__in=TWO_COMMITTEES)))
            .get(pk=pk)
        )
    except (Person.DoesNotExist, ValueError):
        raise Http404(_("No such cadre in your area."))


def cadre_archive(*, user, person: Person) -> dict:
    """Everything the archive page and its PDF show for one cadre."""
    posts = CadrePost.objects.filter(person=person).select_related("village").order_by("start_date")
    pledges = list(
        Pledge.objects.for_user(user).filter(person=person).select_related("village")
        .prefetch_related(Prefetch("items", queryset=PledgeItem.objects.prefetch_related(
            Prefetch("reviews", queryset=ItemReview.objects.select_related("review")
                     .order_by("review__year", "review__quarter")),
            Prefetch("rectifications", queryset=Rectification.objects.order_by("deadline")),
        )))
        .order_by("-year")
    )
    entries = list(
        ArchiveEntry.objects.for_user(user).filter(person=person)
        .select_related("added_by", "withdrawn_by").order_by("category", "-date", "pk")
    )
    # Published evaluation results enter the archive under 评议考核 by themselves: evaluations (a floor above,
    # which reads pledges) answers core.hooks.published_cadre_results.
    evaluations = list(hooks.published_cadre_results(user=user, person=person))
    by_category = []
    for value, label in ArchiveCategory.choices:
        if value == ArchiveCategory.APPOINTMENT:
            count = len(posts)
        elif value == ArchiveCategory.PLEDGE:
            count = len(pledges)
        elif value == ArchiveCategory.APPRAISAL:
            count = len(evaluations)
        else:
            count = 0
        items = [e for e in entries if e.category == value]
        count += sum(1 for e in items if not e.is_withdrawn)
        by_category.append({"value": value, "label": label, "entries": items, "count": count})
    years = sorted({p.year for p in pledges}, reverse=True)
    rates = {y: pledge_fulfilment_rates(user=user, persons=[person.pk], year=y).get(person.pk, Fulfilment())
             for y in years}
    for p in pledges:
        p.fulfilment = rates.get(p.year)
    return {"cadre": person, "posts": list(posts), "pledges": pledges, "evaluations": evaluations,
            "categories": by_category,
            "gaps": [c for c in by_category if c["count"] == 0]}


def archive_entry_get(*, user, pk) -> ArchiveEntry:
    try:
        return ArchiveEntry.objects.for_user(user).select_related(
            "person", "village", "added_by", "withdrawn_by",
        ).get(pk=pk)
    except (ArchiveEntry.DoesNotExist, ValueError):
        raise Http404(_("No such archive entry in your area."))


# Quarterly reviews -------------------------------------------------------------------------------------------------

def review_overview(*, user, quarter: Quarter, township=None, status: str = "") -> QuerySet[Village]:
    """Villages in scope with their review of the quarter (status, meeting date, items checked, behind); status:
    a review status, or "missing" for villages without a review of the quarter."""
    review = QuarterlyReview.objects.filter(village=OuterRef("pk"), year=quarter.year, quarter=quarter.quarter)
    item_reviews = ItemReview.objects.filter(review__village=OuterRef("pk"), review__year=quarter.year,
                                             review__quarter=quarter.quarter)

    def count(qs):
        return subquery_count(qs, "review__village")

    qs = Village.objects.for_user(user).select_related("township").annotate(
        review_id=Subquery(review.values("pk")[:1]),
        review_status=Subquery(review.values("status")[:1]),
        meeting_date=Subquery(review.values("meeting_date")[:1]),
        checked=count(item_reviews),
        behind=count(item_reviews.filter(status__in=[ItemStatus.BEHIND, ItemStatus.NOT_STARTED])),
    )
    if township is not None:
        qs = qs.filter(township=township)
    if status == "missing":
        qs = qs.filter(review_id__isnull=True)
    elif status:
        qs = qs.filter(review_status=status)
    return qs.order_by("code")


def quarterly_review_batch(*, user, ids) -> QuerySet[QuarterlyReview]:
    """The quarterly reviews of these ids in the user's scope (a batch accept or return), by village code."""
    return (QuarterlyReview.objects.for_user(user).filter(pk__in=ids).select_related("village__township")
            .order_by("village__code"))


def quarterly_review_next_waiting(*, user, village: Village, quarter: Quarter) -> Village | None:
    """The next village (by code) in the user's scope whose review of the same quarter waits for the county."""
    review = next_waiting(QuarterlyReview.objects.for_user(user).filter(year=quarter.year, quarter=quarter.quarter)
                          .select_related("village"), order_by="village__code", after=village.code)
    return review.village if review else None


def quarterly_review_find(*, user, village: Village, quarter: Quarter) -> QuarterlyReview | None:
    return (QuarterlyReview.objects.for_user(user)
            .select_related("village__township", "submitted_by", "accepted_by", "returned_by")
            .filter(village=village, year=quarter.year, quarter=quarter.quarter).first())


def quarterly_review_get(*, user, pk) -> QuarterlyReview:
    try:
        return QuarterlyReview.objects.for_user(user).select_related("village__township").get(pk=pk)
    except (QuarterlyReview.DoesNotExist, ValueError):
        raise Http404(_("No such review in your area."))


def review_grid(*, user, village: Village, quarter: Quarter, review: QuarterlyReview | None) -> list[PledgeItem]:
    """Every pledge item the quarter checks, each with this review's status and comment (item.current)."""
    from .services import review_items

    items = list(review_items(village=village, year=quarter.year).for_user(user))
    current = {}
    if review is not None:
        current = {r.item_id: r for r in review.item_reviews.all()}
    for item in items:
        item.current = current.get(item.pk)
    return items


# Rectifications ----------------------------------------------------------------------------------------------------

def open_rectification_list(*, user) -> QuerySet[Rectification]:
    return rectification_list(user=user, status=RectificationStatus.OPEN)


def _overdue(today) -> Q:
    """An open rectification past its deadline."""
    return Q(status=RectificationStatus.OPEN, deadline__lt=today)


def rectification_list(*, user, status: str | None = None, overdue: bool = False, township=None,
                       village=None, review=None, today=None) -> QuerySet[Rectification]:
    """Rectifications in scope, what needs acting on first: the open ones past their deadline (oldest deadline
    first), then the other open ones (nearest deadline first), then the rectified ones (latest first, the old ones
    last)."""
    today = today or timezone.localdate()
    is_open = Q(status=RectificationStatus.OPEN)
    qs = Rectification.objects.for_user(user).select_related(
        "village__township", "review__village", "item__pledge__person",
    ).annotate(
        is_overdue=_overdue(today),
        urgency=Case(When(_overdue(today), then=Value(0)), When(is_open, then=Value(1)),
                     default=Value(2), output_field=IntegerField()),
        open_deadline=Case(When(is_open, then=F("deadline")), default=None, output_field=DateField()),
    )
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(_overdue(today))
    if township is not None:
        qs = qs.filter(village__township=township)
    if village is not None:
        qs = qs.filter(village=village)
    if review is not None:
        qs = qs.filter(review=review)
    return qs.order_by("urgency", F("open_deadline").asc(nulls_last=True), "-deadline", "pk")


def rectification_get(*, user, pk) -> Rectification:
    try:
        return rectification_list(user=user).get(pk=pk)
    except (Rectification.DoesNotExist, ValueError):
        raise Http404(_("No such rectification in your area."))


def overdue_rectifications(*, user, today=None) -> QuerySet[Rectification]:
    """The open rectifications in scope past their deadline, unannotated and unordered: for counting."""
    return Rectification.objects.for_user(user).filter(_overdue(today or timezone.localdate()))


def overdue_count(*, user) -> int:
    return overdue_rectifications(user=user).count()


def _review_by_pk(*, user, pk):
    return quarterly_review_get(user=user, pk=pk)


HISTORY_SELECTORS = {
    "pledge": pledge_get,
    "pledgeitem": pledge_item_get,
    "quarterlyreview": _review_by_pk,
    "rectification": rectification_get,
    "archiveentry": archive_entry_get,
}


def work_queue(*, user):
    """The quarterly reviews waiting for this user (core.queue)."""
    from django.urls import reverse

    from core.queue import period_queue

    return period_queue(QuarterlyReview.objects.for_user(user).select_related("village"), user=user,
                        kind=_("Quarterly pledge review"), accept_perm="pledges.accept_quarterlyreview",
                        submit_perm="pledges.submit_quarterlyreview",
                        list_url=lambda p: f"{reverse('pledges:review_list')}?quarter={p.period}")


# ---------------------------------------------------------------- the quarterly report's figures (summaries)

REVIEW_FIGURES = ("reviews_held", "reviews_accepted", "items_checked", "items_done", "items_behind", "rect_opened",
                  "rect_done", "rect_overdue")


def review_quarter_figures(*, user, quarter: Quarter, by: str = "township", township=None) -> dict[int, dict]:
    """Per county (by="county", for a region), per township (by="township") or village: the quarter's reviews
    held and accepted, items checked, done and behind, rectifications opened and rectified (from the summaries),
    and the rectifications overdue today, whichever quarter found them (they depend on today: counted when read).
    {pk: {figure: value}}."""
    key = {"county": "village__township__county", "township": "village__township"}.get(by, "village")
    reviews = PledgeQuarterSummary.objects.filter(year=quarter.year, quarter=quarter.quarter).for_user(user)
    overdue = overdue_rectifications(user=user)
    if township is not None:
        reviews = reviews.filter(village__township=township)
        overdue = overdue.filter(village__township=township)
    sums = {f"f_{name}": Coalesce(Sum(name), 0)
            for name in ("items_checked", "items_done", "items_behind", "rect_opened", "rect_done")}
    out: dict[int, dict] = {}
    for row in reviews.values(key).annotate(
            f_reviews_held=Count("pk", filter=Q(meeting_held=True)),
            f_reviews_accepted=Count("pk", filter=Q(status=ReviewStatus.ACCEPTED)), **sums).order_by():
        out[row.pop(key)] = {k[2:]: v for k, v in row.items()}
    for unit, n in overdue.values(key).annotate(n=Count("pk")).order_by().values_list(key, "n"):
        out.setdefault(unit, {name: 0 for name in REVIEW_FIGURES})["rect_overdue"] = n
    for figures in out.values():
        figures.setdefault("rect_overdue", 0)
    return out
