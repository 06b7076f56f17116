from tests.scope_matrix import Route


def roster(w):
    """cadre-roster"""
    return {"code": "cadre-roster"}


def township_a(fmt=None):
    def query(w):
        return f"township={w.township_a.pk}" + (f"&format={fmt}" if fmt else "")

    return query


ROUTES = [
    Route("reports:report_list", expect={"township_b": 200}),
    # Another township's report is not found for a township user; the county sees every township's.
    Route("reports:report_run", roster, query=township_a(), shown=lambda w: w.person_a.name),
    Route("reports:report_run", roster, query=township_a("xlsx")),
    Route("reports:report_run", roster, query=township_a("pdf")),
]
