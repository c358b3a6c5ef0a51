"""Posts held: who holds which role in which organization, read off slotted sentences.

Constructions (each a named rule, recorded as ``kgo:extractedBy``):
- ``role-prenominal``: "CSTO Secretary General Stanislav Zas"
- ``role-of-org``: "Secretary General of the CSTO Stanislav Zas", "the Chief of the
  Joint Staff, Colonel General Anatoly Sidorov"
- ``role-apposition``: "Zhang Ming, Secretary-General of the SCO", "Rosemary DiCarlo,
  United Nations Under-Secretary-General for ...", "Hasan Sultonov, Permanent
  Representative of Tajikistan to the CSTO"
- ``role-as``: "Stanislav Zas, who is in Armenia as Head of the CSTO Mission"
- ``role-signature``: a press release's signature, "CSTO Press Secretary" over a name
- ``role-its``: "The CIS Observer Mission ... , its head, X, told ..."
- ``role-implied``: a bare secretariat title ("Secretary-General Vladimir Norov") in the
  organization the article implies (see ``find_implied``)
Compound titles ("Head of Mission and Force Commander") give one post each;
"former" marks a past post; a title whose organization is a place gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from kg.datelines import MONTHS
from kg.extract import lexicon
from kg.extract.names import ROLE_HEADS, ROLE_MODIFIERS, role_label
from kg.extract.sentences import Sentence, named_most

_HEAD = "|".join(re.escape(h).replace(r"\-", "[- ]").replace(r"\ ", "[- ]") for h in ROLE_HEADS)
_MOD = "(?:acting|" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in ROLE_MODIFIERS) + ")"
# what a title is "for" or "on" ("for Political Affairs", "for Afghanistan": a place is part
# of the title, not its body)
_NOT_A_TOPIC = (  # "Secretary General on January 1": a date, not what the post is for
    r"(?!(?:" + "|".join(m.capitalize() for m in MONTHS)
    + r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
_COMPLEMENT = (
    # "Special Representative of the Secretary-General in the Democratic Republic of the Congo"
    # (or "... of the UN Secretary-General for Yemen": the body named before the title)
    r"(?:\s+of\s+the\s+(?:⟦O\d+⟧\s+)?Secretary[- ]General\s+(?:in|for|on)\s+(?:the\s+)?⟦L\d+⟧"
    r"|\s+(?:for|on|of)\s+(?:the\s+)?(?!⟦)" + _NOT_A_TOPIC
    + r"(?:[A-Z][\w'’-]*)(?:\s+(?:and\s+)?(?!⟦)[A-Z][\w'’-]*)*"
    r"|\s+(?:for|on)\s+(?:the\s+)?⟦L\d+⟧"
    r"|\s+to\s+the\s+(?:President|Prime\s+Minister|Chairman|Secretary\s+General)){0,2}"
)
ROLE = rf"(?:(?:former|then|ex-)\s+)?(?:{_MOD}\s+)*(?:{_HEAD})(?![\w-])(?:\s+ad\s+interim)?{_COMPLEMENT}"
# stacked titles: "Head of Mission and Force Commander", "Deputy Secretary General / Chief of
# Staff", "Chairman – Executive Secretary"
ROLES = rf"(?P<roles>{ROLE}(?:\s*(?:\s+and\s+|\s*[–/]\s*){ROLE})*)"
# titles in either case, after a name and a comma: "X, head of the Y", "X, Kenya's ambassador to"
ROLE_ANY_CASE = (
    rf"(?:(?:former|then|ex-)\s+)?(?:(?i:{_MOD})\s+)*(?i:{_HEAD})(?![\w-])(?:\s+ad\s+interim)?"
    rf"{_COMPLEMENT}"
)
ROLES_ANY = rf"(?P<roles>{ROLE_ANY_CASE}(?:\s*(?:\s+and\s+|\s*[–/]\s*){ROLE_ANY_CASE})*)"
# what may stand between a name and its title: "X of Guinea, the new head of ..."
QUALIFIER = (
    r"(?:(?:then|currently|now|until\s+now|until\s+recently|formerly|previously|also|at\s+the\s+time)"
    r"\s+(?:the\s+)?)?"
    r"(?:(?:this|last|next)\s+year['’]s\s+)?"  # "Anwar Ibrahim, this year's ASEAN Chair"
    r"(?:(?:new|newly\s+appointed|newly\s+elected|outgoing|incoming|current)\s+)?"
)
# "a member of the ...", "as head of the ...", "the ambassador to the UN": titles in lower case
ROLES_LC = rf"(?P<roles>(?=[a-z])(?:(?i:{_MOD})\s+)*(?i:{_HEAD}|member|deputy|observer)(?![\w-]){_COMPLEMENT})"
_RANK_GRADE = r"(?:Major|Lieutenant|Colonel|Brigadier|Army|Air|Vice|Rear)"
RANK = (
    rf"(?:(?:{_RANK_GRADE}\s+)?"
    r"(?:General|Admiral|Colonel|Cardinal|Archbishop|Ambassador|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)?"
)
# a second title between a post and the name: "The Head of the CSTO Mission, Secretary General X"
OF = r"\s+(?:of|to|at|in)\s+(?:the\s+)?"
OF_BODY = r"\s+(?:of|to|at|in|for)\s+(?:the\s+)?"  # "spokesman for the Ministry of ..."
# "..., Polish Foreign Minister X", "..., Malta's Foreign Minister X"
OTHER_TITLE = rf"(?:(?:[A-Z][a-z]+\s+|⟦L\d+⟧['’]s\s+)?{ROLE}\s*,?\s+)?"
# after "The head of the X," the second title may name its own body: "..., Deputy
# Secretary-General of the SCO Yerik Ashimov"
OTHER_TITLE_WITH_BODY = rf"(?:(?:⟦[OM]\d+⟧\s+)?{ROLE}(?:{OF}⟦[OM]\d+⟧)?\s*,?\s+)?"
ORG = r"⟦[OM]\d+⟧"
PERSON = r"(?P<person>⟦P\d+⟧)"

PATTERNS = [
    (
        "role-prenominal",
        rf"(?:(?P<mod>{_MOD}|[Ff]ormer|ex-)\s*)?(?P<org>{ORG})(?:['’]s)?\s+{QUALIFIER}{ROLES}\s*,?\s+"
        rf"{OTHER_TITLE}{RANK}{PERSON}",
    ),
    ("role-prenominal-lowercase", rf"(?P<org>{ORG})\s+{ROLES_LC}\s+{PERSON}"),
    (
        "role-of-org",
        rf"{ROLES}{OF}(?:⟦L\d+⟧{OF})?(?P<org>{ORG})(?:\s*\(\s*⟦[OM]\d+⟧\s*\))?\s*,?\s+"
        rf"{OTHER_TITLE}{RANK}{PERSON}",
    ),
    (
        "role-apposition",
        rf"{PERSON}(?:\s+of\s+⟦L\d+⟧)?\s*(?:,|\(|\s[–—-])\s*"  # "X, T", "X (T)", "X – T –"
        rf"(?:who\s+is\s+(?:also\s+)?|(?:him|her)self\s+|(?:the|a|an)\s+)?"
        rf"{QUALIFIER}(?:(?P<mod>former|ex-)\s+(?=⟦))?"  # "a former OSCE ambassador"
        rf"(?:⟦L\d+⟧(?:['’]s)?\s+)?(?:(?P<org>{ORG})(?:['’]s)?\s+)?"
        rf"{ROLES_ANY}(?:{OF_BODY}(?:⟦L\d+⟧{OF})?(?P<org2>{ORG}))?"
        # "A, EEAS Managing Director B": the title is B's
        rf"(?!\s+{RANK}⟦P)",
    ),
    ("role-as", rf"{PERSON}(?:[^⟦.;]|⟦L\d+⟧){{0,60}}?(?<!well\s)(?<!such\s)\bas\s+(?:the\s+)?{ROLES}{OF}(?P<org>{ORG})"),
    ("role-apposition-lowercase", rf"{PERSON}\s*,\s*(?:a|an|the)?\s*{ROLES_LC}{OF}(?P<org>{ORG})"),
    # "Ian Borg ..., in his role as OSCE Chair-in-Office"; "Helga Schmid's term as OSCE ..."
    (
        "role-as-prenominal",
        rf"{PERSON}(?:['’]s\s+(?:term|tenure|time)|(?:[^⟦.;]|⟦L\d+⟧){{0,60}}?(?<!well\s)(?<!such\s))"
        rf"\s+as\s+(?:the\s+)?(?P<org>{ORG})\s+{ROLES}",
    ),

    (
        "role-of-org-lowercase",
        rf"(?:\b(?:The|the)|⟦L\d+⟧['’]s)\s+{ROLES_LC}{OF}(?P<org>{ORG})\s*,\s+{OTHER_TITLE_WITH_BODY}"
        rf"{RANK}{PERSON}",
    ),
    # "Kazakhstan's Permanent Representative to the CIS statutory bodies, Bakhyt Sultanov"
    (
        "role-of-org-words-after",
        rf"(?:\b(?:The|the)|⟦L\d+⟧['’]s)\s+{ROLES}{OF}(?P<org>{ORG})(?:\s+[a-z]+){{1,3}}\s*,\s+"
        rf"{RANK}{PERSON}",
    ),
    # "Chairman of the CIS Executive Committee – CIS Executive Secretary Sergey Lebedev"
    (
        "role-of-org-and-prenominal",
        rf"{ROLES}{OF}(?P<org>{ORG})\s*[–—-]\s*(?P<org2>{ORG})\s+(?P<roles2>{ROLE})\s+{RANK}{PERSON}",
    ),
    (
        "role-apposition-second-body",
        rf"{PERSON}\s*,\s*(?:the\s+)?{ROLE}{OF}⟦[OM]\d+⟧\s*(?:–|—|-|\band)\s*(?P<org>{ORG})\s+{ROLES}",
    ),
    (
        "role-as-lowercase",
        rf"{PERSON}(?:[^⟦.;]|⟦L\d+⟧){{0,60}}?(?<!well\s)(?<!such\s)\bas\s+(?:the\s+)?{ROLES_LC}{OF}(?P<org>{ORG})",
    ),
]
PATTERNS += [
    # "Special Co-ordinator Elona Hoxha-Gjoka of the OSCE Parliamentary Assembly"
    (
        "role-title-name-of-org",
        rf"(?<![⟧\w])\s*{ROLES}\s+{RANK}{PERSON}\s+of\s+the\s+(?P<org>{ORG})",
    ),
    # "The mission was headed by Ambassador Tana de Zulueta"
    (
        "role-headed-by",
        rf"(?P<org>{ORG})\s+(?:was|is|will\s+be)\s+(?P<roles>headed|led)\s+by\s+{RANK}{PERSON}",
    ),
    # "The CIS Observer Mission ... has begun its work, its head, First Deputy Chairman of the
    # CIS Executive Committee X, told ...": "its" is the body the sentence opens with
    (
        "role-its",
        rf"^\s*(?:⟦L\d+⟧[^⟦]{{0,40}}?[—–-]\s*)?(?:[Tt]he\s+)?(?P<org>{ORG})[^;]{{0,160}}?,\s+its\s+"
        rf"(?P<roles>{ROLE}|(?i:head|chief|leader|chairman|director))\s*,\s*"
        rf"{OTHER_TITLE_WITH_BODY}{RANK}{PERSON}",
    ),
    # "A delegation of the OSCE Parliamentary Assembly led by its President, Pia Kauma"
    (
        "role-led-by-its",
        rf"(?P<org>{ORG})[^⟦.;]{{0,40}}?\b(?:led|headed|chaired)\s+by\s+its\s+{ROLES}\s*,?\s+"
        rf"{RANK}{PERSON}",
    ),
    # "Nikolay Podguzov, who has just become Chairman of the Board of the Eurasian Development Bank"
    (
        "role-who-became",
        rf"{PERSON}\s*,?\s+who\s+(?:has\s+|had\s+)?(?:just\s+|recently\s+)?(?:become|became|is|was|"
        rf"has\s+been|(?:was|has\s+been)\s+(?:re-?)?(?:appointed|elected|named|confirmed|chosen)"
        rf"(?:\s+as)?|serves\s+as)\s+(?:the\s+)?(?:new\s+)?{ROLES}{OF}"
        rf"(?P<org>{ORG})",
    ),
    # "The Centre for Policy Studies, whose director, Marta Nowak, spoke ..."
    (
        "role-whose",
        rf"(?P<org>{ORG})\s*,\s*whose\s+(?:new\s+)?{ROLES_ANY}\s*,?\s+{RANK}{PERSON}",
    ),
    # "Mankeur Ndiaye, Special Representative of the UN Secretary-General": a post in the UN
    (
        "role-representative-of-boss",
        rf"{PERSON}\s*,\s*(?:the\s+)?{QUALIFIER}(?P<roles>(?:{_MOD}\s+)*(?:Representative|Envoy|Adviser|Advisor))"
        rf"\s+of\s+the\s+(?P<org>{ORG})\s+(?P<boss>Secretary[- ]General)",
    ),
    # "Erywan Yusof, Brunei's second foreign minister and ASEAN's special envoy on Myanmar"
    (
        "role-apposition-and-possessive",
        rf"{PERSON}\s*,\s*(?:the\s+)?(?:⟦L\d+⟧['’]s\s+)?[a-zA-Z -]{{0,40}}?\band\s+(?:the\s+)?(?P<org>{ORG})['’]s\s+"
        rf"{ROLES_ANY}(?=\s*[,.;)]|\s+(?:and|who|has|had|is|was|said|called|told)\b)",
    ),
    # "..., Special Representative of the UN Secretary-General and Head of MINUSCA"
    (
        "role-apposition-and-second",
        rf"{PERSON}\s*,\s*(?:the\s+)?{QUALIFIER}(?P<roles>{ROLE_ANY_CASE})(?:[^⟦;.]|⟦L\d+⟧){{0,40}}"
        rf"(?:⟦O\d+⟧[^⟦;.]{{0,30}})?\band\s+(?P<roles2>{ROLE_ANY_CASE}){OF}(?P<org>{ORG})",
    ),
]
PATTERNS += [
    # "X, Crown Prince of Qatar and Chairman of the Qatar Investment Authority", "X, Ghana's
    # envoy to the UN and President of the Security Council": whatever the first title is,
    # the one after "and" is X's too
    (
        "role-apposition-and-title",
        rf"{PERSON}\s*,\s*(?:[^⟦;.,]|⟦[LO]\d+⟧){{3,60}}?\band\s+(?:the\s+)?{QUALIFIER}"
        rf"(?P<roles>{ROLE}){OF}(?P<org>{ORG})",
    ),
    # "X, Foreign Minister of Malta and then OSCE Chairman-in-Office": the title after "and",
    # its body before it
    (
        "role-apposition-and-prenominal",
        rf"{PERSON}\s*,\s*(?:[^⟦;.,]|⟦L\d+⟧){{3,60}}?\band\s+(?:the\s+)?{QUALIFIER}"
        rf"(?P<org>{ORG})(?:['’]s)?\s+{ROLES}(?=\s*[,.;)]|\s+(?:and|who|has|had|is|was|for)\b)",
    ),
    # "deputies of the National Assembly attended, among them Deputy Speaker X": a title of
    # that body
    (
        "role-among-members",
        rf"\b(?i:members|deputies|delegates|officials|senators|lawmakers|staff)\s+(?:of|from)\s+"
        rf"(?:the\s+)?(?P<org>{ORG})[^⟦;.]{{0,60}}?\b(?:among\s+them|including|such\s+as)\s+"
        rf"{ROLES}\s+{RANK}{PERSON}",
    ),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in PATTERNS]
BARE_TITLE = re.compile(rf"(?<![⟧\w])\s*{ROLES}\s+{RANK}{PERSON}")
SIGNATURE = re.compile(rf"^\s*(?:The\s+)?(?P<org>{ORG})\s+{ROLES}\s*$")
ONLY_PERSON = re.compile(rf"^\s*{PERSON}\s*(?:\n|$)")
# each pattern above is named for what it reads (``--explain`` and kgo:extractedBy give
# the name); its confidence is its family's
CONFIDENCE = {
    "role-prenominal-lowercase": 0.9,
    "role-of-org-lowercase": 0.9,
    "role-title-name-of-org": 0.9,
    "role-headed-by": 0.9,
    "role-led-by-its": 0.9,
    "role-apposition-lowercase": 0.85,
    "role-apposition-second-body": 0.85,
    "role-representative-of-boss": 0.85,
    "role-apposition-and-second": 0.85,
    "role-apposition-and-title": 0.75,
    "role-among-members": 0.75,
    "role-apposition-and-prenominal": 0.75,
    "role-as-lowercase": 0.8,
    "role-as-prenominal": 0.8,
    "role-of-org-words-after": 0.85,
    "role-of-org-and-prenominal": 0.9,
    "post-new-or-outgoing": 0.65,
    "role-who-became": 0.8,
    "role-whose": 0.85,
    "role-boss-possessive": 0.75,
    "role-of-the-boss": 0.75,
    "role-apposition-and-possessive": 0.8,
    "role-possessed": 0.65,
    "role-prenominal": 0.9,
    "role-of-org": 0.9,
    "role-apposition": 0.85,
    "role-as": 0.8,
    "role-signature": 0.8,
    "role-shared-body": 0.7,
    "role-minister": 0.7,
    "role-implied": 0.6,
    "role-its": 0.75,
}


@dataclass
class FoundRole:
    person: str  # entity key
    role: str
    organization: str  # entity key
    former: bool
    rule: str
    sentence: Sentence
    confidence: float | None = None  # None: the rule's in CONFIDENCE


def _split_roles(text: str) -> list[tuple[str, bool]]:
    """Compound titles, each with whether it has its own complement ("Assistant to the President")."""
    parts = re.split(
        r"\s*,\s*|\s+and\s+(?=(?i:(?:former\s+)?(?:" + _MOD + r"\s+)*(?:" + _HEAD + r")))|\s*[–/]\s*",
        text,
    )
    return [(p, bool(re.search(r"\s(?:to|for|on)\s", p))) for p in parts if p.strip()]


def find_roles(sentences: list[Sentence]) -> Iterator[FoundRole]:
    for index, sentence in enumerate(sentences):
        found: list[FoundRole] = []
        # every pattern names a person and a body; most sentences lack one or the other
        named = "⟦P" in sentence.text and ("⟦O" in sentence.text or "⟦M" in sentence.text)
        for rule, pattern in COMPILED if named else ():
            for m in pattern.finditer(sentence.text):
                org_token = m.groupdict().get("org2") or m.group("org")
                if org_token is None:
                    continue
                org_end = m.end("org2") if m.groupdict().get("org2") else m.end("org")
                role_start = m.start("roles2") if m.groupdict().get("roles2") else m.start("roles")
                if (
                    not m.groupdict().get("boss")
                    and org_end > role_start
                    and re.match(r"\s+Secretary[- ]General", sentence.text[org_end:])
                ):
                    continue  # "Representative of the UN Secretary-General": see the boss rule
                if rule.startswith("role-of-org") and _holder_before(sentence.text, m):
                    continue
                roles = m.groupdict().get("roles2") or m.group("roles")
                roles = "Head" if roles in ("headed", "led") else roles
                if m.groupdict().get("mod"):
                    roles = f"{m.group('mod')} {roles}"
                if m.groupdict().get("boss"):
                    roles = f"{roles} of the {m.group('boss')}"
                if rule == "role-of-org-and-prenominal":  # one title for each body
                    found += _posts(sentence, rule, m.group("person"), m.group("roles"), m.group("org"))
                    found += _posts(sentence, rule, m.group("person"), roles, m.group("org2"))
                    continue
                if m.groupdict().get("org") and m.groupdict().get("org2"):
                    found += _two_bodies(sentence, rule, m, roles)
                    continue
                roles = _without_national_post(sentence.text, m, roles)
                if roles:
                    found += _posts(sentence, rule, m.group("person"), roles, org_token)
                if m.groupdict().get("roles2"):  # the first title, if the UN's (see posts_of)
                    first = _posts(sentence, rule, m.group("person"), m.group("roles"), org_token)
                    found += [f for f in first if f.organization == UN]
        found += _shared_bodies(sentence, found)
        yield from found
        signature = SIGNATURE.match(sentence.text)
        following = next((s for s in sentences[index + 1 : index + 3] if s.text.strip()), None)
        if signature and following is not None:
            person = ONLY_PERSON.match(following.text)
            if person:
                yield from _posts(
                    sentence,
                    "role-signature",
                    None,
                    signature.group("roles"),
                    signature.group("org"),
                    following.slot(person.group("person")),
                )


COUNTRY_AFTER = re.compile(r"\s+of\s+(?:the\s+)?⟦L\d+⟧")


def _without_national_post(text: str, m: re.Match, roles: str) -> str:
    """ "then OSCE Chairman-in-Office and Foreign Minister of North Macedonia": the last title,
    a country's, is not the body's."""
    if m.groupdict().get("roles2") or not COUNTRY_AFTER.match(text, m.end("roles")):
        return roles
    before, last = _before_last(roles)
    return before if NATIONAL_POST.search(last) else roles


NAME_COMMA_BEFORE = re.compile(r"⟦P\d+⟧\s*,\s*(?:the\s+)?$")


def _holder_before(text: str, m: re.Match) -> bool:
    """In a list "A, Chairman of X, B, Speaker of Y", a title between commas is the name's
    before it, not the name's after it."""
    between = text[m.end("org") : m.start("person")]
    return "," in between and NAME_COMMA_BEFORE.search(text[: m.start()]) is not None


def _before_last(roles: str) -> tuple[str, str]:
    """A stack of titles as (all but the last, the last): "Special Representative for Mali
    and head" gives ("Special Representative for Mali", "head")."""
    last = _split_roles(roles)[-1][0]
    return re.sub(r"(?:\s+and|\s*[,–/])\s*$", "", roles[: roles.rindex(last)]), last


def _two_bodies(sentence: Sentence, rule: str, m: re.Match, roles: str) -> list[FoundRole]:
    """ "X, CSTO Secretary General and Chairman of the Committee of Secretaries": the last
    title is the body after it's, those before are the body before them's."""
    parts = _split_roles(roles)
    person = m.group("person")
    if len(parts) < 2:
        return list(_posts(sentence, rule, person, roles, m.group("org2")))
    before, last = _before_last(roles)
    return [
        *_posts(sentence, rule, person, before, m.group("org")),
        *_posts(sentence, rule, person, last, m.group("org2")),
    ]


def _shared_bodies(sentence: Sentence, found: list[FoundRole]) -> list[FoundRole]:
    """A bare title in a list of officials of one body: "X, First Deputy Chairman of the
    CIS Executive Committee, and Deputy Chairman Y" makes Y a Deputy Chairman there too."""
    out = []
    holders = {f.person for f in found}
    for m in BARE_TITLE.finditer(sentence.text):
        person = sentence.slot(m.group("person"))
        if person.key in holders or NATIONAL_BEFORE.search(sentence.text[: m.start("roles")]):
            continue  # "and Ukrainian President X": a country's post, not the body's
        title = role_label(sentence.plain(m.group("roles")))
        head = title.split()[-1]
        same = {f.organization for f in found if f.role.split()[-1] == head}
        if len(same) == 1:
            out.append(
                FoundRole(
                    person.key,
                    title,
                    same.pop(),
                    False,
                    "role-shared-body",
                    sentence,
                )
            )
    return out


NATIONAL_BEFORE = re.compile(r"(?:\b[A-Z][\w’'-]*|⟦L\d+⟧(?:['’]s)?)\s+$")
TRAILING_RANK = re.compile(rf"\s+{_RANK_GRADE}\s+(?:General|Admiral|Colonel)$")


def _posts(
    sentence: Sentence,
    rule: str,
    person_token: str | None,
    roles: str,
    org_token: str,
    person_mention=None,
) -> Iterator[FoundRole]:
    person = person_mention or sentence.slot(person_token)
    yield from posts_of(person.key, roles, sentence.slot(org_token).key, rule, sentence)


def posts_of(
    person: str,
    roles: str,
    body: str,
    rule: str,
    sentence: Sentence,
    confidence=None,
    own_body: str | None = None,
) -> Iterator[FoundRole]:
    """The posts a title (slotted text) names, in ``body``; but "Special Representative of
    the Secretary-General and Head of X": the first is the UN's. A first title with its own
    complement ("Special Representative for Sudan and Head of X") is in ``own_body`` if
    given, else left out."""
    for label, former, own in post_labels(sentence.plain(roles), keep_own=own_body is not None):
        label = UN_BOSS.sub("of the Secretary General", label)
        owner = UN if OF_THE_BOSS.search(label) else (own_body if own else body)
        yield FoundRole(person, label, owner, former, rule, sentence, confidence)


UN = "gaz:un"
# a post told by a verb whose body the clause does not name; "?" + a person's key: the body
# of the person who named them
UNNAMED = "?"
OF_THE_BOSS = re.compile(r"\bof the Secretary General\b")
# "Special Representative of the UN Secretary-General for Yemen": the UN's, named once
UN_BOSS = re.compile(r"\bof the (?:UN|U\.N\.|United Nations) Secretary[- ]General\b")
# "El-Ghassim Wane, the Secretary-General's Special Representative for Mali"
BOSS_POSSESSIVE = re.compile(
    rf"{PERSON}\s*,\s*(?:the\s+)?(?:⟦O\d+⟧\s+)?Secretary[- ]General['’]s\s+{ROLES_ANY}"
    rf"(?:{OF_BODY}(?P<org>{ORG}))?"
)
# "Staffan de Mistura, Personal Envoy of the Secretary-General for Western Sahara, ...", and
# "the Special Representative of the Secretary-General for South Sudan, Nicholas Haysom"
BOSS_TITLE = re.compile(rf"{PERSON}\s*,\s*(?:the\s+)?{QUALIFIER}{ROLES_ANY}")
BOSS_TITLE_BEFORE = re.compile(rf"(?<![⟧\w])\s*(?:[Tt]he\s+)?{ROLES}\s*,\s*{RANK}{PERSON}")


# "He will hold talks with his Special Representative, Mikko Kinnunen"
POSSESSED = re.compile(rf"\b(?:[Hh]is|[Hh]er)\s+(?:new\s+)?{ROLES_ANY}\s*,\s*{RANK}{PERSON}")


def find_possessed(sentences: list[Sentence], found: list[FoundRole]) -> Iterator[FoundRole]:
    """ "his Special Representative, X": a post in the one body where the person the sentence
    or else the story is about holds a post of their own."""
    main = named_most(sentences)
    for sentence in sentences:
        for m in POSSESSED.finditer(sentence.text):
            person = sentence.slot(m.group("person")).key
            owner = sentence.subject.key if sentence.subject is not None else main
            bodies = {f.organization for f in found if f.person == owner and not f.former}
            if owner == person or len(bodies) != 1:
                continue
            yield from posts_of(person, m.group("roles"), bodies.pop(), "role-possessed", sentence)


def find_bosses(sentences: list[Sentence]) -> Iterator[FoundRole]:
    """Posts under "the Secretary-General" of an article about the UN: the UN's."""
    for sentence in sentences:
        for m in BOSS_POSSESSIVE.finditer(sentence.text):
            person = sentence.slot(m.group("person")).key
            roles, body = m.group("roles"), m.group("org")
            if body is not None and len(_split_roles(roles)) > 1:
                # "... Special Representative for Mali and head of MINUSMA": the last is MINUSMA's
                roles, last = _before_last(roles)
                yield from _posts(sentence, "role-boss-possessive", m.group("person"), last, body)
            yield from posts_of(person, roles, UN, "role-boss-possessive", sentence)
        for m in [*BOSS_TITLE.finditer(sentence.text), *BOSS_TITLE_BEFORE.finditer(sentence.text)]:
            person = sentence.slot(m.group("person")).key
            for found in posts_of(person, m.group("roles"), UN, "role-of-the-boss", sentence):
                if OF_THE_BOSS.search(found.role):
                    yield found


def post_labels(roles: str, keep_own: bool = False) -> list[tuple[str, bool, bool]]:
    """(label, former, own) of each post a title names: "Head of Mission and Force
    Commander" is two posts; in "Assistant to the President and Secretary of X" only the
    last is X's, and the first (``own``: it has its own complement) is kept if asked."""
    parts = _split_roles(roles)
    out = []
    for i, (part, own_complement) in enumerate(parts):
        own = own_complement and i < len(parts) - 1
        if own and not keep_own:
            continue  # "Assistant to the President and Secretary of X": X is not the President's
        former = bool(re.match(r"(?:former|ex-)\b", part, re.IGNORECASE))
        part = TRAILING_RANK.sub("", part)  # "Force Commander Major General": the rank is no post
        out.append((role_label(re.sub(r"\b(?:of|for|on)\s*$", "", part)), former, own))
    return out


# "Russian Deputy Foreign Minister X", "X, Tajikistan's Minister of Foreign Affairs": a post in
# the country's ministry when the article names that ministry.
_DOMAINS = {
    "foreign": "foreign",
    "defence": "defence",
    "defense": "defence",
    "interior": "interior",
    "internal": "interior",
    "justice": "justice",
    "finance": "finance",
    "economy": "economy",
    "emergency": "emergency",
}
_DOMAIN = r"(?:Foreign|Defen[cs]e|Interior|Internal|Justice|Finance|Economy|Emergency)"
MINISTER = (
    r"(?P<country>(?:⟦L\d+⟧(?:['’]s)?\s+|[A-Z][\w'’-]+\s+){0,2}?)"
    rf"(?P<roles>(?:(?:First\s+)?Deputy\s+)?(?:{_DOMAIN}\s+Minister|Minister\s+of\s+(?:the\s+)?"
    rf"{_DOMAIN}(?:\s+Affairs)?(?:\s+Situations)?))"
)
MINISTER_BEFORE = re.compile(rf"{MINISTER}\s*,?\s+{RANK}{PERSON}")
MINISTER_AFTER = re.compile(rf"{PERSON}\s*,\s*(?:the\s+)?{MINISTER}")


def _domain(text: str) -> str | None:
    word = re.search(_DOMAIN, text)
    return _DOMAINS.get(word.group(0).lower()) if word else None


def find_ministers(sentences: list[Sentence], entities, gazetteer) -> Iterator[FoundRole]:
    """Ministers whose ministry the article names: the domain and the country must agree."""
    ministries = {}
    for key, entity in entities.items():
        names = " ".join(entity.forms())
        if entity.kind == "organization" and re.search(r"\bMinistry\b|\bMFA\b", names):
            ministries[key] = (
                _domain(names) or ("foreign" if "MFA" in names else None),
                gazetteer.country_named_in(names),
            )
    if not ministries:
        return
    for sentence in sentences:
        for pattern in (MINISTER_BEFORE, MINISTER_AFTER):
            for m in pattern.finditer(sentence.text):
                domain = _domain(m.group("roles"))
                named = m.group("country") or ""
                words = " ".join([named, *(x.text for x in sentence.mentions_in(named))])
                country = gazetteer.country_named_in(words)
                # "Finland ..., and its Foreign Minister": not the Greek ministry
                others = {
                    gazetteer.country_named_in(x.text)
                    for x in sentence.slots
                    if x.kind == "place" and x.subtype == "country"
                } - {None}
                fitting = [
                    k
                    for k, (d, c) in ministries.items()
                    if d == domain
                    # a ministry of no named country is only that of ministers of none
                    and (c == country or country is None and (c is None or not others - {c}))
                ]
                if len(fitting) == 1:
                    person = sentence.slot(m.group("person"))
                    yield FoundRole(
                        person.key,
                        role_label(m.group("roles")),
                        fitting[0],
                        False,
                        "role-minister",
                        sentence,
                    )


# "the head of the CIS Executive Committee", "the Secretary General", "the CSTO Press
# Secretary" without a name: the one person the article gives that post
LEADERS = set(lexicon.words("names.tsv", "leader"))
TITLE_REFERENCE = re.compile(
    rf"\b[Tt]he\s+(?:(?:new|current|incoming)\s+)?(?:(?P<org>{ORG})\s+)?(?P<roles>{ROLE}(?:\s+and\s+{ROLE})*|[Hh]ead|[Ll]eader|[Cc]hief)"
    rf"(?:{OF}(?P<org2>{ORG}))?(?![\w-])(?!\s*,?\s*(?:{RANK})?⟦P)(?!{OF})"
)


def title_references(sentences: list[Sentence], posts: list[FoundRole]):
    """(sentence, start, end, person key) for each post named in place of its holder.

    With a body ("the head of the X", "the X Secretary General") the post must be held
    in that body; a bare title ("the Secretary General") needs two words or more, so
    "the President" stays no one: presidents of countries hold no post here.
    """
    current = [p for p in posts if p.person and not p.former]
    for sentence in sentences:
        for m in TITLE_REFERENCE.finditer(sentence.text):
            token = m.group("org") or m.group("org2")
            label = role_label(_split_roles(sentence.plain(m.group("roles")))[0][0])
            if token is None:
                if len(label.split()) < 2:
                    continue
                holders = {p.person for p in current if p.role == label}
            else:
                body = sentence.slot(token).key
                leader = label in ("Head", "Leader", "Chief")
                holders = {
                    p.person
                    for p in current
                    if p.organization == body and (p.role == label or leader and p.role in LEADERS)
                }
            if len(holders) == 1:
                start = m.start("org") if m.group("org") else m.start("roles")
                yield sentence, start, m.end(), holders.pop()


# Posts of an international secretariat: a bare "Secretary-General Vladimir Norov" on an SCO
# page is the SCO's; an Under-Secretary-General is the United Nations'.
SECRETARIAT_POSTS = set(lexicon.words("names.tsv", "secretariat-post"))
UN_POSTS = tuple(lexicon.words("names.tsv", "un-post"))


def find_implied(sentences: list[Sentence], found: list[FoundRole], entities) -> Iterator[FoundRole]:
    """Bare titles ("Deputy Secretary General Valery Semerikov", "Rosemary DiCarlo,
    Under-Secretary-General for Political Affairs") whose organization the article implies:
    the one body the same person holds another post in, else for a secretariat's posts the
    international organization the article names most, and the UN for its own posts."""
    held = {(f.person, f.role) for f in found}
    bodies_of: dict[str, set[str]] = {}
    for f in found:
        body = entities.get(f.organization)
        bodies_of.setdefault(f.person, set()).add(body.parent if body and body.parent else f.organization)
    main = _main_organization(entities)
    for sentence in sentences:
        for pattern in (BARE_TITLE, BARE_APPOSITION):
            for m in pattern.finditer(sentence.text):
                if sentence.text[: m.start("roles")].rstrip().endswith(("⟧", "⟧'s", "⟧’s")):
                    continue  # "CSTO Secretary General X": the organization is named
                person = sentence.slot(m.group("person")).key
                for part, _ in _split_roles(sentence.plain(m.group("roles"))):
                    label = role_label(part)
                    if any(p == person and r.endswith(label) for p, r in held) or re.match(
                        r"(?:former|ex-)\b", part, re.I
                    ):
                        continue
                    organization = _implied_body(label, bodies_of.get(person, set()), main, entities)
                    if organization:
                        held.add((person, label))
                        yield FoundRole(person, label, organization, False, "role-implied", sentence)


# national posts, never an international body's by implication
NATIONAL_POST = re.compile(r"\b(?:Minister|Ambassador|President|Speaker|Governor|Mayor|King|Emir)\b")


def unnamed_bodies(found: list[FoundRole], entities) -> list[FoundRole]:
    """Posts a verb gives without naming the body ("becomes High Commissioner on National
    Minorities", "succeeds Y as Representative on Freedom of the Media"): the one body the
    person holds another post in, else the one body where the article has that post, else
    the international organization the article names most; a national post ("becomes
    Prime Minister") is dropped."""
    main = _main_organization(entities)
    named = [f for f in found if not f.organization.startswith(UNNAMED)]
    out = list(named)
    guessed = []  # bodies only the main organization gives
    for f in found:
        if not f.organization.startswith(UNNAMED) or NATIONAL_POST.search(f.role):
            continue
        body = _body_implied(f, named)
        if body is None:
            body = main
            if body is not None:
                guessed.append(replace(f, organization=body))
            continue
        if not any(g.person == f.person and g.role == f.role and g.organization == body
                   for g in out):
            out.append(_less_sure(f, body))
    told = {(f.person, f.role) for f in out}
    return out + [_less_sure(f, f.organization) for f in guessed if (f.person, f.role) not in told]


def _body_implied(post: FoundRole, named: list[FoundRole]) -> str | None:
    """The body of the one who named them ("Guterres appointed X as his Special Envoy"),
    else the one body they hold another post in, else the one where the article has that
    post ("X was first elected Chairman")."""
    namer = post.organization[len(UNNAMED) :]
    namers = {g.organization for g in named if g.person == namer and not g.former}
    own = {g.organization for g in named if g.person == post.person}
    titled = {g.organization for g in named if g.role == post.role}
    bodies = namers if len(namers) == 1 else own or titled
    return next(iter(bodies)) if len(bodies) == 1 else None


def _less_sure(post: FoundRole, body: str) -> FoundRole:
    confidence = (post.confidence or CONFIDENCE.get(post.rule, 0.7)) * 0.8
    return replace(post, organization=body, confidence=round(confidence, 2))


# "Rosemary DiCarlo, Under-Secretary-General for Political and Peacebuilding Affairs,"
BARE_APPOSITION = re.compile(rf"{PERSON}\s*,\s*(?:the\s+)?{ROLES}(?=\s*(?:,|\.|;|$|\bwith\b|\band\b))")


def _implied_body(label: str, own: set[str], main: str | None, entities) -> str | None:
    if label.startswith(UN_POSTS):
        return UN if UN in entities else None
    if label not in SECRETARIAT_POSTS:
        return None
    return next(iter(own)) if len(own) == 1 else main


def _main_organization(entities) -> str | None:
    """The top-level international organization named most often, if one stands out."""
    counts = sorted(
        ((len(e.mentions), k) for k, e in entities.items()
         if e.kind == "organization" and k.startswith("gaz:") and not e.parent),
        reverse=True,
    )
    if not counts or len(counts) > 1 and counts[0][0] == counts[1][0]:
        return None
    return counts[0][1]
