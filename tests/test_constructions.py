"""The constructions kept as data (kg/extract/data/posts.jsonl, modality.tsv), one case each.

Cases are data: a sentence written for the test, what it must give and what it must not.
Every case that forbids something also expects something, so an extractor that returns
nothing fails. The people are fictional; the bodies are real ones the gazetteer knows.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from kg.extract import Extractor, lexicon
from kg.extract.gazetteer import Entry as GazetteerEntry
from kg.extract.gazetteer import Gazetteer
from kg.extract.gazetteer import load as load_gazetteer
from kg.facts import Document, Extraction

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"
SCO = "Shanghai Cooperation Organisation"
OSCE = "Organization for Security and Co-operation in Europe"
UNAMA = "United Nations Assistance Mission in Afghanistan"

# (pattern id, text, posts it gives, posts it must not give); a post is (person, role, body)
# and a former post is marked with a trailing "former"
POST_CASES = [
    ("post-appointed", "Tomas Berg was appointed Deputy Secretary General of the CSTO on Monday.",
     {("Tomas Berg", "Deputy Secretary General", CSTO)}, set()),
    ("post-appointed-as", "Ana Kovac has been confirmed as Special Representative of the OSCE.",
     {("Ana Kovac", "Special Representative", OSCE)}, set()),
    ("post-appoints-name-title",
     "Last year the leaders appointed Aliya Dosova Secretary General of the SCO.",
     {("Aliya Dosova", "Secretary General", SCO)}, set()),
    ("post-appoints-apposition",
     "In May the CSTO Parliamentary Assembly elected Petra Novak its Chairperson.",
     {("Petra Novak", "Chairperson", "CSTO Parliamentary Assembly")}, set()),
    ("post-appoints-two-complements",
     "The CSTO Parliamentary Assembly named Petra Novak its new Chairperson.",
     {("Petra Novak", "Chairperson", "CSTO Parliamentary Assembly")}, set()),
    ("post-appoints-as-attached", "The CSTO appointed Maria Lindqvist as Press Secretary.",
     {("Maria Lindqvist", "Press Secretary", CSTO)}, set()),
    ("post-appoints-as", "The OSCE appointed Maria Lindqvist on Monday as Special Envoy.",
     {("Maria Lindqvist", "Special Envoy", OSCE)}, set()),
    ("post-became", "Aziz Karimov became Deputy Secretary-General of the SCO in January.",
     {("Aziz Karimov", "Deputy Secretary General", SCO)}, set()),
    ("post-serves-as", "Lena Holm has served as Special Envoy of the OSCE since 2021.",
     {("Lena Holm", "Special Envoy", OSCE)}, set()),
    ("post-serves-as", "For the United Nations, Lena Holm served as Special Representative of "
     "the Secretary-General and Head of UNAMA.",
     {("Lena Holm", "Head", UNAMA, "former"),
      ("Lena Holm", "Special Representative of the Secretary General", "United Nations",
       "former")},
     {("Lena Holm", "Special Representative of the Secretary General", UNAMA)}),
    ("post-took-over-as", "Colin Ward took over as head of UNAMA in June.",
     {("Colin Ward", "Head", UNAMA)}, set()),
    ("post-who-was-appointed",
     "Ivan Petrov, who was named Chief of Staff of the CSTO in May, arrived in Minsk.",
     {("Ivan Petrov", "Chief of Staff", CSTO)}, set()),
    ("post-who-serves-as", "Omar Diallo, who serves as Deputy Head of UNAMA, met the press.",
     {("Omar Diallo", "Deputy Head", UNAMA)}, set()),
    ("post-who-was-appointed-as",
     "Ana Kovac, who was confirmed as Special Representative of the OSCE last year, spoke.",
     {("Ana Kovac", "Special Representative", OSCE)}, set()),
    ("post-who-became",
     "Aziz Karimov, who became Deputy Secretary-General of the SCO in January, spoke first.",
     {("Aziz Karimov", "Deputy Secretary General", SCO)}, set()),
    ("succession-who",
     "CSTO Secretary General Karl Brandt, who succeeds Ilya Moroz, arrived on Monday.",
     {("Karl Brandt", "Secretary General", CSTO),
      ("Ilya Moroz", "Secretary General", CSTO, "former")}, set()),
    ("post-is", "Since 2021 Lena Holm has been Deputy Head of UNAMA.",
     {("Lena Holm", "Deputy Head", UNAMA)}, set()),
    ("post-took-office-as",
     "On 1 January Karl Brandt took office as Secretary General of the CSTO, replacing Ilya Moroz.",
     {("Karl Brandt", "Secretary General", CSTO),
      ("Ilya Moroz", "Secretary General", CSTO, "former")},
     {("Karl Brandt", "Secretary General on January", CSTO)}),
    ("succession-as", "Ruslan Akhmetov will replace Pavel Orlov as Executive Secretary of the SCO.",
     {("Ruslan Akhmetov", "Executive Secretary", SCO)},
     {("Ruslan Akhmetov", "Executive Secretary", SCO, "former")}),
    ("succession-participle",
     "Rosa Ortega was appointed head of UNAMA, succeeding Deborah Lyle.",
     {("Rosa Ortega", "Head", UNAMA), ("Deborah Lyle", "Head", UNAMA, "former")}, set()),
    ("succession-took-over-from",
     "UNAMA head Rosa Ortega took over from Deborah Lyle last week.",
     {("Rosa Ortega", "Head", UNAMA), ("Deborah Lyle", "Head", UNAMA, "former")}, set()),
    ("succession", "CSTO Secretary General Karl Brandt succeeds Ilya Moroz, who retired.",
     {("Karl Brandt", "Secretary General", CSTO),
      ("Ilya Moroz", "Secretary General", CSTO, "former")}, set()),
    ("succession-passive", "CSTO Secretary General Ilya Moroz was replaced by Karl Brandt.",
     {("Ilya Moroz", "Secretary General", CSTO, "former"),
      ("Karl Brandt", "Secretary General", CSTO)},
     {("Ilya Moroz", "Secretary General", CSTO)}),
    ("post-to-become", "Karl Brandt left the OSCE in May to become Secretary General of the CSTO.",
     {("Karl Brandt", "Secretary General", CSTO)}, set()),
    ("post-to-become", "Ilya Moroz, who had left parliament to become Chairman of the CSTO "
     "Parliamentary Assembly, spoke first.",
     {("Ilya Moroz", "Chairman", "CSTO Parliamentary Assembly")}, set()),
    ("post-leads", "Omar Diallo, who heads UNAMA, met the press.",
     {("Omar Diallo", "Head", UNAMA)}, set()),
    ("post-leads", "CSTO Secretary General Ilya Moroz, who has headed the CSTO since 2020, spoke.",
     {("Ilya Moroz", "Secretary General", CSTO)}, {("Ilya Moroz", "Head", CSTO)}),
    ("post-is", "Before her appointment, Lena Holm was Deputy Head of UNAMA.",
     {("Lena Holm", "Deputy Head", UNAMA, "former")}, {("Lena Holm", "Deputy Head", UNAMA)}),
    ("succession-after-taking-over",
     "Rosa Ortega was appointed head of UNAMA. She succeeds Deborah Lyle, who led the mission "
     "from 2019 after taking over from Ilya Moroz.",
     {("Rosa Ortega", "Head", UNAMA), ("Deborah Lyle", "Head", UNAMA, "former"),
      ("Ilya Moroz", "Head", UNAMA, "former")}, set()),
    ("post-became", "The OSCE Ministerial Council met in Vienna. Karl Brandt of Austria becomes "
     "High Commissioner on National Minorities.",
     {("Karl Brandt", "High Commissioner on National Minorities", OSCE)}, set()),
    ("succession-as", "The OSCE met in Vienna. Karl Brandt, currently Head of the OSCE Mission to "
     "Serbia, succeeds Anna Weiss as Representative on Freedom of the Media.",
     {("Anna Weiss", "Representative on Freedom of the Media", OSCE, "former"),
      ("Karl Brandt", "Representative on Freedom of the Media", OSCE)},
     {("Anna Weiss", "Head", "OSCE Mission to Serbia", "former")}),
    ("post-became", "The OSCE Ministerial Council met in Vienna. Karl Brandt becomes Special "
     "Envoy for the Region.",
     {("Karl Brandt", "Special Envoy for the Region", OSCE)}, set()),
    ("post-serves-as", "Karl Brandt served as Chief of Staff of UNAMA. Later he served as "
     "Austria's special envoy for Asia.", {("Karl Brandt", "Chief of Staff", UNAMA, "former")},
     {("Karl Brandt", "Special Envoy for Asia", UNAMA)}),
    ("succession-taking-over-participle", "UNAMA Force Commander Karl Brandt took up his duties "
     "on Monday, taking over from General Ilya Moroz.",
     {("Karl Brandt", "Force Commander", UNAMA),
      ("Ilya Moroz", "Force Commander", UNAMA, "former")}, set()),
    ("post-is", "Karl Brandt knows the mission: he was UNAMA Sector North Commander in 2019.",
     {("Karl Brandt", "Sector North Commander", UNAMA, "former")}, set()),
    ("post-is", "Most recently Karl Brandt was Chair of the Joint Technical Committee for Lebanon "
     "(JTCL).", {("Karl Brandt", "Chair", "Joint Technical Committee for Lebanon", "former")},
     set()),
    ("succession-took-over-from", "The SCO met in Tianjin. Secretary-General Karl Brandt, who "
     "took over from Ilya Moroz on 1 January, spoke first.",
     {("Karl Brandt", "Secretary General", SCO),
      ("Ilya Moroz", "Secretary General", SCO, "former")}, set()),
    ("post-chairs", "Anna Weiss, who chairs the CSTO Parliamentary Assembly this year, sent "
     "greetings.", {("Anna Weiss", "Chair", "CSTO Parliamentary Assembly")}, set()),
    ("post-chairs", "Anna Weiss, who chaired the session on Monday, sent greetings to the CSTO.",
     set(), {("Anna Weiss", "Chair", CSTO)}),
    ("succession", "CSTO Secretary General Karl Brandt announced the appointment of Anna Weiss "
     "as Head of UNAMA. She succeeds Ilya Moroz. Ms. Weiss arrives in Kabul next week.",
     {("Anna Weiss", "Head", UNAMA), ("Ilya Moroz", "Head", UNAMA, "former")},
     {("Ilya Moroz", "Secretary General", CSTO, "former")}),
    ("post-appointment-of", "The CSTO announced the appointment of Anna Weiss as Press "
     "Secretary.", {("Anna Weiss", "Press Secretary", CSTO)}, set()),
    ("succession-passive-as", "Ilya Moroz was replaced by Karl Brandt as CSTO Secretary General.",
     {("Karl Brandt", "Secretary General", CSTO), ("Ilya Moroz", "Secretary General", CSTO,
                                                   "former")}, set()),
    ("post-before-becoming", "From 1998 Anna Weiss was a diplomat before becoming the UN "
     "Secretary-General's Special Representative for Georgia in 2002.",
     {("Anna Weiss", "Special Representative for Georgia", "United Nations")}, set()),
    ("post-before-becoming", "Karl Brandt was a judge before becoming Secretary General of the "
     "CSTO.", {("Karl Brandt", "Secretary General", CSTO)}, set()),
    ("post-took-the-post-of", "Tomas Berg assumed the post of Secretary General of the CSTO on "
     "1 January.", {("Tomas Berg", "Secretary General", CSTO)}, set()),
    ("post-took-the-post-of", "In May Anna Weiss took up the duties of Deputy Head of UNAMA.",
     {("Anna Weiss", "Deputy Head", UNAMA)}, set()),
    ("post-is", "Omar Diallo was re-elected Secretary General of the CSTO for a second term.",
     {("Omar Diallo", "Secretary General", CSTO)},
     {("Omar Diallo", "Secretary General", CSTO, "former")}),
    ("succession", "The OSCE Ministerial Council met in Vienna. The OSCE Permanent Council "
     "elected Karl Brandt as Secretary General of the 57-member organization. He will "
     "succeed Ilya Moroz in September.",
     {("Karl Brandt", "Secretary General", OSCE), ("Ilya Moroz", "Secretary General", OSCE,
                                                   "former")},
     {("Karl Brandt", "Secretary General", "OSCE Permanent Council")}),
    ("post-left-as", "Talks stalled after Ilya Moroz stepped down as Special Envoy of the OSCE.",
     {("Ilya Moroz", "Special Envoy", OSCE, "former")}, {("Ilya Moroz", "Special Envoy", OSCE)}),
    ("post-left-as", "Anna Weiss will resign as Deputy Secretary General of the CSTO in May.",
     {("Anna Weiss", "Deputy Secretary General", CSTO)},
     {("Anna Weiss", "Deputy Secretary General", CSTO, "former")}),
    ("succession-taking-over-agent", "UNAMA is now led by Karl Brandt, who was appointed its "
     "Deputy Head on 2 May, taking over from Lena Holm.",
     {("Karl Brandt", "Deputy Head", UNAMA), ("Lena Holm", "Deputy Head", UNAMA, "former")},
     {("Lena Holm", "Head", UNAMA, "former")}),
    ("succession-taking-over-participle", "Karl Brandt became Chairman of the CSTO Parliamentary "
     "Assembly, taking over from Armenia's speaker, Ilya Moroz.",
     {("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly"),
      ("Ilya Moroz", "Chairman", "CSTO Parliamentary Assembly", "former")}, set()),
    ("post-appoints-as", "The CSTO appointed Anna Weiss as Special Envoy for Central Asia and "
     "Head of UNAMA.",
     {("Anna Weiss", "Special Envoy for Central Asia", CSTO), ("Anna Weiss", "Head", UNAMA)},
     {("Anna Weiss", "Special Envoy for Central Asia", UNAMA)}),
]


# titles around names (kg/extract/roles.py): (pattern, text, posts it gives)
TITLE_CASES = [
    ("role-apposition", "The summit was opened by Karl Brandt, this year's CSTO Chairman, on "
     "Monday.", {("Karl Brandt", "Chairman", CSTO)}),
    ("role-apposition-and-prenominal", "The debate was moderated by Anna Weiss, Foreign Minister "
     "of Malta and then OSCE Chairperson-in-Office.",
     {("Anna Weiss", "Chairperson in Office", OSCE)}),
    ("role-apposition-and-title", "Karl Brandt, Crown Prince of Qatar and Chairman of the CSTO "
     "Parliamentary Assembly, spoke first.",
     {("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly")}),
    ("role-apposition-and-title", "Anna Weiss, Austria's ambassador to the UN and President of "
     "the Security Council for April, opened the debate.",
     {("Anna Weiss", "President", "United Nations Security Council")}),
    ("role-among-members", "Members of the CSTO Parliamentary Assembly attended, among them "
     "Deputy Chairman Karl Brandt.",
     {("Karl Brandt", "Deputy Chairman", "CSTO Parliamentary Assembly")}),
    ("role-apposition", "Karl Brandt, Director of the Executive Committee of the Regional "
     "Anti-Terrorist Structure of the SCO, spoke first.",
     {("Karl Brandt", "Director", "Executive Committee of the SCO Regional Anti-Terrorist "
       "Structure")}),
    ("role-whose", "The CSTO Parliamentary Assembly, whose chairman, Karl Brandt, spoke first, met "
     "in Minsk.", {("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly")}),
    ("role-of-org", "The Chairperson-in-Office of the OSCE, Malta's Foreign Minister Karl Brandt, "
     "arrived.", {("Karl Brandt", "Chairperson in Office", OSCE)}),
    ("role-apposition", "Karl Brandt, Austria's ambassador to the OSCE, spoke first.",
     {("Karl Brandt", "Ambassador", OSCE)}),
    ("role-apposition", "Anna Weiss of Austria, the new head of UNAMA, arrived in Kabul.",
     {("Anna Weiss", "Head", UNAMA)}),
    ("role-of-org-lowercase", "Austria's ambassador to the OSCE, Karl Brandt, spoke first.",
     {("Karl Brandt", "Ambassador", OSCE)}),
    ("role-apposition", "The United Nations named Karl Brandt, Special Representative "
     "of the Secretary-General in Afghanistan and head of UNAMA.",
     {("Karl Brandt", "Head", UNAMA), ("Karl Brandt", "Special Representative of the Secretary "
                                       "General in Afghanistan", "United Nations")}),
    ("role-apposition-and-second", "The United Nations named Karl Brandt, Special Representative "
     "of the Secretary-General since 2020 and head of UNAMA.",
     {("Karl Brandt", "Head", UNAMA), ("Karl Brandt", "Special Representative of the Secretary "
                                       "General", "United Nations")}),
    ("role-apposition", "The United Nations named Karl Brandt, Special Representative of the "
     "Secretary-General and Head of UNAMA.",
     {("Karl Brandt", "Head", UNAMA),
      ("Karl Brandt", "Special Representative of the Secretary General", "United Nations")}),
    ("post-appoints-as", "The CSTO summit appointed Karl Brandt as the first Secretary General "
     "of the Organization.", {("Karl Brandt", "Secretary General", CSTO)}),
    ("role-prenominal", "CSTO Deputy Secretary General / Chief of Staff Karl Brandt met the "
     "press.", {("Karl Brandt", "Deputy Secretary General", CSTO),
                ("Karl Brandt", "Chief of Staff", CSTO)}),
    ("role-apposition", "Karl Brandt, CSTO Secretary General and Chairman of the CSTO "
     "Parliamentary Assembly, arrived.",
     {("Karl Brandt", "Secretary General", CSTO),
      ("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly")}),
    ("role-possessed", "The OSCE Chairman-in-Office Karl Brandt arrived in Kyiv. He will hold "
     "talks with his Special Representative, Anna Weiss.",
     {("Anna Weiss", "Special Representative", OSCE)}),
    ("role-apposition", "Anna Weiss met Karl Brandt, then OSCE Chairman-in-Office and Foreign "
     "Minister of Austria, in 2023.",
     {("Karl Brandt", "Chairman in Office", OSCE)}),
    ("role-apposition", "Karl Brandt, currently Head of the OSCE Mission to Serbia, spoke.",
     {("Karl Brandt", "Head", "OSCE Mission to Serbia")}),
    ("role-as-prenominal", "Karl Brandt, Malta's foreign minister, spoke in his role as OSCE "
     "Chair-in-Office.", {("Karl Brandt", "Chair in Office", OSCE)}),
    ("role-as", "Anna Weiss's term as Secretary General of the OSCE ended in September.",
     {("Anna Weiss", "Secretary General", OSCE)}),
    ("post-new-or-outgoing", "Major General Karl Brandt assumed command of UNAMA on Monday, "
     "taking over from General Ilya Moroz. The outgoing Force Commander thanked the troops. The "
     "new Force Commander spoke next.",
     {("Karl Brandt", "Force Commander", UNAMA),
      ("Ilya Moroz", "Force Commander", UNAMA, "former")}),
    ("role-prenominal", "She met Anna Weiss, OSCE Special Envoy Karl Brandt and Ilya Moroz.",
     {("Karl Brandt", "Special Envoy", OSCE)}),
    ("role-of-org-words-after", "Austria's Permanent Representative to the OSCE institutions, "
     "Karl Brandt, thanked them.", {("Karl Brandt", "Permanent Representative", OSCE)}),
    ("role-of-org-and-prenominal", "Chairman of the CSTO Parliamentary Assembly – CSTO Secretary "
     "General Karl Brandt opened it.",
     {("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly"),
      ("Karl Brandt", "Secretary General", CSTO)}),
    ("role-prenominal", "The OSCE's newly appointed Secretary General, Karl Brandt, wrote.",
     {("Karl Brandt", "Secretary General", OSCE)}),
    ("role-of-the-boss", "On Tuesday, the Special Representative of the Secretary-General for "
     "Sudan, Karl Brandt, received United Nations staff.",
     {("Karl Brandt", "Special Representative of the Secretary General for Sudan",
       "United Nations")}),
    # the body of the one who named her (his own post is a title rule's)
    ("post-appointment-of", "The OSCE met in Vienna. CSTO Secretary General Karl Brandt announced "
     "the appointment of Anna Weiss as his Special Envoy for the Region. The OSCE welcomed it.",
     {("Anna Weiss", "Special Envoy for the Region", CSTO)}),
    ("role-apposition", "The meeting was opened by Karl Brandt (OSCE Secretary General). Anna "
     "Weiss – CSTO Deputy Secretary General – spoke next. Ilya Moroz, a former OSCE ambassador, "
     "attended.", {("Karl Brandt", "Secretary General", OSCE),
                   ("Anna Weiss", "Deputy Secretary General", CSTO),
                   ("Ilya Moroz", "Ambassador", OSCE, "former")}),
    ("role-who-became", "Anna Weiss, who was re-elected President of the OSCE Parliamentary "
     "Assembly in July, spoke.", {("Anna Weiss", "President", "OSCE Parliamentary Assembly")}),
    ("role-boss-possessive", "The United Nations sent Karl Brandt, the Secretary-General's "
     "Special Representative for Afghanistan and head of UNAMA, to Kabul.",
     {("Karl Brandt", "Special Representative for Afghanistan", "United Nations"),
      ("Karl Brandt", "Head", UNAMA)}),
    ("role-of-the-boss", "Karl Brandt, Personal Envoy of the Secretary-General for Cyprus, met "
     "United Nations staff.",
     {("Karl Brandt", "Personal Envoy of the Secretary General for Cyprus", "United Nations")}),
    ("role-apposition-and-possessive", "Karl Brandt, Austria's deputy foreign minister and the "
     "OSCE's special envoy on Georgia, arrived.",
     {("Karl Brandt", "Special Envoy on Georgia", OSCE)}),
    ("role-apposition", "Anna Weiss met Karl Brandt, himself Head of UNAMA until 2015.",
     {("Karl Brandt", "Head", UNAMA)}),
    ("role-apposition", "The speakers were Anna Weiss, Secretary General of the CSTO, Karl Brandt, "
     "Chairman of the CSTO Parliamentary Assembly, and Ilya Moroz.",
     {("Anna Weiss", "Secretary General", CSTO),
      ("Karl Brandt", "Chairman", "CSTO Parliamentary Assembly")}),
    ("role-boss-possessive", "The United Nations sent Karl Brandt, the Secretary-General's "
     "Special Representative for Afghanistan, to Kabul.",
     {("Karl Brandt", "Special Representative for Afghanistan", "United Nations")}),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def extract(extractor: Extractor, text: str) -> Extraction:
    document = Document(source="t", url="file:///t.txt", text=text, title=None,
                        published=date(2024, 5, 3))
    return extractor.extract(document)


def held(x: Extraction) -> set[tuple[str, ...]]:
    return {
        (x.entities[m.person].name, m.role, x.entities[m.organization].name)
        + (("former",) if m.former else ())
        for m in x.memberships
    }


# Constructions the small English model seldom parses so, on hand-built parses:
# (pattern id, words, heads, dependency labels, parts of speech, node texts it binds)
PARSE_CASES = [
    ("post-appoints",
     ["The", "Council", "named", "Novak", "Chairperson", "."],
     [1, 2, 2, 2, 2, 2], ["det", "nsubj", "ROOT", "dobj", "oprd", "punct"],
     ["DET", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT"],
     {"verb": "named", "person": "Novak", "title": "Chairperson"}),
]


def test_every_post_pattern_has_a_case() -> None:
    cases = {c[0] for c in POST_CASES} | {c[0] for c in PARSE_CASES}
    assert {e["id"] for e in lexicon.patterns("posts.jsonl")} == cases


def test_a_root_labelled_otherwise_is_still_the_root(extractor: Extractor) -> None:
    """Pipelines label the root "ROOT" or "root"; either ends the climb up the heads."""
    from spacy.tokens import Doc

    words = ["Karl", "Brandt", "met", "Anna", "Weiss", "on", "2", "May", "."]
    doc = Doc(extractor.nlp.vocab, words=words, heads=[1, 2, 2, 4, 2, 2, 7, 5, 2],
              deps=["compound", "nsubj", "root", "compound", "dobj", "prep", "nummod", "pobj",
                    "punct"], pos=["PROPN", "PROPN", "VERB", "PROPN", "PROPN", "ADP", "NUM",
                                   "PROPN", "PUNCT"])
    assert extractor.rules.modality.unreal_reason(doc[7]) is None
    from kg.extract.clauses import clause_head
    assert clause_head(doc[7]).i == 2


@pytest.mark.parametrize("case", PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_construction_on_a_hand_built_parse(case) -> None:
    import spacy
    from spacy.tokens import Doc

    from kg.extract.syntax import Constructions

    pattern, words, heads, deps, pos, nodes = case
    nlp = spacy.blank("en")
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)
    matches = Constructions(nlp.vocab, "posts.jsonl")(doc)
    bound = [{k: t.text for k, t in m.tokens.items()} for m in matches if m.id == pattern]
    assert nodes in bound, [(m.id, m.tokens) for m in matches]
    # without a parse, the plain fallback: no constructions, no error
    unparsed = nlp("The Council named Novak Chairperson.")
    assert Constructions(nlp.vocab, "posts.jsonl")(unparsed) == []


@pytest.mark.parametrize("case", POST_CASES, ids=[c[0] for c in POST_CASES])
def test_post_construction(extractor: Extractor, case, monkeypatch) -> None:
    pattern, text, given, forbidden = case
    x = extract(extractor, text)
    posts = held(x)
    assert given <= posts, (posts, given)
    assert not forbidden & posts, posts
    entry = next(e for e in lexicon.patterns("posts.jsonl") if e["id"] == pattern)
    if not any(node["RIGHT_ID"] == "title" for node in entry["pattern"]):
        # no title of its own: it hands over the post the article gives the successor, or
        # its verb names the post ("who heads UNAMA"), unless a title says otherwise
        fired = {m.id for m in extractor.rules.post_constructions(extractor.nlp(text))}
        assert pattern in fired, fired
        if not forbidden:
            assert pattern in {m.evidence.rule for m in x.memberships}, x.memberships
        return
    # the construction alone gives them, named as the pattern (the title rules off)
    monkeypatch.setattr("kg.extract.rules.find_roles", lambda sentences: iter(()))
    alone = extract(extractor, text)
    mine = {p for p, m in zip(held(alone), alone.memberships, strict=True)
            if m.evidence.rule == pattern}
    constructed = {p[:3] for p in mine}
    assert {p[:3] for p in given if p[0] in {q[0] for q in mine}} <= constructed, (mine, given)
    assert mine, [(m.evidence.rule, m.role) for m in alone.memberships]


@pytest.mark.parametrize("case", TITLE_CASES, ids=[c[0] for c in TITLE_CASES])
def test_title_construction(extractor: Extractor, case) -> None:
    pattern, text, given = case
    x = extract(extractor, text)
    assert given <= held(x), held(x)
    assert pattern in {m.evidence.rule for m in x.memberships}


def test_a_dateline_stays_with_its_sentence(extractor: Extractor) -> None:
    x = extract(extractor, "News\n\nVIENNA, 12 March 2024 – Karl Brandt met Anna Weiss in "
                           "Vienna today.\n\n04.03.2024.\nKarl Brandt met Ilya Moroz.")
    found = sorted((e.start, frozenset(x.entities[k].name for k in e.participants))
                   for e in x.events)
    assert found == [("2024-03-04", frozenset({"Karl Brandt", "Ilya Moroz"})),
                     ("2024-03-12", frozenset({"Karl Brandt", "Anna Weiss"}))]


def test_the_pattern_that_fired_is_named(extractor: Extractor) -> None:
    x = extract(extractor, "Aziz Karimov became Deputy Secretary-General of the SCO in January.")
    [membership] = x.memberships
    assert membership.evidence.rule == "post-became"
    assert membership.evidence.confidence == 0.8


def test_each_pattern_fires_on_its_own_example(extractor: Extractor) -> None:
    """The example in the pattern file is true of the shipped model's parse (patterns only
    hand-built parses show are tested above)."""
    hand_built = {c[0] for c in PARSE_CASES}
    for entry in lexicon.patterns("posts.jsonl"):
        fired = {m.id for m in extractor.rules.post_constructions(extractor.nlp(entry["example"]))}
        assert entry["id"] in fired or entry["id"] in hand_built, (entry["id"], fired)


def test_he_or_she_is_the_last_person_named_as_a_subject(extractor: Extractor) -> None:
    x = extract(extractor, "Lena Holm arrived in Kabul on Monday, the CSTO said. Since 2021 she "
                           "has been Deputy Head of UNAMA.")
    assert held(x) == {("Lena Holm", "Deputy Head", UNAMA)}


def test_a_foreign_minister_of_a_named_country_is_not_in_a_ministry_of_none(
    extractor: Extractor,
) -> None:
    x = extract(extractor, "The Ministry of Foreign Affairs said that Foreign Minister Karl "
                           "Brandt would receive Egyptian Foreign Minister Ilya Moroz.")
    assert ("Karl Brandt", "Foreign Minister", "Ministry of Foreign Affairs") in held(x)
    assert not any(p[0] == "Ilya Moroz" for p in held(x)), held(x)


def test_a_national_title_after_and_keeps_its_own_country(extractor: Extractor) -> None:
    x = extract(extractor, "CSTO Secretary General Karl Brandt and Armenian President Ivo Kalns "
                           "met in Yerevan.")
    assert ("Karl Brandt", "Secretary General", CSTO) in held(x)
    assert not any(p[0] == "Ivo Kalns" for p in held(x)), held(x)


def test_exchanging_views_is_a_meeting_or_the_one_just_told(extractor: Extractor) -> None:
    alone = extract(extractor, "On Monday Karl Brandt and Anna Weiss exchanged views in Minsk.")
    again = extract(extractor, "On Monday Karl Brandt met Anna Weiss in Minsk. The two sides "
                               "exchanged views on co-operation between Armenia and the CSTO.")
    for x in (alone, again):
        met = [{x.entities[p].name for p in e.participants} for e in x.events]
        assert met == [{"Karl Brandt", "Anna Weiss"}], met


def test_his_after_a_reception_is_the_guest_the_story_is_about(extractor: Extractor) -> None:
    x = extract(extractor, "OSCE Secretary General Karl Brandt visited Latvia this week. On "
                           "Tuesday President Ivo Kalns received Brandt in Riga. His programme "
                           "there also included a meeting with Anna Weiss.")
    met = [{x.entities[p].name for p in e.participants} for e in x.events]
    assert {"Karl Brandt", "Anna Weiss"} in met, met
    assert {"Ivo Kalns", "Anna Weiss"} not in met, met


# (text, events it gives as (kind, participant names), what must be no participant)
MODALITY_CASES = [
    ("cancelled", "The CSTO summit in Minsk was postponed. Karl Brandt met Ilya Moroz in Minsk "
     "on 2 May.", [("Meeting", {"Karl Brandt", "Ilya Moroz"})], set()),
    ("called-off", "Karl Brandt called off his visit to Armenia. He met Ilya Moroz in Moscow "
     "on 2 May.", [("Meeting", {"Karl Brandt", "Ilya Moroz"})], set()),
    ("negated-occurrence", "No meeting between Karl Brandt and Ilya Moroz took place. Brandt "
     "held talks with Anna Weiss on 2 May.", [("Meeting", {"Karl Brandt", "Anna Weiss"})], set()),
    ("negated-verb", "Karl Brandt did not meet Ilya Moroz. Brandt held talks with Anna Weiss "
     "on 2 May.", [("Meeting", {"Karl Brandt", "Anna Weiss"})], set()),
    ("hypothetical", "Karl Brandt could visit Armenia if invited. Brandt met Anna Weiss "
     "on 2 May.", [("Meeting", {"Karl Brandt", "Anna Weiss"})], set()),
    ("proposed", "Karl Brandt proposed a meeting with Ilya Moroz. Brandt met Anna Weiss "
     "on 2 May.", [("Meeting", {"Karl Brandt", "Anna Weiss"})], set()),
    ("scheduled", "Karl Brandt will meet Ilya Moroz in Minsk on 14 May.",
     [("Meeting", {"Karl Brandt", "Ilya Moroz"})], set()),
    ("reported-future", "Anna Weiss said that Karl Brandt and Ilya Moroz would meet on 14 May.",
     [("Meeting", {"Karl Brandt", "Ilya Moroz"})], set()),
    ("other-clause", "Karl Brandt, who may run for office, met Ilya Moroz in Minsk on 2 May.",
     [("Meeting", {"Karl Brandt", "Ilya Moroz"})], set()),
    ("absent", "The CSTO summit opened in Minsk on 2 May with Karl Brandt and Ilya Moroz. "
     "Anna Weiss did not attend the summit.", [("Meeting", {"Karl Brandt", "Ilya Moroz"})],
     {"Anna Weiss"}),
]


@pytest.mark.parametrize("case", MODALITY_CASES, ids=[c[0] for c in MODALITY_CASES])
def test_modality(extractor: Extractor, case) -> None:
    _, text, expected, absent = case
    x = extract(extractor, text)
    found = [(e.kind, {x.entities[k].name for k in e.participants}) for e in x.events]
    assert len(found) == len(expected), found
    for (kind, parties), (found_kind, found_parties) in zip(expected, found, strict=True):
        assert kind == found_kind and parties <= found_parties, found
        assert not absent & found_parties, found


# (case, text, events as (kind, parties it has, parties it must not have, date))
PARTY_CASES = [
    ("panel-speakers",
     "Panel\n\n14 November 2024\n\nThe CSTO Parliamentary Assembly hosted a panel discussion "
     "on Thursday. The panel was moderated by Anna Weiss. Speakers included Karl Brandt, "
     "Director of the Geneva Centre for Security Policy, and Professor Ilya Moroz of the "
     "Primakov Institute.",
     [("Meeting", {"CSTO Parliamentary Assembly", "Anna Weiss", "Karl Brandt", "Ilya Moroz"},
       {"Primakov Institute", "Geneva Centre for Security Policy"}, "2024-11-14")]),
    ("council-coverage",
     "Council meeting\n\nNEW YORK, 2 May 2024\n\nBriefing the Security Council this morning, "
     "Karl Brandt, Head of UNAMA, described the situation. Also briefing was Anna Weiss. "
     "In the debate, the representative of France backed the mission, while the delegate of "
     "China called for talks. Speakers from Panama and Ghana also took the floor.",
     [("Meeting", {"United Nations Security Council", "Karl Brandt", "Anna Weiss", "France",
                   "China", "Panama", "Ghana"}, set(), "2024-05-02")]),
    ("reported-speech",
     "Brief\n\n9 February 2022\n\nAt her weekly briefing in Moscow on Wednesday, "
     "spokeswoman Anna Weiss said that Karl Brandt and Ilya Moroz would meet on 15 February.",
     [("Meeting", {"Anna Weiss"}, {"Karl Brandt", "Ilya Moroz"}, "2022-02-09"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2022-02-15")]),
    ("told-about", "Karl Brandt met Anna Weiss in Minsk on 2 May and informed her about the "
     "meeting of the CSTO Parliamentary Assembly.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, {"CSTO Parliamentary Assembly"}, "2024-05-02"),
      ("Meeting", {"CSTO Parliamentary Assembly"}, {"Karl Brandt", "Anna Weiss"},
       "2024-05-02")]),
    ("relative-clause-of-a-person", "On 2 May Karl Brandt was received by Anna Weiss, who "
     "asked him to pass her greetings to Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Ilya Moroz"}, "2024-05-02")]),
    ("next-of-a-series", "Karl Brandt held talks with Anna Weiss in Astana on 2 May.\n\n"
     "He then received Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-02")]),
    ("day-headings", "Diary\n\nMonday, 29 April 2024\n\nWEDNESDAY, 1 MAY\nKarl Brandt meets "
     "Anna Weiss in Minsk.\n\nTHURSDAY, 2 MAY\nKarl Brandt holds talks with Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-01"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-02")]),
    ("no-day-no-date", "Karl Brandt held talks with Anna Weiss in Astana on 2 May.\n\n"
     "Ilya Moroz has met Anna Weiss before.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-02"),
      ("Meeting", {"Ilya Moroz", "Anna Weiss"}, set(), None)]),
    ("visit-in-a-relative-clause", "On 2 May Karl Brandt met Anna Weiss, who is in Minsk on a "
     "working visit.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-02"),
      ("Visit", {"Anna Weiss"}, {"Karl Brandt"}, "2024-05-02")]),
    ("visit-ends-today", "Trip\n\nASTANA, 3 May 2024 – Karl Brandt today concluded a "
     "three-day visit to Kazakhstan.",
     [("Visit", {"Karl Brandt", "Kazakhstan"}, set(), "2024-05-01")]),
    ("visit-with-two-stops", "On 2 May Karl Brandt began a visit to Armenia and Georgia.",
     [("Visit", {"Karl Brandt", "Armenia"}, {"Georgia"}, "2024-05-02"),
      ("Visit", {"Karl Brandt", "Georgia"}, {"Armenia"}, "2024-05-02")]),
    ("the-title-is-the-holder", "Karl Brandt, Special Envoy of the OSCE, landed in Yerevan on "
     "2 May. Anna Weiss met him there. On 3 May the envoy held talks with Ilya Moroz.",
     [("Visit", {"Karl Brandt"}, set(), "2024-05-02"),
      ("Meeting", {"Anna Weiss", "Karl Brandt"}, set(), "2024-05-02"),  # "met him"
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-03")]),
    ("news-of-the-day", "Live\n\nFriday, 3 May 2024.\n\nKarl Brandt has landed in Minsk. "
     "Anna Weiss has welcomed Ilya Moroz.",
     [("Visit", {"Karl Brandt"}, set(), "2024-05-03"),
      ("Meeting", {"Anna Weiss", "Ilya Moroz"}, set(), "2024-05-03")]),
    ("joint-meeting", "On 2 May Karl Brandt held a joint meeting with Anna Weiss and Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss", "Ilya Moroz"}, set(), "2024-05-02")]),
    ("since-arriving", "Since arriving in Minsk on 2 May, Karl Brandt has met Anna Weiss and "
     "Ilya Moroz.",
     [("Visit", {"Karl Brandt"}, set(), "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Ilya Moroz"}, "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-02")]),
    ("heads-of-delegations", "On 2 May Karl Brandt received the heads of delegations: Anna "
     "Weiss, Ilya Moroz and Omar Diallo.",
     [("Meeting", {"Karl Brandt", "Anna Weiss", "Ilya Moroz", "Omar Diallo"}, set(),
       "2024-05-02")]),
    ("background-keeps-the-day", "Karl Brandt met Anna Weiss in Minsk on 2 May. The meeting had "
     "been agreed in Astana on 20 April. On the same day Karl Brandt met Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, set(), "2024-05-02")]),
    ("the-delegation-acts-again", "A delegation of the OSCE Parliamentary Assembly arrived in "
     "Minsk on 2 May. The delegation met Karl Brandt. On 3 May it was received by Anna Weiss.",
     [("Visit", {"OSCE Parliamentary Assembly"}, {"Karl Brandt"}, "2024-05-02"),
      ("Meeting", {"OSCE Parliamentary Assembly", "Karl Brandt"}, {"Anna Weiss"}, "2024-05-02"),
      ("Meeting", {"OSCE Parliamentary Assembly", "Anna Weiss"}, {"Karl Brandt"}, "2024-05-03")]),
    ("only-a-visit-told-before", "Karl Brandt arrived in Minsk on 2 May.\n\nDuring the visit, "
     "officials signed a protocol.",
     [("Visit", {"Karl Brandt"}, set(), "2024-05-02")]),
    ("each-with-its-own-day", "In May Karl Brandt made visits to Minsk and Astana, meeting Anna "
     "Weiss in Minsk on 6 May and Ilya Moroz in Astana on 9 May.",
     [("Visit", {"Karl Brandt"}, {"Anna Weiss"}, "2024-05"),
      ("Visit", {"Karl Brandt"}, {"Anna Weiss"}, "2024-05"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Ilya Moroz"}, "2024-05-06"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-09")]),
    ("the-title-named-before", "Briefing on the Prime Minister's visit (May 3, 2024)\n\nSpokesman "
     "Omar Diallo: Prime Minister Karl Brandt arrived in Minsk yesterday. Soon after arriving, the "
     "Prime Minister held talks with Anna Weiss. This afternoon the Prime Minister met Ilya Moroz. "
     "Omar Diallo thanked the press.",
     [("Visit", {"Karl Brandt"}, {"Omar Diallo"}, "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Omar Diallo"}, "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Omar Diallo"}, "2024-05-03")]),
    ("talks-on-the-agenda", "Karl Brandt arrived in Brussels on 2 May. He held separate meetings "
     "with European Commission Vice-President Anna Weiss and Commissioner for Trade and Industry "
     "Ilya Moroz. Energy was also on the agenda of his talks with Omar Diallo, NATO Deputy "
     "Assistant Secretary General.",
     [("Visit", {"Karl Brandt"}, set(), "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Ilya Moroz"}, "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-02"),
      ("Meeting", {"Karl Brandt", "Omar Diallo"}, {"NATO"}, "2024-05-02")]),
    ("the-bodys-session-and-another", "Report – 3 May 2024\n\nKarl Brandt became Chairman of the "
     "CSTO Parliamentary Assembly on Thursday, taking over from Anna Weiss at the close of the "
     "Assembly's 12th Plenary Session, held at the Tauride Palace in Saint Petersburg. Weiss was "
     "first elected Chairman at the session in Minsk on 9 July 2021 and re-elected at the Astana "
     "session of 7 July 2022.",
     [("Meeting", {"Karl Brandt", "Anna Weiss", "CSTO Parliamentary Assembly"}, set(),
       "2024-05-02"),
      ("Meeting", {"Anna Weiss"}, {"Karl Brandt"}, "2021-07-09"),
      ("Meeting", {"Anna Weiss"}, {"Karl Brandt"}, "2022-07-07")]),
    ("sides-and-rounds", "Brussels, 3 May 2024\n\nThe 12th EU-Armenia summit took place today "
     "by video link. In the morning, talks were held between the EU leaders and Karl Brandt, who "
     "represented Armenia. The previous summit was held in June 2022. After the talks, Anna "
     "Weiss and Ilya Moroz held a joint press conference. No date was set for the next summit.",
     [("Meeting", {"European Union", "Armenia"}, set(), "2024-05-03"),
      ("Meeting", {"European Union", "Karl Brandt", "Armenia"}, set(), "2024-05-03"),
      ("Meeting", {"Anna Weiss", "Ilya Moroz"}, set(), "2024-05-03")]),
    ("captions", "The year in pictures\n\nPhoto 1. Minsk, 2 May 2024. Defence ministers met.\n\n"
     "Photo 2. Minsk, 3 May 2024. On the sidelines, Karl Brandt held separate meetings with Anna "
     "Weiss and Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, {"Ilya Moroz"}, "2024-05-03"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-03")]),
    ("one-meeting-per-stop", "Karl Brandt held talks with Anna Weiss in Astana on 3 May. It was "
     "their fourth meeting this year: they had already met in Minsk in January, in Baku in "
     "February and in Tashkent last month. He then received Ilya Moroz.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-03"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-01"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-02"),
      ("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-04"),
      ("Meeting", {"Karl Brandt", "Ilya Moroz"}, {"Anna Weiss"}, "2024-05-03")]),
    ("briefed-on-a-day", "New York, 6 May 2024\n\nCSTO officials were briefed on the situation "
     "on 2 May by Special Envoy Karl Brandt.",
     [("Meeting", {CSTO, "Karl Brandt"}, set(), "2024-05-02")]),
    ("arriving-to-take-up-a-post", "Karl Brandt, the new head of UNAMA, arrived in Kabul on 2 "
     "May to take up his duties. On 3 May he met Anna Weiss.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-03")]),
    ("dateline-day-is-a-fallback", "Talks\n\nMINSK, 14 May 2024 – Talks between Karl Brandt and "
     "Anna Weiss took place in Minsk on Monday.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-13")]),
    ("council-coverage", "CSTO Parliamentary Assembly\n3 May 2024\n\nThe CSTO Parliamentary "
     "Assembly this afternoon heard a briefing by Karl Brandt on the work of the mission in "
     "Central Asia.\n\nAlso briefing the Assembly was Anna Weiss.\n\nSpeaking in the debate that "
     "followed were the representatives of Armenia and Belarus.",
     [("Meeting", {"CSTO Parliamentary Assembly", "Karl Brandt", "Anna Weiss", "Armenia",
                   "Belarus"}, {"Central Asia"}, "2024-05-03")]),
    ("aside-teller", "In Minsk, the CSTO said, Karl Brandt met Anna Weiss on 2 May.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, {CSTO}, "2024-05-02")]),
    ("hypothetical-then-real", "Karl Brandt and Ilya Moroz could meet in Minsk on 2 May, the "
     "CSTO said on Monday. On 2 May Karl Brandt met Ilya Moroz in Minsk.",
     [("Meeting", {"Karl Brandt", "Ilya Moroz"}, set(), "2024-05-02")]),
    ("modal-of-another-conjunct", "Karl Brandt could visit Armenia next week, but met Ilya "
     "Moroz in Minsk on 2 May.",
     [("Meeting", {"Karl Brandt", "Ilya Moroz"}, set(), "2024-05-02")]),
    ("absent-from-one-clause", "Anna Weiss did not attend the CSTO summit on 2 May but met "
     "Karl Brandt in Minsk on 3 May.",
     [("Meeting", {CSTO}, {"Anna Weiss"}, "2024-05-02"),
      ("Meeting", {"Anna Weiss", "Karl Brandt"}, set(), "2024-05-03")]),
    ("no-series-in-a-relative-clause", "Karl Brandt met Anna Weiss in Minsk on 2 May.\n\n"
     "Ilya Moroz, who also chairs the commission, met Tomas Berg.",
     [("Meeting", {"Karl Brandt", "Anna Weiss"}, set(), "2024-05-02"),
      ("Meeting", {"Ilya Moroz", "Tomas Berg"}, set(), None)]),
    ("relative-clause-of-the-gathering", "Karl Brandt took part in the CSTO meeting in Minsk "
     "on 2 May, at which Kazakhstan was represented by Anna Weiss.",
     [("Meeting", {"Karl Brandt", "Anna Weiss", "Kazakhstan"}, set(), "2024-05-02")]),
]


@pytest.mark.parametrize("case", PARTY_CASES, ids=[c[0] for c in PARTY_CASES])
def test_parties_belong_to_their_clause(extractor: Extractor, case) -> None:
    _, text, expected = case
    x = extract(extractor, text)
    found = [(e.kind, {x.entities[k].name for k in e.participants}, e.start) for e in x.events]
    assert len(found) == len(expected), found
    for kind, has, lacks, start in expected:
        assert any(
            k == kind and has <= p and not lacks & p and s == start for k, p, s in found
        ), found


# (text, names that must be of a kind, names that must be no entity)
NAME_CASES = [
    # a list of names read as one, and a name run on into the lower-case word after it
    ("On Wednesday Ramaphosa welcomed Lula, Xi, Modi and Lavrov to a dinner at the Union "
     "Buildings.", {"person": {"Lula", "Xi"}}, {"Lula, Xi"}),
    ("This week the islanders saw a lot of Secretary-General Amara Diallo as Amara Diallo "
     "criss-crossed the capital.",
     {"person": {"Amara Diallo"}}, {"Amara Diallo criss-", "Amara Diallo criss"}),
    ("Mauritanian President Sidi Ould Cheikh El Amine met Karl Brandt. Later Amine spoke.",
     {"person": {"Sidi Ould Cheikh El Amine", "Karl Brandt"}}, {"Sidi Ould Cheikh", "Amine"}),
    ("Karl Brandt, Director of the Geneva Centre for Security Policy, spoke at the IX Moscow "
     "Conference on International Security.",
     {"organization": {"Geneva Centre for Security Policy"}, "place": {"Moscow"}},
     {"Moscow Conference on International Security"}),
    ("Karl Brandt was Deputy Head of the OSCE Assistance Group to Chechnya.",
     {"mission": {"OSCE Assistance Group to Chechnya"}}, {"OSCE Assistance Group"}),
    ("Karl Brandt, Head of the EU Delegation to Georgia, met staff of the Delegation of the "
     "European Union to Moldova.",
     {"organization": {"EU Delegation to Georgia", "Delegation of the European Union to Moldova",
                       "European Union"}}, set()),
    ("The Heads of State of Kazakhstan and Armenia and Karl Brandt met in Minsk.",
     {"place": {"Kazakhstan", "Armenia"}, "person": {"Karl Brandt"}}, {"Heads of State"}),
    ("Karl Brandt met the Ambassador of the Republic of Serbia to the Russian Federation "
     "Momcilo Babic.", {"person": {"Karl Brandt", "Momcilo Babic"},
                        "place": {"Russia"}}, {"Russian Federation Momcilo Babic"}),
    ("Maria Dimitrova, Chairwoman of the National Assembly of Bulgaria, spoke.",
     {"person": {"Maria Dimitrova"}}, {"Chairwoman"}),
    ("The leaders met at the Samarkand Congress Centre and later at the Palace of Nations.",
     {"place": {"Samarkand Congress Centre", "Palace of Nations"}}, set()),
    ("Many Cypriots and Nigeriens watched Karl Brandt arrive.",
     {"person": {"Karl Brandt"}}, {"Cypriots", "Nigeriens"}),
    ("Karl Brandt, Chairperson of the Central Council for Elections and Referendums of the "
     "Republic of Moldova, met Anna Weiss of the Senate Committee on Foreign Relations.",
     {"organization": {"Central Council for Elections and Referendums of the Republic of Moldova",
                       "Senate Committee on Foreign Relations"}}, set()),
    ("Karl Brandt briefed the CSTO Parliamentary Assembly Committee on Ukraine on Monday. Anna "
     "Weiss chairs the CSTO Parliamentary Assembly Committee on Defence and Security.",
     {"organization": {"CSTO Parliamentary Assembly Committee on Defence and Security"},
      "place": {"Ukraine"}}, {"CSTO Parliamentary Assembly Committee on Ukraine"}),
    ("Major General Pedro Ruiz Blanco took office on Monday. Ruiz thanked the troops.",
     {"person": {"Pedro Ruiz Blanco"}}, {"Ruiz"}),
    ("His Royal Highness Prince Faisal bin Khalid, Crown Prince and Prime Minister, chaired the "
     "summit. The Co-Chair was H.E. Karl Brandt, and the meeting was attended by H.E. Jasem "
     "Mohamed Albudaiwi, GCC Secretary-General.",
     {"person": {"Faisal bin Khalid", "Karl Brandt", "Jasem Mohamed Albudaiwi"}},
     {"Royal Highness", "Crown Prince", "Co-Chair", "H.E. Karl", "H.E. Jasem Mohamed Albudaiwi"}),
    ("The ECOWAS Commission met in Abuja. The Commission said the Authority would meet again.",
     {"organization": {"ECOWAS Commission"}}, {"Commission", "Authority"}),
    ("Anna von der Weide met Karl Brandt. Von der Weide said the talks went well.",
     {"person": {"Anna von der Weide"}}, {"Von der Weide", "Weide"}),
    ("India was represented by External Affairs Minister Karl Brandt (Photo 2).",
     {"person": {"Karl Brandt"}}, {"External Affairs", "Photo 2", "Secretary-General Karl Brandt"}),
    ("Welcoming Volodin, Karl Brandt spoke of the Chairpersonship.",
     {"person": {"Karl Brandt"}}, {"Welcoming Volodin", "Chairpersonship"}),
]


@pytest.mark.parametrize("case", NAME_CASES, ids=[c[0][:30] for c in NAME_CASES])
def test_names_of_the_right_kind(extractor: Extractor, case) -> None:
    text, kinds, nothing = case
    x = extract(extractor, text)
    for kind, names in kinds.items():
        assert names <= {e.name for e in x.entities.values() if e.kind == kind}, x.entities
    assert not nothing & {e.name for e in x.entities.values()}, x.entities


def test_slot_brackets_and_dashes_in_an_article_are_plain_text(extractor: Extractor) -> None:
    """An article may hold "⟦L0⟧" (the rules' own slot marks) and open a line with a dash;
    neither breaks extraction, with the parser or without."""
    text = "Interview\n\n— Very positively. Karl Brandt met ⟦L0⟧ and Anna Weiss on 2 May.\n"
    x = extract(extractor, text)
    assert [(e.kind, {x.entities[k].name for k in e.participants}) for e in x.events] == [
        ("Meeting", {"Karl Brandt", "Anna Weiss"})]
    blank = Extractor("blank:en")
    document = Document(source="t", url="file:///t.txt", text=text, title=None,
                        published=date(2024, 5, 3))
    assert blank.extract(document).document is document


def test_a_visit_goes_where_its_words_point(extractor: Extractor) -> None:
    x = extract(extractor, "Karl Brandt will visit Armenia from 9 to 11 May and go on to "
                           "Moscow next week.")
    [visit] = [e for e in x.events if e.kind == "Visit"]
    assert x.entities[visit.place].name == "Armenia"


def test_a_departure_for_a_city_is_a_visit_there(extractor: Extractor) -> None:
    x = extract(extractor, "After the talks in Minsk, Karl Brandt departed for Yerevan on "
                           "Monday.")
    [visit] = [e for e in x.events if e.kind == "Visit"]
    assert x.entities[visit.place].name == "Yerevan"
    assert "Karl Brandt" in {x.entities[p].name for p in visit.participants}


def test_a_surname_known_alone_gives_its_full_name(extractor: Extractor) -> None:
    """The tagger knew "Ms. Diarra" twice but not "Awa Diarra" (its miss made by hand here)."""
    from kg.extract.gazetteer import default
    from kg.extract.mentions import Mention, _full_names_of_surnames

    text = "Awa Diarra met President Karl Brandt. Ms. Diarra thanked him; Ms. Diarra left."
    doc = extractor.nlp(text)
    known = [Mention(m.start(), m.end(), "person", "Diarra", "ner")
             for m in re.finditer(r"(?<=Ms\. )Diarra", text)]
    brandt = text.index("Karl Brandt")
    known.append(Mention(brandt, brandt + 11, "person", "Karl Brandt", "ner"))
    found = _full_names_of_surnames(doc, known, default())
    assert [m.text for m in found] == ["Awa Diarra"]
    once = known[1:]
    assert _full_names_of_surnames(doc, once, default()) == []  # once is not enough


def test_a_later_gathering_and_a_venue_have_their_own_places(extractor: Extractor) -> None:
    x = extract(extractor, "Report – 3 May 2024\n\nKarl Brandt became Chairman of the CSTO "
                           "Parliamentary Assembly on Thursday at the close of the Assembly's 12th "
                           "Plenary Session, held at the Tauride Palace in Saint Petersburg. Anna "
                           "Weiss was elected Chairman at the session in Minsk on 9 July 2021 and "
                           "re-elected at the Astana session of 7 July 2022.")
    places = {e.start: x.entities[e.place].name for e in x.events if e.place}
    assert places == {"2024-05-02": "Tauride Palace", "2021-07-09": "Minsk",
                      "2022-07-07": "Astana"}


def test_a_given_name_lost_before_a_patronymic_comes_back(extractor: Extractor) -> None:
    """spaCy tags "Ivanovna Matviyenko" alone in "... IPA CIS Valentina Ivanovna Matviyenko"
    (its miss made by hand here)."""
    from kg.extract.gazetteer import default
    from kg.extract.mentions import Mention, _extend_given_names

    text = "The session was chaired by Valentina Ivanovna Matviyenko."
    doc = extractor.nlp(text)
    start = text.index("Ivanovna")
    tagged = Mention(start, start + len("Ivanovna Matviyenko"), "person", "Ivanovna Matviyenko",
                     "ner")
    _extend_given_names(doc, [tagged], default())
    assert tagged.text == "Valentina Ivanovna Matviyenko"


def test_a_place_in_what_was_discussed_is_not_where(extractor: Extractor) -> None:
    x = extract(extractor, "On 2 May the CSTO Parliamentary Assembly heard a briefing by Karl "
                           "Brandt on the work of the mission in Central Asia.")
    [event] = x.events
    assert event.place is None and event.start == "2024-05-02"


def test_separate_phone_calls_under_a_dateline_are_placeless(extractor: Extractor) -> None:
    document = Document(
        source="t", url="file:///t.txt", published=date(2025, 7, 24), title=None,
        text="Calls\n\nMINSK, 24 July 2025 – Karl Brandt today held separate telephone "
             "conversations with Anna Weiss and Ilya Moroz. He also met Lena Holm.",
    )
    x = extractor.extract(document)
    places = {frozenset(x.entities[p].name for p in e.participants): e.place for e in x.events}
    assert places[frozenset({"Karl Brandt", "Anna Weiss"})] is None, places
    assert places[frozenset({"Karl Brandt", "Ilya Moroz"})] is None, places
    assert x.entities[places[frozenset({"Karl Brandt", "Lena Holm"})]].name == "Minsk", places


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Karl Brandt has completed a four-day official visit to Juba.", "2024-08-13",
         "2024-08-16"),
        ("Karl Brandt has completed a four-day official visit to Juba that began on Monday, "
         "12 August.", "2024-08-12", "2024-08-15"),
    ],
)
def test_a_visit_of_some_days_runs_to_or_from_the_day_told(extractor: Extractor, sentence,
                                                            start, end) -> None:
    document = Document(source="t", url="file:///t.txt", published=date(2024, 8, 16), title=None,
                        text=f"Visit\n\nAbyei, 16 August 2024\n\n{sentence}")
    [visit] = extractor.extract(document).events
    assert (visit.start, visit.end) == (start, end)


def test_a_live_blog_entry_is_of_its_day(extractor: Extractor) -> None:
    document = Document(source="t", url="file:///t.txt", published=date(2024, 5, 21), title=None,
                        text="LIVE: ministers meet\n21 May 2024\n\n09:40 — Karl Brandt opens the "
                             "meeting of the CSTO Parliamentary Assembly in Minsk.")
    [meeting] = extractor.extract(document).events
    assert meeting.start == "2024-05-21"


def test_a_ticker_item_in_the_present_is_of_its_day(extractor: Extractor) -> None:
    x = extract(extractor, "News in brief\n\n• Moscow: CSTO Secretary General Karl Brandt "
                           "receives the Ambassador of Armenia, Ivo Kalns.\n\n• Karl Brandt "
                           "regularly meets Anna Weiss.")
    dated = {frozenset(x.entities[p].name for p in e.participants): e.start for e in x.events}
    assert dated[frozenset({"Karl Brandt", "Ivo Kalns"})] == "2024-05-03", dated
    assert dated.get(frozenset({"Karl Brandt", "Anna Weiss"})) != "2024-05-03", dated


def test_a_period_since_a_date_does_not_date_the_gathering(extractor: Extractor) -> None:
    """ "met for the first time since July 2019": the date where a period began is not the
    meeting's; "since 17 March, when the Council met" is the date of the meeting told."""
    x = extract(extractor, "News\n\nBERN, 20 May 2024 – The joint commission met in Bern "
                           "for the first time since July 2019, chaired by Karl Brandt.")
    assert [e.start for e in x.events] == ["2024-05-20"]
    x = extract(extractor, "News\n\nBERN, 20 May 2024 – The office has run under new rules "
                           "since 17 March, when Karl Brandt met Anna Weiss in Geneva.")
    assert [e.start for e in x.events] == ["2024-03-17"]


def test_a_timeline_s_section_dates_its_items(extractor: Extractor) -> None:
    """Sections headed "PLACE - Month D-D" under a story dated in the new year: each item
    takes its section's day, in the story's year, not the year of an item before it."""
    x = extract(extractor, "TIMELINE - Talks on the river\n\n3 February 2023\n\n"
                           "BEFORE - December 28, 2022\nKarl Brandt and Anna Weiss spoke by "
                           "telephone.\n\nLINZ - January 5-6\nKarl Brandt met Ilya Moroz in "
                           "Linz and they signed a protocol.\n")
    found = sorted((e.start, frozenset(x.entities[k].name for k in e.participants))
                   for e in x.events)
    assert found == [("2022-12-28", frozenset({"Karl Brandt", "Anna Weiss"})),
                     ("2023-01-05", frozenset({"Karl Brandt", "Ilya Moroz"}))]


def test_a_title_under_the_un_secretary_general_keeps_its_whole_label(
        extractor: Extractor) -> None:
    """ "Special Representative of the UN Secretary-General for Yemen": the UN's post, the
    label the same as without "UN" (one post, however a story spells it)."""
    x = extract(extractor, "News\n\nKarl Weber is the Special Envoy of the UN "
                           "Secretary-General for Syria.")
    assert [(m.role, x.entities[m.organization].name) for m in x.memberships] == [
        ("Special Envoy of the Secretary General for Syria", "United Nations")]


def test_titles_of_heads_of_government_and_malay_honorifics_are_no_part_of_a_name(
        extractor: Extractor) -> None:
    x = extract(extractor, "News\n\nBERLIN, 3 May 2024 - Chancellor Olaf Brandt met Premier "
                           "Wen Lu and Speaker Anna Roth. Dato Lim Kee Hock also attended.")
    assert sorted(e.name for e in x.entities.values() if e.kind == "person") == [
        "Anna Roth", "Lim Kee Hock", "Olaf Brandt", "Wen Lu"]


def test_whether_a_doc_is_parsed_is_asked_of_spacy_once() -> None:
    """has_parse remembers spaCy's answer on the Doc: asked per sentence of an unparsed
    Doc, has_annotation("DEP") scanned every token each time (quadratic on long texts)."""
    import spacy
    from spacy.tokens import Doc

    from kg.extract.sentences import has_parse

    nlp = spacy.blank("en")
    plain = nlp("Karl Weber met Anna Roth.")
    assert has_parse(plain) is False and plain.user_data["kg_has_parse"] is False
    words = ["Karl", "met", "Anna"]
    parsed = Doc(nlp.vocab, words=words, heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"])
    assert has_parse(parsed) is True
    parsed.user_data["kg_has_parse"] = False  # remembered: spaCy is not asked again
    assert has_parse(parsed) is False


@pytest.mark.parametrize(("text", "key"), [
    ("Karl Brandt told the UN in New York that the Security Council would meet on Monday.",
     "gaz:un-security-council"),
    ("The CSTO summit opened. The day before, the Council of Foreign Ministers met in Minsk.",
     "gaz:csto-cfm"),
    ("Karl Brandt said the Council of Foreign Ministers would meet in Minsk.",  # whose?
     "organization:council of foreign ministers"),
    ("The CSTO and the SCO both met. The Council of Foreign Ministers met in Minsk.",  # either
     "organization:council of foreign ministers"),
])
def test_a_body_named_without_its_organization(extractor: Extractor, text: str, key: str
                                                ) -> None:
    """Is the body of that name of the organization the article names, if exactly one."""
    x = extract(extractor, text)
    short = [e for e in x.entities.values()
             if {"Security Council", "Council of Foreign Ministers"} & e.forms()]
    assert [e.key for e in short] == [key], x.entities


def test_the_short_names_of_bodies_come_from_the_gazetteer() -> None:
    gazetteer = Gazetteer()
    gazetteer.add(GazetteerEntry("lakes", "Council of Lakes", "organization", None, ["CoL"]))
    gazetteer.add(GazetteerEntry("lakes-board", "Council of Lakes Water Board", "organization",
                                 "unit", ["CoL Water Board", "Water Board of the CoL"], "lakes"))
    gazetteer.add(GazetteerEntry("lakes-office", "Office of the Council of Lakes", "organization",
                                 "unit", [], "lakes"))
    assert [e.id for e in gazetteer.units_named_short("the Water Board")] == ["lakes-board"]
    assert gazetteer.units_named_short("Office") == []  # one word says too little
    assert gazetteer.ancestors(gazetteer.entries["lakes-board"]) == ["lakes"]


def test_a_well_known_official_has_one_spelling_and_a_wikidata_item(extractor: Extractor
                                                                     ) -> None:
    x = extract(extractor, "Antonio Guterres met Recep Tayyip Erdogan and Xi Jinping in "
                           "Ankara. Erdogan said the talks were useful.")
    people = {e.name: e for e in x.entities.values() if e.kind == "person"}
    assert {"António Guterres", "Recep Tayyip Erdoğan", "Xi Jinping"} <= set(people)
    assert "Antonio Guterres" in people["António Guterres"].aliases
    assert people["Xi Jinping"].wikidata == "Q15031"
    assert people["António Guterres"].wikidata is None  # not checked: no item


def test_officials_are_matched_by_full_name_whatever_the_accents(tmp_path) -> None:
    extra = tmp_path / "officials.tsv"
    extra.write_text("name\taliases\twikidata\trole\n"
                     "Ana Lúcia Ferreira Costa\tAna Costa\t\tChair of the Council of Lakes\n",
                     encoding="utf-8")
    gazetteer = load_gazetteer(str(extra))
    assert gazetteer.official("ANA LUCIA FERREIRA COSTA").name == "Ana Lúcia Ferreira Costa"
    assert gazetteer.official("Ana Costa").name == "Ana Lúcia Ferreira Costa"
    assert gazetteer.official("Costa") is None  # a surname alone is not enough
    assert gazetteer.official("Maria Costa") is None
