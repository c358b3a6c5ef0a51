"""Gazetteers of real-world organizations, missions, places and well-known officials,
kept as TSV files.

``kg/extract/data/organizations.tsv``, ``places.tsv`` and ``officials.tsv`` ship with
newskg; users extend them with files of the same columns named in ``KG_GAZETTEER``
(paths separated by ``os.pathsep``; a file whose header has ``kind`` and ``country``
columns is read as places, one with a ``role`` column as officials, any other as
organizations).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
ORG_KINDS = {
    "organization": ("organization", None),
    "unit": ("organization", "unit"),
    "peacekeeping": ("mission", "peacekeeping"),
    "observer": ("mission", "observer"),
    "field": ("mission", "field"),
    "mission": ("mission", None),
}


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Comparison form: case, accents, punctuation, hyphens and a leading 'the' ignored."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").lower()
    text = re.sub(r"[^\w\s']|'s\b", " ", text.replace("-", " "))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass
class Entry:
    id: str
    name: str
    kind: str  # organization, mission or place
    subtype: str | None
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None  # an organization id
    location: str | None = None  # a place name
    country: str | None = None
    wikidata: str | None = None

    def forms(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Official:
    """A well-known person: the one spelling of their name, and their Wikidata item."""

    name: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None


def person_key(name: str) -> str:
    """A full name as officials are matched: accents and case ignored."""
    folded = unicodedata.normalize("NFKD", name)
    return norm("".join(c for c in folded if not unicodedata.combining(c)))


@dataclass
class Gazetteer:
    entries: dict[str, Entry] = field(default_factory=dict)
    by_form: dict[str, list[Entry]] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # "kazakh" -> "Kazakhstan"
    officials: dict[str, Official] = field(default_factory=dict)  # by person_key

    def add_official(self, official: Official) -> None:
        for form in (official.name, *official.aliases):
            words = person_key(form).split()
            for key in {" ".join(words), f"{words[0]} {words[-1]}"}:
                self.officials.setdefault(key, official)

    def official(self, name: str) -> Official | None:
        """The well-known person a full name (two words or more) is, if any."""
        words = person_key(name).split()
        if len(words) < 2:
            return None
        return self.officials.get(" ".join(words)) or self.officials.get(
            f"{words[0]} {words[-1]}")

    def add(self, entry: Entry) -> None:
        self.entries[entry.id] = entry
        for form in entry.forms():
            bucket = self.by_form.setdefault(norm(form), [])
            if entry not in bucket:
                bucket.append(entry)

    def lookup(self, text: str, kind: str | None = None) -> Entry | None:
        for entry in self.by_form.get(norm(text), ()):
            if kind is None or entry.kind == kind:
                return entry
        return None

    def ancestors(self, entry: Entry) -> list[str]:
        """The ids of the organizations ``entry`` belongs to, nearest first."""
        found: list[str] = []
        while entry.parent and entry.parent in self.entries and entry.parent not in found:
            found.append(entry.parent)
            entry = self.entries[entry.parent]
        return found

    def units_named_short(self, text: str) -> list[Entry]:
        """The bodies a name can be short for once its organization's name is dropped:
        "Security Council" for "UN Security Council" or "Security Council of the United
        Nations" (a name of two words or more, and of no entry in its own right)."""
        return self._short_names.get(norm(text), [])

    @cached_property
    def _short_names(self) -> dict[str, list[Entry]]:
        """Read once, when first asked (every entry is added by then)."""
        short: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            parent = self.entries.get(entry.parent or "")
            if parent is None:
                continue
            owners = [norm(f) for f in parent.forms()]
            for form in map(norm, entry.forms()):
                for owner in owners:
                    rest = (form.removeprefix(owner + " ") if form.startswith(owner + " ") else
                            re.sub(rf" of (?:the )?{re.escape(owner)}$", "", form))
                    if rest != form and len(rest.split()) >= 2 and rest not in self.by_form:
                        bucket = short.setdefault(rest, [])
                        if entry not in bucket:
                            bucket.append(entry)
        return short

    def place(self, name: str) -> Entry | None:
        return self.lookup(name, "place")

    def country_named_in(self, text: str) -> str | None:
        """The country a phrase names by name or adjective: "Russian", "Tajikistan's"."""
        for word in re.findall(r"[\w-]+", text):
            key = norm(word)
            if key in self.demonyms:
                return self.demonyms[key]
            entry = self.lookup(word, "place")
            if entry is not None and entry.subtype == "country":
                return entry.name
        return None


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _read_organizations(path: Path, gazetteer: Gazetteer) -> None:
    for row in _rows(path):
        kind, subtype = ORG_KINDS.get(
            (row.get("kind") or "organization").strip(), ("organization", None)
        )
        gazetteer.add(
            Entry(
                id=row["id"].strip(),
                name=row["name"].strip(),
                kind=kind,
                subtype=subtype,
                aliases=_split(row.get("aliases")),
                parent=(row.get("parent") or "").strip() or None,
                location=(row.get("location") or "").strip() or None,
                wikidata=(row.get("wikidata") or "").strip() or None,
            )
        )


def _read_officials(path: Path, gazetteer: Gazetteer) -> None:
    for row in _rows(path):
        gazetteer.add_official(Official(row["name"].strip(), _split(row.get("aliases")),
                                        (row.get("wikidata") or "").strip() or None))


def _read_places(path: Path, gazetteer: Gazetteer) -> None:
    for row in _rows(path):
        name = row["name"].strip()
        subtype = (row.get("kind") or "").strip() or None
        country = (row.get("country") or "").strip() or None
        key = "place:" + norm(name).replace(" ", "-")
        if subtype == "city" and key in gazetteer.entries and country:
            key += "-" + norm(country).replace(" ", "-")
        gazetteer.add(
            Entry(
                id=key,
                name=name,
                kind="place",
                subtype=subtype,
                aliases=_split(row.get("aliases")),
                country=country,
                wikidata=(row.get("wikidata") or "").strip() or None,
            )
        )
        gazetteer.demonyms.update((norm(d), name) for d in _split(row.get("demonym")))


def _files(extra: str | None) -> list[Path]:
    files = [DATA / "organizations.tsv", DATA / "places.tsv", DATA / "officials.tsv"]
    return files + [Path(p) for p in (extra or "").split(os.pathsep) if p]


@lru_cache(maxsize=4)
def _digest(extra: str | None) -> str:
    digest = hashlib.sha256()
    for path in _files(extra):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def files_digest() -> str:
    """A fingerprint of the gazetteers in use, so editing them re-extracts articles."""
    return _digest(os.environ.get("KG_GAZETTEER"))


@lru_cache(maxsize=4)
def load(extra: str | None = None) -> Gazetteer:
    """The shipped gazetteers plus the user's files (``KG_GAZETTEER``)."""
    gazetteer = Gazetteer()
    for path in _files(extra):
        if not path.exists():
            continue
        header = path.read_text(encoding="utf-8").split("\n")
        columns = next((line for line in header if line.strip() and not line.startswith("#")), "")
        if "country" in columns.split("\t"):
            _read_places(path, gazetteer)
        elif "role" in columns.split("\t"):
            _read_officials(path, gazetteer)
        else:
            _read_organizations(path, gazetteer)
    return gazetteer


def default() -> Gazetteer:
    return load(os.environ.get("KG_GAZETTEER"))
