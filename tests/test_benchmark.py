"""The extraction benchmark in ../shared/eval as a regression floor.

CI has ../shared beside the clone; a user's clone does not, and then these tests
skip saying so. The floor sits below the measured figures (README, issue notes)
so that only a real regression fails it.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import export_store
from kg.pipeline import ingest

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (EVAL / "score.py").exists(),
                       reason=f"the extraction benchmark is not at {EVAL} (CI only)"),
]

# issue 3's targets, met on the dev set (measured: overall 0.96, persons 0.99, organizations
# 0.97, places 0.98, missions 0.96, roles 0.94, events 0.89, participants 0.90, dates 0.89)
FLOORS = {"overall": 0.90, "persons": 0.95, "organizations": 0.90, "places": 0.95,
          "missions": 0.85, "roles": 0.85, "events": 0.80, "event participants": 0.85}


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    work = tmp_path_factory.mktemp("dev")
    report = ingest([str(EVAL / "dev")], work / "store")
    assert not report.failed, report.failed
    export_store(work / "store", fmt="nquads", output=work / "dev.nq")
    done = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), "--gold", str(EVAL / "dev"),
         "--data", str(work / "dev.nq"), "--ontology", str(ROOT / "ontology"),
         "--json", str(work / "figures.json")],
        capture_output=True, text=True, check=True)
    print(done.stdout)
    return json.loads((work / "figures.json").read_text())


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_dev_benchmark_stays_above_its_floor(figures, kind):
    assert figures[kind]["f1"] >= FLOORS[kind], figures[kind]


def test_event_dates_are_mostly_right(figures):
    assert figures["event date"]["accuracy"] >= 0.85, figures["event date"]


def test_every_dev_article_is_found(figures):
    assert figures["overall"]["articles_found"] == figures["overall"]["articles"]
