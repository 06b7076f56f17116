import datetime as dt

from simple_history.utils import bulk_create_with_history

from .choices import MembershipKind, MembershipStatus
from .models import PartyMember


def seed(ctx):
    plan = ctx.data.get("party_people")
    if plan is None:
        ctx.say("members: the demo county was already there; party members left as they are.")
        return
    rng = ctx.rng
    rows = []
    for person, village in plan:
        age_at_joining = rng.randint(19, 40)
        joined = person.birth_date + dt.timedelta(days=365 * age_at_joining + rng.randrange(365))
        joined = min(joined, ctx.today - dt.timedelta(days=rng.randint(30, 400)))
        probationary = (ctx.today - joined).days < 365
        status = MembershipStatus.ACTIVE
        roll = rng.random()
        if roll < 0.01:
            status = MembershipStatus.TRANSFERRED_OUT
        elif roll < 0.02 and person.birth_date.year < ctx.today.year - 70:
            status = MembershipStatus.DECEASED
        rows.append(PartyMember(
            person=person, village=village, joined_date=joined,
            kind=MembershipKind.PROBATIONARY if probationary else MembershipKind.FULL, status=status,
        ))
    # Cadres stay active in the demo: a cadre who left the party would have left the post too.
    bulk_create_with_history(rows, PartyMember, batch_size=500)
    ctx.say(f"members: {len(rows)} party members.")
