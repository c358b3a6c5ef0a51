"""The extraction benchmark in ../shared/eval as a regression floor.

CI has ../shared beside the clone; a user's clone does not, and then these tests
skip saying so. Each set has floors below the figures measured on it (README, issue
notes) so that only a real regression fails. ``dev`` is the first development set,
``dev2`` the second (styles the first lacks), ``unseen`` the articles in
benchmarks/unseen (written for this project; a development set since the second session
of issue 7), ``unseen2`` those in benchmarks/unseen2 (a development set since the third),
``unseen3`` those in benchmarks/unseen3, the blind check nobody tunes on (all scored with
the same scorer, so they too need ../shared).
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
    "unseen3": ROOT / "benchmarks" / "unseen3",
    "unseen4": ROOT / "benchmarks" / "unseen4",
    "unseen5": ROOT / "benchmarks" / "unseen5",
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (EVAL / "score.py").exists(),
                       reason=f"the extraction benchmark is not at {EVAL} (CI only)"),
]

# Measured 2026-12-06, third session of issue 7 (PYTHONHASHSEED=0):
# dev: overall 0.964, persons 0.99, organizations 0.98, places 0.98, missions 0.96,
# roles 0.97, events 0.89, participants 0.89, dates 85/97
# dev2: overall 0.898, persons 0.94, organizations 0.92, places 0.97, missions 0.92,
# roles 0.80, events 0.74, participants 0.76, dates 92/113
# unseen: overall 0.881, persons 0.94, organizations 0.87, places 0.98, roles 0.77,
# events 0.77, participants 0.79, dates 59/65
# unseen2 (a development set now): overall 0.892, persons 0.95, organizations 0.88,
# places 0.98, roles 0.72, events 0.74, participants 0.75, dates 63/71
# unseen3, blind: overall 0.790, persons 0.87, organizations 0.80, places 0.96, roles 0.49,
# events 0.54, participants 0.65, dates 36/44
# unseen4 (blind once: 0.773, events 0.35; a development set since): overall 0.816,
# persons 0.93, organizations 0.80, places 0.94, roles 0.60, events 0.60, participants 0.74,
# dates 47/55
# unseen5, blind (measured 2026-12-06, its misses never read): overall 0.754, persons 0.94,
# organizations 0.79, places 0.93, roles 0.45, events 0.28, participants 0.61, dates 24/25
FLOORS = {
    "dev": {"overall": 0.90, "persons": 0.95, "organizations": 0.90, "places": 0.95,
            "missions": 0.85, "roles": 0.85, "events": 0.80, "event participants": 0.85},
    "dev2": {"overall": 0.87, "persons": 0.88, "organizations": 0.87, "places": 0.94,
             "missions": 0.85, "roles": 0.74, "events": 0.68, "event participants": 0.70},
    "unseen": {"overall": 0.84, "persons": 0.88, "organizations": 0.82, "places": 0.94,
               "roles": 0.70, "events": 0.70, "event participants": 0.74},
    "unseen2": {"overall": 0.86, "persons": 0.90, "organizations": 0.83, "places": 0.95,
                "roles": 0.66, "events": 0.68, "event participants": 0.70},
    "unseen3": {"overall": 0.76, "persons": 0.83, "organizations": 0.76, "places": 0.93,
                "roles": 0.42, "events": 0.47, "event participants": 0.58},
    "unseen4": {"overall": 0.78, "persons": 0.88, "organizations": 0.76, "places": 0.91,
                "roles": 0.55, "events": 0.54, "event participants": 0.68},
    "unseen5": {"overall": 0.72, "persons": 0.90, "organizations": 0.74, "places": 0.90,
                "roles": 0.40, "events": 0.24, "event participants": 0.55},
}
DATE_ACCURACY = {"dev": 0.85, "dev2": 0.77, "unseen": 0.85, "unseen2": 0.85, "unseen3": 0.75,
                 "unseen4": 0.78, "unseen5": 0.85}


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
