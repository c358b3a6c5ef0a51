"""Word lists for names (honorifics and ranks, the heads of body names, role titles), read
from ``data/names.tsv``, and the functions that shape names and post labels.

General English and diplomatic vocabulary only; no names of particular people.
"""

from __future__ import annotations

import re

from kg.extract import lexicon

# Words before a name that are not part of it ("Colonel General Andrei Serdyukov").
HONORIFICS = set(lexicon.words("names.tsv", "honorific"))
# Nouns that end the name of a body ("Joint Staff", "Permanent Council").
BODY_HEADS = set(lexicon.words("names.tsv", "body-head"))
MISSION_HEADS = set(lexicon.words("names.tsv", "mission-head"))
# Role titles; longest first so the regex prefers "Secretary General" over "Secretary".
ROLE_HEADS = sorted(lexicon.words("names.tsv", "title"), key=len, reverse=True)
ROLE_MODIFIERS = lexicon.words("names.tsv", "title-modifier")

_SMALL = {"of", "for", "and", "the", "to", "in", "on", "at", "d'affaires", "d’affaires", "ad", "interim"}


def role_label(text: str) -> str:
    """One label per post: words capitalized, hyphens as spaces, 'former' dropped.

    "Secretary-General" and "Secretary General" name the same post, so both
    become "Secretary General" and share one ``org:Role``.
    """
    text = re.sub(r"^(?:the|a|an|former|ex-|then)\s+", "", text.strip(), flags=re.IGNORECASE)
    words = re.split(r"[\s-]+", text)
    out = [w if w.lower() in _SMALL and i else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return " ".join(out)


PATRONYMIC = re.compile(
    r"(?:ovich|evich|ievich|yevich|ich|ovna|evna|ievna|yevna|ichna|ogly|kyzy|uly|qizi)$"
)


SURNAME_PARTICLES = {
    "del", "de", "der", "den", "van", "von", "bou", "al", "el", "bin", "ibn", "da", "di", "le",
    "la", "dos",
}


def split_name(name: str) -> tuple[str, str | None]:
    """(surname, given name) of a person's name, Russian order ("Zas Stanislav Vasilyevich") included."""
    parts = name.split()
    if len(parts) == 3 and PATRONYMIC.search(parts[2].lower()):
        return parts[0], parts[1]
    if len(parts) >= 3 and PATRONYMIC.search(parts[1].lower()):
        return parts[-1], parts[0]
    # "Ursula von der Leyen", "Von der Leyen", "Staffan de Mistura": the surname begins
    # with its first particle
    first = next((i for i, w in enumerate(parts[:-1]) if w.lower() in SURNAME_PARTICLES), None)
    if first is not None and all(w.lower() in SURNAME_PARTICLES for w in parts[first:-1]):
        return " ".join(parts[first:]), parts[0] if first > 0 else None
    if len(parts) == 1:
        return parts[0], None
    return parts[-1], parts[0]


def is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.(?:-?[A-Z]\.)?", word))
