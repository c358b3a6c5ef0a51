"""Word lists for names: honorifics and ranks, the heads of body names, role titles.

General English and diplomatic vocabulary only; no names of particular people.
"""

from __future__ import annotations

import re

# Words before a name that are not part of it ("Colonel General Andrei Serdyukov").
HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "madam", "madame",
    "lord", "lady", "his", "her", "excellency", "hon", "honourable", "honorable",
    "general", "colonel", "lieutenant", "major", "brigadier", "captain", "admiral",
    "vice", "rear", "commodore", "marshal", "sergeant", "commander", "police",
    "cardinal", "archbishop", "bishop", "patriarch", "metropolitan", "father", "sheikh",
    "imam", "rabbi", "nuncio", "mufti", "envoy", "delegate", "reverend", "rev", "pope", "king", "queen", "prince", "princess",
    "emir", "sultan", "ambassador", "senator", "deputy", "minister", "president",
    "chairman", "secretary", "acting", "former", "late", "army", "air", "force", "navy",
}
# Nouns that end the name of a body ("Joint Staff", "Permanent Council").
BODY_HEADS = {
    "council", "councils", "secretariat", "staff", "assembly", "committee", "commission",
    "forum", "centre", "center", "office", "department", "service", "structure", "forces",
    "force", "bank", "court", "board", "institute", "university", "school", "agency",
    "parliament", "government", "ministry", "directorate", "headquarters", "command",
    "conference", "academy", "fund", "programme", "program", "organization", "organisation",
    "union", "federation", "association", "corporation", "company", "group", "party",
    "guard", "troops", "army", "police", "bureau", "chamber", "senate", "duma", "cabinet",
    "administration", "presidium", "tribunal", "division", "unit", "network", "foundation",
    "society", "college", "club", "alliance", "league", "movement", "front", "mission",
    "contingent", "operation", "commonwealth", "ministers", "representatives", "secretaries", "community", "inspectorate",
    "observatory", "nations", "states", "majlis", "kurultai", "kenesh", "rada",
}
MISSION_HEADS = {"mission", "observer mission", "monitoring mission", "peacekeeping forces",
                 "peacekeeping force", "force", "contingent", "operation"}

# Role titles; longest first so the regex prefers "Secretary General" over "Secretary".
ROLE_HEADS = sorted(
    [
        "Secretary General", "Secretary-General", "Under-Secretary-General",
        "Under Secretary General", "Assistant Secretary-General", "Assistant Secretary General",
        "Deputy Secretary-General", "Deputy Secretary General", "Executive Secretary",
        "Secretary", "Press Secretary", "Head", "Chief", "Chief of Staff", "Chief Monitor",
        "Commander", "Force Commander", "Commander-in-Chief", "Chairman", "Chairwoman",
        "Chairperson", "Chair", "President", "Vice-President", "Vice President",
        "Prime Minister", "Minister", "Director", "Director General", "Director-General",
        "Ambassador", "Representative", "Permanent Representative", "Special Representative",
        "Plenipotentiary Representative", "Permanent Plenipotentiary Representative",
        "Spokesperson", "Spokesman", "Spokeswoman", "Envoy", "Special Envoy", "Coordinator",
        "Rector", "Speaker", "Adviser", "Advisor", "Counsellor", "Counselor", "Attaché",
        "Chargé d'Affaires", "Chargé d’Affaires", "Officer", "Governor", "Mayor",
        "Prosecutor General", "Commissioner", "High Commissioner", "Chief of the General Staff",
        "Member", "Coordinator", "Editor-in-Chief", "General Director", "Chief Executive",
        "Head of Mission", "Head of Delegation", "Head of the Delegation", "Observer",
        "Chief Observer", "Head of the Observer Mission", "Ombudsman", "Auditor",
    ],
    key=len,
    reverse=True,
)
ROLE_MODIFIERS = ["First Deputy", "Deputy", "Acting", "Assistant", "Executive", "Permanent",
                  "Plenipotentiary", "National", "General",
                  "Special", "Senior", "Principal", "Interim", "Chief", "Vice", "Honorary",
                  "Foreign", "Defence", "Defense", "Foreign Affairs", "Interior", "Justice",
                  "Finance", "Economy", "Emergency Situations"]

_SMALL = {"of", "for", "and", "the", "to", "in", "on", "at", "d'affaires", "d’affaires"}


def role_label(text: str) -> str:
    """One label per post: words capitalized, hyphens as spaces, 'former' dropped.

    "Secretary-General" and "Secretary General" name the same post, so both
    become "Secretary General" and share one ``org:Role``.
    """
    text = re.sub(r"^(?:the|a|an|former|ex-|then)\s+", "", text.strip(), flags=re.IGNORECASE)
    words = re.split(r"[\s-]+", text)
    out = [w if w.lower() in _SMALL and i else w[:1].upper() + w[1:] for i, w in enumerate(words)]
    return " ".join(out)


PATRONYMIC = re.compile(r"(?:ovich|evich|ievich|yevich|ich|ovna|evna|ievna|yevna|ichna|ogly|kyzy|uly|qizi)$")


def split_name(name: str) -> tuple[str, str | None]:
    """(surname, given name) of a person's name, Russian order ("Zas Stanislav Vasilyevich") included."""
    parts = name.split()
    if len(parts) == 3 and PATRONYMIC.search(parts[2].lower()):
        return parts[0], parts[1]
    if len(parts) >= 3 and PATRONYMIC.search(parts[1].lower()):
        return parts[-1], parts[0]
    if len(parts) >= 2 and parts[-2].lower() in {"del", "de", "van", "von", "bou", "al", "el",
                                                    "bin", "ibn", "da", "di", "le", "la", "dos"}:
        return " ".join(parts[-2:]), parts[0] if len(parts) > 2 else None
    if len(parts) == 1:
        return parts[0], None
    return parts[-1], parts[0]


def is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.(?:-?[A-Z]\.)?", word))
