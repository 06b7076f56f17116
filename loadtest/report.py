"""Summarise the requests the locust run recorded (loadtest/locustfile.py writes them) and judge them.

    python loadtest/report.py REQUESTS_CSV

Prints requests per second (from the first request's start to the last one's end), and per request kind the count,
p50, p95 and max latency and the errors.
Exits 1 when any request failed or the grid page's p95 reaches LOAD_GRID_P95_MS (default 300 ms).
"""
from __future__ import annotations

import csv
import math
import os
import sys
from collections import defaultdict

ORDER = ["login", "month overview", "grid page", "grid save", "dashboard"]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of the exact times (no bucketing)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def main(path: str) -> int:
    limit = float(os.environ.get("LOAD_GRID_P95_MS", "300"))
    times, errors = defaultdict(list), defaultdict(int)
    first, last = math.inf, 0.0
    if not os.path.exists(path):
        print(f"FAIL: locust recorded no requests ({path} is missing)")
        return 1
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            start, ms = float(row["start"]), float(row["ms"])
            first, last = min(first, start), max(last, start + ms / 1000)
            times[row["kind"]].append(ms)
            if row["ok"] != "1":
                errors[row["kind"]] += 1
    total = sum(len(v) for v in times.values())
    total_errors = sum(errors.values())
    if not total:
        print("FAIL: no request was made")
        return 1
    seconds = last - first
    print(f"{'request':<16}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for kind in sorted(times, key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k)):
        values = times[kind]
        print(f"{kind:<16}{len(values):>7}{percentile(values, 50):>9.0f}{percentile(values, 95):>9.0f}"
              f"{max(values):>9.0f}{errors[kind]:>8}")
    print(f"requests: {total} in {seconds:.0f} s = {total / seconds:.1f} requests/s")
    print(f"errors: {total_errors}")
    failed = bool(total_errors)
    grid = times.get("grid page")
    if not grid:
        print("FAIL: no grid page was opened")
        failed = True
    elif percentile(grid, 95) >= limit:
        print(f"FAIL: grid page p95 {percentile(grid, 95):.0f} ms is not under {limit:.0f} ms")
        failed = True
    if not times.get("grid save"):
        print("FAIL: no grid was saved")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
