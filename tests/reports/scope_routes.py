from tests.scope_matrix import Route


def roster(w):
    """cadre-roster"""
    return {"code": "cadre-roster"}


def township_a(fmt=None):
    def query(w):
        return f"township={w.township_a.pk}" + (f"&format={fmt}" if fmt else "")

    return query


def code(name):
    def kwargs(w):
        return {"code": name}

    kwargs.__doc__ = name
    return kwargs


def own_export(w):
    """a township_a user's own export"""
    from tests.exports import make_export

    if "export" not in w.extra:
        w.extra["export"] = make_export(w.users["township_a"])
    return {"pk": w.extra["export"].pk}


# A background export is its asker's alone: everyone else, the county and the village clerk of the same township
# included, gets 404.
OWNER_ONLY = {"township_b": 404, "county": 404, "clerk_a": 404}

ROUTES = [
    Route("reports:export_detail", own_export, expect=OWNER_ONLY),
    Route("reports:export_download", own_export, expect=OWNER_ONLY),
    Route("reports:report_list", expect={"township_b": 200}),
    Route("reports:dashboard", query=lambda w: f"township={w.township_a.pk}", shown=lambda w: w.village_a.name,
          expect={"clerk_a": 200}),
    Route("reports:report_run", code("quarterly"),
          query=lambda w: f"township={w.township_a.pk}&quarter=2026Q2&format=xlsx"),
    Route("reports:report_run", code("monthly-bulletin"),
          query=lambda w: f"township={w.township_a.pk}&month=2026-05&format=pdf"),
    Route("reports:report_run", code("public-notice"),
          query=lambda w: f"village={w.village_a.pk}&month=2026-05&format=pdf",
          expect={"clerk_a": 200}),
    Route("reports:report_run", code("cadre-excellent-record"),
          query=lambda w: f"township={w.township_a.pk}&term_start_year=2024&format=xlsx"),
    # Another township's report is not found for a township user; the county sees every township's.
    Route("reports:report_run", roster, query=township_a(), shown=lambda w: w.person_a.name),
    Route("reports:report_run", roster, query=township_a("xlsx")),
    Route("reports:report_run", roster, query=township_a("pdf")),
]
