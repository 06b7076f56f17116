"""The floors of the house point one way (CONVENTIONS.md, "Layers").

Every Python file of every app is read with ast: imports at the top of a module and inside functions alike, and
apps.get_model("app", ...) look-ups. An import of a higher floor, of another app on the same floor, or a cycle
between apps fails the test, naming the file and the line. evaluations may read members and pledges only through
their selectors (named in evaluations/selectors.py's docstring).
"""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOORS = {
    "core": 0,
    "accounts": 1,
    "villages": 2,
    "members": 3,
    "pledges": 3,
    "assemblies": 3,
    "evaluations": 4,
    "checks": 4,
    "reports": 5,
}
# (importing app, imported app) → the only modules of the imported app it may import.
ALLOWED = {
    ("evaluations", "members"): {"members.selectors"},
    ("evaluations", "pledges"): {"pledges.selectors"},
    # checks reads the periods it samples or reopens through their selectors and returns them through their services.
    ("checks", "members"): {"members.selectors", "members.services"},
    ("checks", "pledges"): {"pledges.selectors", "pledges.services"},
    ("checks", "assemblies"): {"assemblies.selectors", "assemblies.services"},
}


def _imports(tree: ast.AST):
    """(line, module) for every absolute import and apps.get_model("app", …) call in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                # `from members import selectors` imports members.selectors
                yield node.lineno, f"{node.module}.{alias.name}"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value.split(".")[0] + ".models"


def _allowed(allowed, importer: str, module: str) -> bool | None:
    """True/False when an entry of `allowed` decides; None when the floors decide."""
    target = module.split(".")[0]
    modules = allowed.get((importer, target))
    if modules is None:
        return None
    return any(module == m or module.startswith(m + ".") for m in modules)


def check_layers(root: Path, floors: dict[str, int] = FLOORS, allowed=ALLOWED) -> list[str]:
    """Every breach of the floors under root, as "path:line: message" lines; [] when the house stands."""
    problems: list[str] = []
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for app in floors:
        for path in sorted((root / app).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            for line, module in _imports(tree):
                target = module.split(".")[0]
                if target not in floors or target == app:
                    continue
                where = f"{rel}:{line}"
                edges[(app, target)].append(where)
                verdict = _allowed(allowed, app, module)
                if verdict is False:
                    problems.append(f"{where}: {app} may import only {sorted(allowed[(app, target)])} of "
                                    f"{target}, not {module}")
                elif verdict is None and floors[target] > floors[app]:
                    problems.append(f"{where}: {app} imports {module}, a floor above it (upward import)")
                elif verdict is None and floors[target] == floors[app]:
                    problems.append(f"{where}: {app} imports {module}, an app on its own floor")
    problems.extend(_cycles(edges))
    return problems


def _cycles(edges: dict[tuple[str, str], list[str]]) -> list[str]:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    found: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]):
        for nxt in sorted(graph[node]):
            if nxt == start:
                cycle = path + [start]
                i = cycle.index(min(cycle[:-1]))  # one name per cycle, whatever app it was found from
                found.add(tuple(cycle[i:-1] + cycle[:i] + [cycle[i]]))
            elif nxt not in path and nxt > start:
                walk(start, nxt, path + [nxt])

    for start in sorted(graph):
        walk(start, start, [start])
    messages = []
    for cycle in sorted(found):
        first = [edges[(a, b)][0] for a, b in zip(cycle, cycle[1:])]
        messages.append(f"cycle between apps {' → '.join(cycle)} ({', '.join(first)})")
    return messages


def test_the_apps_import_only_the_floors_below_them():
    problems = check_layers(ROOT)
    assert problems == [], "\n".join(problems)


def test_selectors_docstrings_name_the_modules_their_app_may_read():
    for (importer, _target), modules in ALLOWED.items():
        doc = ast.get_docstring(ast.parse((ROOT / importer / "selectors.py").read_text(encoding="utf-8")))
        for module in modules:
            assert module in doc, f"{importer}/selectors.py's docstring should name {module}"


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_checker_reports_an_upward_import_a_sideways_one_and_a_cycle(tmp_path):
    floors = {"core": 0, "villages": 1, "members": 2, "pledges": 2, "reports": 3}
    _write(tmp_path, "core/__init__.py", "")
    _write(tmp_path, "core/views.py", "def home():\n    from villages.selectors import village_list\n")
    _write(tmp_path, "villages/selectors.py", "from core.scope import ScopedManager\n")
    _write(tmp_path, "members/selectors.py", "import villages.models\nfrom pledges.selectors import rates\n")
    _write(tmp_path, "pledges/selectors.py", "from django.apps import apps\n\n\ndef f():\n"
                                             "    return apps.get_model('members', 'PartyMember')\n")
    _write(tmp_path, "reports/views.py", "from members import selectors\nfrom . import forms\n")

    problems = check_layers(tmp_path, floors, allowed={})

    assert "core/views.py:2: core imports villages.selectors.village_list, a floor above it (upward import)" in problems
    assert "members/selectors.py:2: members imports pledges.selectors.rates, an app on its own floor" in problems
    assert "pledges/selectors.py:5: pledges imports members.models, an app on its own floor" in problems
    assert ("cycle between apps core → villages → core (core/views.py:2, villages/selectors.py:1)" in problems)
    assert ("cycle between apps members → pledges → members (members/selectors.py:2, pledges/selectors.py:5)"
            in problems)
    # Downward imports, relative ones and `from app import module` of a lower floor are fine.
    assert not any(p.startswith(("reports/", "villages/")) for p in problems)
    assert len(problems) == 5


def test_the_checker_holds_evaluations_to_the_selectors_it_may_read(tmp_path):
    floors = {"members": 0, "evaluations": 1}
    _write(tmp_path, "members/selectors.py", "")
    _write(tmp_path, "evaluations/services.py",
           "from members.selectors import member_year_totals\nfrom members.models import PartyMember\n")

    problems = check_layers(tmp_path, floors, allowed={("evaluations", "members"): {"members.selectors"}})

    assert problems == ["evaluations/services.py:2: evaluations may import only ['members.selectors'] of members, "
                        "not members.models.PartyMember"]
