"""Where the ontology and the named queries live on disk.

Both directories sit at the repository's top level, next to the ``kg`` package
(DESIGN.md), not inside it; a wheel installs them under ``<prefix>/share/newskg``
(pyproject's data-files); ``KG_ONTOLOGY_DIR`` and ``KG_QUERIES_DIR`` point
elsewhere, e.g. at a user's own queries. Failing to find
them is a KGError naming every place looked at, never a bare FileNotFoundError
deep inside a command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kg.errors import KGError

ONTOLOGY_ENV = "KG_ONTOLOGY_DIR"
QUERIES_ENV = "KG_QUERIES_DIR"
ONTOLOGY_FILE = "newskg.ttl"


def _candidates(name: str) -> list[Path]:
    """The top level of the source tree, then a data directory of an installed copy."""
    top = Path(__file__).resolve().parent.parent
    return [top / name, Path(sys.prefix) / "share" / "newskg" / name]


def _locate(name: str, env: str, required: str | None) -> Path:
    override = os.environ.get(env)
    places = [Path(override)] if override else _candidates(name)
    for place in places:
        if place.is_dir() and (required is None or (place / required).is_file()):
            return place
    wanted = f"a {name}/ directory" + (f" holding {required}" if required else "")
    looked = ", ".join(str(p) for p in places)
    if override:
        raise KGError(f"${env} is {override}, which is not {wanted}",
                      f"point {env} at the {name}/ directory of newskg, or unset it")
    raise KGError(f"cannot find {wanted} (looked in {looked})",
                  f"run kg from a newskg checkout or set {env} to the {name}/ directory")


def ontology_dir() -> Path:
    """The directory holding the OWL ontology and its SHACL shapes."""
    return _locate("ontology", ONTOLOGY_ENV, ONTOLOGY_FILE)


def ontology_file() -> Path:
    """``ontology/newskg.ttl``: what ingest loads into the ontology graph."""
    return ontology_dir() / ONTOLOGY_FILE


def queries_dir() -> Path:
    """The directory of named queries (``*.rq``)."""
    return _locate("queries", QUERIES_ENV, None)
