"""The extraction benchmark in ../shared/eval as a regression floor.

CI has ../shared beside the clone; a user's clone does not, and then these tests
skip saying so. Each set has floors below the figures measured on it (README, issue
notes) so that only a real regression fails. ``dev`` is the first development set,
``dev2`` the second (styles the first lacks), ``unseen`` the articles in
benchmarks/unseen (written for this project; a development set since the second session
of issue 7), ``unseen2`` those in benchmarks/unseen2, the blind check nobody tunes on
(both scored with the same scorer, so they too need ../shared).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import export_store
from kg.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "dev": EVAL / "dev",
    "dev2": EVAL / "dev2",
    "unseen": ROOT / "benchmarks" / "unseen",
    "unseen2": ROOT / "benchmarks" / "unseen2",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (EVAL / "score.py").exists(),
                       reason=f"the extraction benchmark is not at {EVAL} (CI only)"),
]

# dev: issue 3's targets, met (measured 2026-12-05, second session of issue 7: overall 0.96,
# persons 0.99, organizations 0.97, places 0.98, missions 0.96, roles 0.97, events 0.89,
# participants 0.89, dates 85/97)
# dev2 (measured then: overall 0.893, persons 0.93, organizations 0.91, places 0.97,
# missions 0.92, roles 0.77, events 0.74, participants 0.75, dates 92/113)
# unseen (measured then: overall 0.88, persons 0.93, organizations 0.87, places 0.98,
# roles 0.77, events 0.77, participants 0.79, dates 59/65)
# unseen2, blind (measured then: overall 0.85, persons 0.94, organizations 0.88, places
# 0.98, roles 0.64, events 0.56, participants 0.78, dates 48/53)
FLOORS = {
    "dev": {"overall": 0.90, "persons": 0.95, "organizations": 0.90, "places": 0.95,
            "missions": 0.85, "roles": 0.85, "events": 0.80, "event participants": 0.85},
    "dev2": {"overall": 0.86, "persons": 0.88, "organizations": 0.87, "places": 0.94,
             "missions": 0.85, "roles": 0.70, "events": 0.68, "event participants": 0.70},
    "unseen": {"overall": 0.84, "persons": 0.88, "organizations": 0.82, "places": 0.94,
               "roles": 0.70, "events": 0.70, "event participants": 0.74},
    "unseen2": {"overall": 0.82, "persons": 0.90, "organizations": 0.83, "places": 0.95,
                "roles": 0.58, "events": 0.50, "event participants": 0.72},
}
DATE_ACCURACY = {"dev": 0.85, "dev2": 0.77, "unseen": 0.85, "unseen2": 0.85}


def measure(name: str, work: Path) -> dict:
    report = ingest([str(SETS[name])], work / "store")
    assert not report.failed, report.failed
    export_store(work / "store", fmt="nquads", output=work / f"{name}.nq")
    done = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), "--gold", str(SETS[name]),
         "--data", str(work / f"{name}.nq"), "--ontology", str(ROOT / "ontology"),
         "--json", str(work / "figures.json")],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    print(done.stdout)
    return json.loads((work / "figures.json").read_text())


@pytest.fixture(scope="module", params=sorted(SETS))
def figures(request, tmp_path_factory):
    return request.param, measure(request.param, tmp_path_factory.mktemp(request.param))


def test_each_set_stays_above_its_floors(figures):
    name, measured = figures
    below = {kind: measured[kind]["f1"] for kind, floor in FLOORS[name].items()
             if measured[kind]["f1"] < floor}
    assert not below, (name, below)


def test_event_dates_are_mostly_right(figures):
    name, measured = figures
    assert measured["event date"]["accuracy"] >= DATE_ACCURACY[name], measured["event date"]


def test_every_article_is_found(figures):
    _, measured = figures
    assert measured["overall"]["articles_found"] == measured["overall"]["articles"]
