"""Benchmark tiers of the demo (`manage.py seed_demo --tier city|province`, PostgreSQL only).

A tier grows the demo county to the size of a city (about 850 villages) or a province (about 15,000 villages in
about 1,000 townships, 600,000 party members, 7.2M monthly results), so the reports can be timed at that size.
It is built in the database, one `INSERT … SELECT` per table, never row by row:

- every new village is a copy of one of the demo's 85 villages (copy k of template village v), with everything the
  demo gives that village: people (new, valid and unique ID numbers), cadre posts, party members, rule sets and
  rules, a year of monthly reviews (their statuses, minutes and postings; a few submitted months are returned),
  monthly results, warnings, pledges with items, quarterly pledge reviews with their item checks and
  rectifications, discussion points, households, representative changes, speaker pilots, meetings, decided matters
  and their follow-up;
- a copied row's id is its template's id + k × stride (stride: the table's largest demo id + 1), so every foreign key
  between copied rows is the same arithmetic and needs no lookup;
- each copied village draws its own rates (优 5–10 %, deducted 2–4 %; about 5 % of villages inflated: 优 25–35 %,
  almost no deductions) and each monthly result its rating from a hash of its id (hashint8extended), so the tier is
  the same on every run; deductions (one rule, sometimes two; about 7 % without a talk, 30 % in the current month)
  are generated for the deducted results.

Not copied (say so where figures are read): the audit trail (simple_history tables stay empty for the tier's rows),
cadre-archive files, annual evaluations, and the townships' inspections, filings and good-practice villages (the
tier's townships have none). The demo's accounts (`county`, `township01`…) stay as they are; `county` sees the tier.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models, transaction

from accounts.demo import seed_region
from core import summaries
from villages.demo import COUNTY_CODE, TOWNSHIP_NAMES, place_in_city
from villages.idnumbers import CHECK_CHARS, WEIGHTS
from villages.models import County

TIER_TOWNSHIP_PREFIX = "3598"  # tier townships are 3598ttttt, their villages 3598ttttt2vv: never a demo code


@dataclass(frozen=True)
class Tier:
    new_villages: int  # added to the demo's 85
    per_township: int


TIERS = {
    "city": Tier(new_villages=85 * 9, per_township=12),  # 850 villages in 71 townships
    "province": Tier(new_villages=85 * 176, per_township=15),  # 15,045 villages in 1,005 townships
}

# Copied tables in dependency order: (model, the FK that leads towards the village, or None when it has `village`).
COPIED = [
    ("villages.Person", None),
    ("villages.CadrePost", None),
    ("members.PartyMember", None),
    ("members.RuleSet", None),
    ("members.Rule", "rule_set"),
    ("members.MonthlyReview", None),
    ("members.MonthlyResult", "review"),
    ("members.MemberWarning", "member"),
    ("members.Disposition", "member"),
    ("pledges.Pledge", None),
    ("pledges.PledgeItem", "pledge"),
    ("pledges.QuarterlyReview", None),
    ("pledges.ItemReview", "review"),
    ("pledges.Rectification", None),
    ("assemblies.DiscussionPoint", None),
    ("assemblies.Household", None),
    ("assemblies.RepresentativeChange", "household"),
    ("assemblies.SpeakerPilot", None),
    ("assemblies.Meeting", None),
    ("assemblies.Matter", "meeting"),
    ("assemblies.FollowUp", "matter"),
]

# Tables of a million rows and more at the province tier: written in id order with their indexes rebuilt after.
BIG_TABLES = {"villages.Person", "members.PartyMember", "members.MonthlyResult", "pledges.ItemReview"}

EXCELLENT_REASONS = ["抗洪抢险中带头转移群众", "森林防火值守表现突出", "带领群众发展特色种植", "义务帮扶困难户",
                     "村道建设带头投工投劳", "调解邻里纠纷成效明显"]
NOTES = ["经支部核实", "群众反映属实", "本人承认", "", ""]
TALKERS = ["支部书记", "组织委员", "包村干部", "支部副书记"]
RETURN_REASON = "会议记录不完整，请补充后重新报送"


def _array(values: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


# u(key, salt): a uniform number in [0, 1) from a hash, the same on every run and in any execution order.
# id_check(first17): the GB 11643 check character (villages.idnumbers), written out as one sum.
_CHECK_SUM = " + ".join(f"substr(first17, {i}, 1)::int * {w}" for i, w in enumerate(WEIGHTS, start=1))
FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION pg_temp.u(key bigint, salt bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(key, salt) & 2147483647)::float8 / 2147483648.0 $$;
CREATE OR REPLACE FUNCTION pg_temp.id_check(first17 text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT substr('{CHECK_CHARS}', ({_CHECK_SUM}) % 11 + 1, 1) $$;
"""


class _Seeder:
    def __init__(self, *, tier: Tier, today: dt.date, say, new_villages: int | None = None):
        self.tier = tier
        self.today = today
        self.say = say
        self.new_villages = new_villages or tier.new_villages
        self.stride: dict[str, int] = {}
        self.cursor = None

    # -------------------------------------------------------------------------------------------------- helpers
    def run(self, label: str, sql: str, params=None) -> int:
        start = time.perf_counter()
        self.cursor.execute(sql, params)
        rows = self.cursor.rowcount
        self.say(f"  {label:<42} {max(rows, 0):>10,} rows {time.perf_counter() - start:7.1f} s")
        return rows

    def scalar(self, sql: str, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.fetchone()[0]

    # ---------------------------------------------------------------------------------------------------- steps
    def seed(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            self.cursor = cursor
            cursor.execute(FUNCTIONS)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            county_id = self.scalar("SELECT id FROM villages_county WHERE code = %s", [COUNTY_CODE])
            if self.scalar("SELECT count(*) FROM villages_township WHERE code LIKE %s",
                           [TIER_TOWNSHIP_PREFIX + "%"]):
                self.say("The tier is already there; nothing was added.")
                return
            templates = self.scalar("SELECT count(*) FROM villages_village")
            # Foreign keys are checked by the miniature test; a big tier skips the per-row trigger checks.
            if self.new_villages > 1000:
                cursor.execute("SET session_replication_role = replica")
            for label, _parent in COPIED + [("villages.Village", None), ("villages.Township", None)]:
                table = apps.get_model(label)._meta.db_table
                self.stride[label] = self.scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            self._plan(county_id, templates)
            for label, parent in COPIED:
                self._copy(label, parent)
            self._deductions()
            self._sequences()
            cursor.execute("SET session_replication_role = DEFAULT")

    def _plan(self, county_id: int, templates: int) -> None:
        """tier_copy: which template village each new village copies (k = copy number), and its township."""
        per = self.tier.per_township
        n = self.new_villages
        townships = (n + per - 1) // per
        names = _array(TOWNSHIP_NAMES)
        t0 = self.stride["villages.Township"]
        self.cursor.execute("DROP TABLE IF EXISTS pg_temp.tier_copy")
        self.run("plan (tier_copy)", f"""
            CREATE TEMP TABLE tier_copy AS
            SELECT j, k, old_village_id, old_village_id + k * %(vs)s AS new_village_id,
                   {t0} + j / {per} AS new_township_id,
                   '{TIER_TOWNSHIP_PREFIX}' || lpad((1 + j / {per})::text, 5, '0') || (201 + j % {per})::text AS code,
                   CASE WHEN pg_temp.u(old_village_id + k * %(vs)s, 3) < 0.05
                        THEN 0.25 + 0.10 * pg_temp.u(old_village_id + k * %(vs)s, 1)
                        ELSE 0.05 + 0.05 * pg_temp.u(old_village_id + k * %(vs)s, 1) END AS p_excellent,
                   CASE WHEN pg_temp.u(old_village_id + k * %(vs)s, 3) < 0.05
                        THEN 0.0015 * pg_temp.u(old_village_id + k * %(vs)s, 2)
                        ELSE 0.02 + 0.02 * pg_temp.u(old_village_id + k * %(vs)s, 2) END AS p_deducted
            FROM (SELECT row_number() OVER (ORDER BY k, v.code) - 1 AS j, k, v.id AS old_village_id
                  FROM villages_village v CROSS JOIN generate_series(1, {(n + templates - 1) // templates}) AS k) s
            WHERE j < {n}""".replace("%(vs)s", str(self.stride["villages.Village"])))
        self.cursor.execute("CREATE UNIQUE INDEX ON tier_copy (old_village_id, k)")
        self.cursor.execute("ANALYZE tier_copy")
        self.run("townships", f"""
            INSERT INTO villages_township (id, county_id, code, name)
            SELECT {t0} + t, {int(county_id)}, '{TIER_TOWNSHIP_PREFIX}' || lpad((1 + t)::text, 5, '0'),
                   left(({names})[1 + t % 7], -1) || (t + 1)::text || right(({names})[1 + t % 7], 1)
            FROM generate_series(0, {townships - 1}) AS t""")
        self.run("villages", """
            INSERT INTO villages_village (id, township_id, code, name)
            SELECT c.new_village_id, c.new_township_id, c.code, v.name
            FROM tier_copy c JOIN villages_village v ON v.id = c.old_village_id""")

    def _village_path(self, label: str, parent: str | None) -> tuple[str, str]:
        """The joins from a copied table (alias t) up to the village, and the expression of the village id."""
        model = apps.get_model(label)
        joins, alias, current = [], "t", model
        while parent is not None:
            field = current._meta.get_field(parent)
            target = field.related_model
            nxt = f"p{len(joins)}"
            joins.append(f"JOIN {target._meta.db_table} {nxt} ON {nxt}.id = {alias}.{field.column}")
            alias, current = nxt, target
            parent = dict(COPIED).get(target._meta.label)
        return " ".join(joins), f"{alias}.village_id"

    def _columns(self, label: str) -> tuple[list[str], list[str]]:
        model = apps.get_model(label)
        by_model = {apps.get_model(lbl): lbl for lbl in self.stride}
        names, exprs = [], []
        overrides = self._overrides(label)
        for field in model._meta.concrete_fields:
            col = field.column
            names.append(col)
            if col in overrides:
                exprs.append(overrides[col])
            elif field.primary_key:
                exprs.append(f"t.{col} + c.k * {self.stride[label]}")
            elif isinstance(field, models.ForeignKey) and field.related_model in by_model:
                exprs.append(f"t.{col} + c.k * {self.stride[by_model[field.related_model]]}")
            else:
                exprs.append(f't."{col}"')
        return names, exprs

    def _overrides(self, label: str) -> dict[str, str]:
        if label == "villages.Person":
            # A new region code per copy (36… for the demo's 350799 people, 37… for its 350798 representatives):
            # the rest of the template's number is unique within the demo, so the copy's numbers are unique too.
            first17 = ("(CASE left(t.id_number, 6) WHEN '350799' THEN '36' WHEN '350798' THEN '37' ELSE '41' END"
                       " || lpad(c.k::text, 4, '0') || substr(t.id_number, 7, 11))")
            return {"id_number": f"{first17} || pg_temp.id_check({first17})"}
        if label == "members.MonthlyResult":
            draw = f"pg_temp.u(t.id + c.k * {self.stride[label]}, 7)"
            rating = (f"CASE WHEN {draw} < c.p_excellent THEN 'excellent' "
                      f"WHEN {draw} < c.p_excellent + c.p_deducted THEN 'deducted' ELSE 'qualified' END")
            reason = (f"CASE WHEN {draw} < c.p_excellent THEN ({_array(EXCELLENT_REASONS)})"
                      f"[1 + floor(pg_temp.u(t.id + c.k * {self.stride[label]}, 8) * 6)::int] ELSE '' END")
            return {"rating": rating, "excellent_reason": reason}
        if label == "members.MonthlyReview":
            returned = f"(t.status = 'submitted' AND pg_temp.u(t.id + c.k * {self.stride[label]}, 9) < 0.15)"
            return {
                "status": f"CASE WHEN {returned} THEN 'returned' ELSE t.status END",
                "returned_at": f"CASE WHEN {returned} THEN t.submitted_at + interval '2 days' ELSE t.returned_at END",
                "returned_by_id": f"CASE WHEN {returned} THEN (SELECT id FROM accounts_user WHERE username = 'county') "
                                  f"ELSE t.returned_by_id END",
                "return_reason": f"CASE WHEN {returned} THEN '{RETURN_REASON}' ELSE t.return_reason END",
            }
        return {}

    def _without_indexes(self, table: str):
        """Drop the table's secondary indexes and unique constraints; the returned statements rebuild them (one
        sort each is far cheaper than millions of random insertions into a btree)."""
        self.cursor.execute("""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)
            FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.contype = 'u'
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary""", [table])
        rebuild = []
        for index, index_def, constraint, constraint_def in self.cursor.fetchall():
            if constraint:
                self.cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_def}')
            else:
                self.cursor.execute(f"DROP INDEX {index}")
                rebuild.append(index_def)
        return rebuild

    def _copy(self, label: str, parent: str | None) -> None:
        model = apps.get_model(label)
        table = model._meta.db_table
        joins, village = self._village_path(label, parent)
        names, exprs = self._columns(label)
        limit = f"t.id < {self.stride[label]}"  # the demo's rows only, never an earlier copy
        big = label in BIG_TABLES
        rebuild = self._without_indexes(table) if big else []
        self.run(table, f"""
            INSERT INTO {table} ({", ".join(f'"{n}"' for n in names)})
            SELECT {", ".join(exprs)}
            FROM {table} t {joins} JOIN tier_copy c ON c.old_village_id = {village}
            WHERE {limit} {"ORDER BY 1" if big else ""}""")
        if rebuild:
            start = time.perf_counter()
            self.cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows' keys now: ALTER TABLE needs it
            self.cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for statement in rebuild:
                self.cursor.execute(statement)
            self.say(f"  {'  its indexes rebuilt':<42} {'':>15} {time.perf_counter() - start:7.1f} s")

    def _deductions(self) -> None:
        today = self.today
        current = today.year * 12 + today.month
        result_stride = self.stride["members.MonthlyResult"]
        talked = (f"pg_temp.u(r.id * 2 + s.n, 12) > CASE WHEN rv.year * 12 + rv.month = {current} "
                  f"THEN 0.3 ELSE 0.07 END")
        month_end = "(make_date(rv.year, rv.month, 1) + interval '1 month' - interval '1 day')::date"
        self.run("members_deduction (generated)", f"""
            INSERT INTO members_deduction (result_id, rule_id, points, note, talk_by, talk_date)
            SELECT r.id, ru.id, ru.points,
                   ({_array(NOTES)})[1 + floor(pg_temp.u(r.id * 2 + s.n, 13) * 5)::int],
                   CASE WHEN {talked} THEN ({_array(TALKERS)})[1 + floor(pg_temp.u(r.id * 2 + s.n, 14) * 4)::int]
                        ELSE '' END,
                   CASE WHEN {talked} THEN least({month_end}, DATE '{today.isoformat()}')
                                         - floor(pg_temp.u(r.id * 2 + s.n, 15) * 7)::int END
            FROM members_monthlyresult r
            JOIN members_monthlyreview rv ON rv.id = r.review_id
            CROSS JOIN (VALUES (0), (1)) AS s(n)
            JOIN members_rule ru ON ru.rule_set_id = rv.rule_set_id
                 AND ru.number = 1 + (floor(pg_temp.u(r.id, 10) * 8)::int
                                      + s.n * (1 + floor(pg_temp.u(r.id, 11) * 7)::int)) % 8
            WHERE r.id >= {result_stride} AND r.rating = 'deducted'
              AND (s.n = 0 OR pg_temp.u(r.id, 16) < 0.15)""")

    def _sequences(self) -> None:
        for label in [*self.stride, "members.Deduction"]:
            table = apps.get_model(label)._meta.db_table
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


def seed_tier(ctx, *, tier: str, villages: int | None = None) -> None:
    """The seed_demo hook: add the tier on top of the demo county (which must be there), then vacuum, analyse and
    fill the summaries (core.summaries.rebuild_all, as rebuild_summaries does)."""
    started = time.perf_counter()
    ctx.say(f"Tier {tier}: building with INSERT … SELECT (each step timed)")
    _Seeder(tier=TIERS[tier], today=ctx.today, say=ctx.say, new_villages=villages).seed()
    # The tier's county lies in the city 强基市 (in the province 强基省 for the province tier): `city` and `province`
    # read it as a region does. Still one county, so the county's benchmark keeps its meaning.
    city = place_in_city(County.objects.get(code=COUNTY_CODE), in_province=tier == "province")
    seed_region(city)
    if city.parent_id:
        seed_region(city.parent, username="province")
    if villages is None:  # a miniature tier (tests) leaves the vacuum to the database
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        ctx.say(f"  {'VACUUM ANALYZE':<42} {'':>15} {time.perf_counter() - start:7.1f} s")
    start = time.perf_counter()
    summaries.rebuild_all()
    ctx.say(f"  {'rebuild_summaries':<42} {'':>15} {time.perf_counter() - start:7.1f} s")
    ctx.say(f"Tier {tier} ready in {time.perf_counter() - started:.0f} s.")
