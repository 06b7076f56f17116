"""Raw-SQL bounds for the benchmark (`manage.py benchmark_reports --json`): for each timed page, one statement
over the RAW rows (monthly results, deductions, reviews, pledge checks, matters …) computing the figures the page
shows, for the whole county. A page that reads kept figures should beat it (ratio = page ms / bound ms < 1);
a page that recounts the raw rows cannot.

PostgreSQL only (FILTER, window functions over the aggregate, make_date). Not used by any page.
"""
from __future__ import annotations

import datetime as dt

from assemblies.selectors import overdue_before

# Per village of the county, the period's bottom-line figures: what village_period_stats annotates.
VILLAGE_PERIOD = """
WITH v AS (
    SELECT v.id, v.township_id, v.code FROM villages_village v
    JOIN villages_township t ON t.id = v.township_id WHERE t.county_id = %(county)s
), rv AS (
    SELECT r.* FROM members_monthlyreview r JOIN v ON v.id = r.village_id
    WHERE r.year = %(year)s AND r.month BETWEEN %(m_from)s AND %(m_to)s
), per_review AS (
    SELECT res.review_id, count(*) AS n,
           count(*) FILTER (WHERE res.rating = 'excellent') AS ex,
           count(*) FILTER (WHERE res.rating = 'deducted') AS de
    FROM members_monthlyresult res JOIN rv ON rv.id = res.review_id GROUP BY res.review_id
), ded AS (
    SELECT rv.village_id, sum(d.points) AS points, count(*) FILTER (WHERE d.talk_date IS NULL) AS no_talk
    FROM rv JOIN members_monthlyresult res ON res.review_id = rv.id AND res.rating = 'deducted'
    JOIN members_deduction d ON d.result_id = res.id GROUP BY rv.village_id
), rev AS (
    SELECT rv.village_id, count(*) AS months, sum(coalesce(p.n, 0)) AS n, sum(coalesce(p.ex, 0)) AS ex,
           sum(coalesce(p.de, 0)) AS de,
           count(*) FILTER (WHERE coalesce(p.de, 0) = 0) AS no_deduction,
           count(*) FILTER (WHERE rv.minutes = '' AND coalesce(rv.minutes_file, '') = '') AS no_minutes,
           count(*) FILTER (WHERE rv.posted_date IS NULL) AS no_posting,
           count(*) FILTER (WHERE (rv.submitted_at AT TIME ZONE 'Asia/Shanghai')::date > rv.due_date
                            OR (rv.submitted_at IS NULL AND rv.due_date < %(today)s)) AS late,
           count(*) FILTER (WHERE rv.status IN ('draft', 'returned') AND rv.due_date < %(today)s) AS not_submitted
    FROM rv LEFT JOIN per_review p ON p.review_id = rv.id GROUP BY rv.village_id
), mem AS (
    SELECT m.village_id, count(*) AS members FROM members_partymember m JOIN v ON v.id = m.village_id
    WHERE m.status = 'active' GROUP BY m.village_id
), fig AS (
    SELECT v.id, v.township_id, v.code, coalesce(mem.members, 0) AS members, coalesce(rev.n, 0) AS n,
           coalesce(rev.ex, 0) AS ex, coalesce(rev.de, 0) AS de, coalesce(ded.points, 0) AS points,
           coalesce(ded.no_talk, 0) AS no_talk, coalesce(rev.months, 0) AS months,
           coalesce(rev.no_deduction, 0) AS no_deduction, coalesce(rev.no_minutes, 0) AS no_minutes,
           coalesce(rev.no_posting, 0) AS no_posting, coalesce(rev.late, 0) AS late,
           coalesce(rev.not_submitted, 0) AS not_submitted,
           rev.ex::float8 / nullif(rev.n, 0) AS share, rev.de::float8 / nullif(rev.n, 0) AS rate
    FROM v LEFT JOIN mem ON mem.village_id = v.id LEFT JOIN rev ON rev.village_id = v.id
    LEFT JOIN ded ON ded.village_id = v.id
), z AS (
    SELECT fig.*,
           (share - avg(share) OVER ()) / nullif(stddev_pop(share) OVER (), 0) AS z_share,
           (rate - avg(rate) OVER ()) / nullif(stddev_pop(rate) OVER (), 0) AS z_rate,
           avg(share) OVER (PARTITION BY township_id) AS t_share,
           avg(rate) OVER (PARTITION BY township_id) AS t_rate
    FROM fig
), flagged AS (
    SELECT z.*, (z_share >= %(z)s AND share > t_share) OR (z_rate <= -%(z)s AND rate < t_rate) AS flag FROM z
)
"""

TOWNSHIP_TOTALS = VILLAGE_PERIOD + """
SELECT township_id, sum(members), sum(n), sum(ex), sum(de), sum(points), sum(no_talk), sum(months),
       sum(no_deduction), sum(no_minutes), sum(no_posting), sum(late), sum(not_submitted),
       count(*) FILTER (WHERE flag)
FROM flagged GROUP BY ROLLUP (township_id)
"""

VILLAGE_ROWS = VILLAGE_PERIOD + "SELECT * FROM flagged ORDER BY code"

OPEN_ITEMS = """
SELECT (SELECT count(*) FROM pledges_rectification r JOIN villages_village v ON v.id = r.village_id
        JOIN villages_township t ON t.id = v.township_id
        WHERE t.county_id = %(county)s AND r.status = 'open' AND r.deadline < %(today)s),
       (SELECT count(*) FROM assemblies_matter m JOIN assemblies_meeting mt ON mt.id = m.meeting_id
        JOIN villages_village v ON v.id = mt.village_id JOIN villages_township t ON t.id = v.township_id
        WHERE t.county_id = %(county)s AND m.status <> 'implemented' AND mt.date < %(overdue_before)s)
"""

QUARTER_EXTRAS = """
WITH v AS (
    SELECT v.id, v.township_id FROM villages_village v
    JOIN villages_township t ON t.id = v.township_id WHERE t.county_id = %(county)s
), pl AS (
    SELECT v.township_id, count(DISTINCT q.id) FILTER (WHERE q.meeting_date IS NOT NULL) AS held,
           count(DISTINCT q.id) FILTER (WHERE q.status = 'accepted') AS accepted, count(i.id) AS checked,
           count(i.id) FILTER (WHERE i.status = 'done') AS done,
           count(i.id) FILTER (WHERE i.status IN ('behind', 'not_started')) AS behind
    FROM pledges_quarterlyreview q JOIN v ON v.id = q.village_id
    LEFT JOIN pledges_itemreview i ON i.review_id = q.id
    WHERE q.year = %(year)s AND q.quarter = %(quarter)s GROUP BY v.township_id
), rect AS (
    SELECT v.township_id, count(*) FILTER (WHERE q.year = %(year)s AND q.quarter = %(quarter)s) AS opened,
           count(*) FILTER (WHERE q.year = %(year)s AND q.quarter = %(quarter)s AND r.status = 'done') AS done,
           count(*) FILTER (WHERE r.status = 'open' AND r.deadline < %(today)s) AS overdue
    FROM pledges_rectification r JOIN v ON v.id = r.village_id
    JOIN pledges_quarterlyreview q ON q.id = r.review_id GROUP BY v.township_id
), asm AS (
    SELECT v.township_id, count(DISTINCT mt.id) AS meetings, count(m.id) AS decided,
           count(m.id) FILTER (WHERE m.status = 'implemented' AND m.implemented_on <= %(end)s) AS implemented,
           count(m.id) FILTER (WHERE m.is_typical) AS typical
    FROM assemblies_meeting mt JOIN v ON v.id = mt.village_id LEFT JOIN assemblies_matter m ON m.meeting_id = mt.id
    WHERE mt.date BETWEEN %(start)s AND %(end)s GROUP BY v.township_id
), warn AS (
    SELECT v.township_id, count(*) FILTER (WHERE w.kind = 'w') AS warnings,
           count(*) FILTER (WHERE w.kind = 'd') AS dispositions
    FROM (SELECT member_id, 'w' AS kind FROM members_memberwarning WHERE issued_date BETWEEN %(start)s AND %(end)s
          UNION ALL
          SELECT member_id, 'd' FROM members_disposition WHERE decision_date BETWEEN %(start)s AND %(end)s) w
    JOIN members_partymember pm ON pm.id = w.member_id JOIN v ON v.id = pm.village_id GROUP BY v.township_id
)
SELECT t.id, pl.*, rect.*, asm.*, warn.*, f.status
FROM villages_township t LEFT JOIN pl ON pl.township_id = t.id LEFT JOIN rect ON rect.township_id = t.id
LEFT JOIN asm ON asm.township_id = t.id LEFT JOIN warn ON warn.township_id = t.id
LEFT JOIN assemblies_filing f ON f.township_id = t.id AND f.year = %(year)s AND f.quarter = %(quarter)s
WHERE t.county_id = %(county)s ORDER BY t.code
"""

MONTH_OVERVIEW = """
WITH v AS (
    SELECT v.id, v.code FROM villages_village v JOIN villages_township t ON t.id = v.township_id
    WHERE t.county_id = %(county)s ORDER BY v.code LIMIT %(limit)s
), rv AS (
    SELECT rv.id, rv.village_id, rv.status FROM members_monthlyreview rv JOIN v ON v.id = rv.village_id
    WHERE rv.year = %(year)s AND rv.month = %(month)s
), res AS (
    SELECT r.review_id, count(*) FILTER (WHERE r.rating = 'excellent') AS ex,
           count(*) FILTER (WHERE r.rating = 'deducted') AS de
    FROM members_monthlyresult r JOIN rv ON rv.id = r.review_id GROUP BY r.review_id
), talks AS (
    SELECT r.review_id, count(*) AS open_talks FROM members_deduction d
    JOIN members_monthlyresult r ON r.id = d.result_id JOIN rv ON rv.id = r.review_id
    WHERE d.talk_date IS NULL GROUP BY r.review_id
), mem AS (
    SELECT m.village_id, count(*) AS members FROM members_partymember m JOIN v ON v.id = m.village_id
    WHERE m.status = 'active' GROUP BY m.village_id
)
SELECT v.id, rv.id, rv.status, coalesce(mem.members, 0), coalesce(res.ex, 0), coalesce(res.de, 0),
       coalesce(talks.open_talks, 0)
FROM v LEFT JOIN rv ON rv.village_id = v.id LEFT JOIN res ON res.review_id = rv.id
LEFT JOIN talks ON talks.review_id = rv.id LEFT JOIN mem ON mem.village_id = v.id
ORDER BY v.code
"""

# The overview's head and foot: how many villages of the county are in each status, and the month's totals over all
# of them (active members, 优, deducted, deductions without a talk), from the raw rows.
MONTH_OVERVIEW_FIGURES = """
WITH v AS (
    SELECT v.id FROM villages_village v JOIN villages_township t ON t.id = v.township_id
    WHERE t.county_id = %(county)s
), rv AS (
    SELECT rv.id, rv.status FROM members_monthlyreview rv JOIN v ON v.id = rv.village_id
    WHERE rv.year = %(year)s AND rv.month = %(month)s
), res AS (
    SELECT count(*) FILTER (WHERE r.rating = 'excellent') AS ex, count(*) FILTER (WHERE r.rating = 'deducted') AS de
    FROM members_monthlyresult r JOIN rv ON rv.id = r.review_id
)
SELECT (SELECT count(*) FROM v),
       (SELECT count(*) FILTER (WHERE status = 'draft') FROM rv),
       (SELECT count(*) FILTER (WHERE status = 'submitted') FROM rv),
       (SELECT count(*) FILTER (WHERE status = 'accepted') FROM rv),
       (SELECT count(*) FILTER (WHERE status = 'returned') FROM rv),
       (SELECT count(*) FROM members_partymember m JOIN v ON v.id = m.village_id WHERE m.status = 'active'),
       (SELECT ex FROM res), (SELECT de FROM res),
       (SELECT count(*) FROM members_deduction d JOIN members_monthlyresult r ON r.id = d.result_id
        JOIN rv ON rv.id = r.review_id WHERE d.talk_date IS NULL)
"""


def bound_statements(page: str, *, county: int, today: dt.date, year: int, m_from: int, m_to: int,
                     z: float, quarter: int | None = None, limit: int | None = None) -> list[tuple[str, dict]]:
    """The statements whose time is a page's bound (run one after another; their total time is the bound)."""
    params = {"county": county, "today": today, "year": year, "m_from": m_from, "m_to": m_to, "z": z}
    if page.startswith("dashboard"):
        return [(TOWNSHIP_TOTALS, params), (OPEN_ITEMS, {**params, "overdue_before": overdue_before(today)})]
    if page.startswith("quarterly"):
        start = dt.date(year, m_from, 1)
        end = dt.date(year + (m_to == 12), m_to % 12 + 1, 1) - dt.timedelta(days=1)
        return [(TOWNSHIP_TOTALS, params),
                (QUARTER_EXTRAS, {**params, "quarter": quarter, "start": start, "end": end})]
    if page == "signals":
        return [(VILLAGE_ROWS, params)]
    if page == "month overview":
        month = {**params, "month": m_from}
        return [(MONTH_OVERVIEW, {**month, "limit": limit}), (MONTH_OVERVIEW_FIGURES, month)]
    raise ValueError(page)
