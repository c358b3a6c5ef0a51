"""Extraction with the real spaCy pipeline: one or more tests per construction the rules handle.

Every text here is invented for these tests (the people are fictional; the organizations,
countries and cities are real). Expectations state what the extractor is meant to produce.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.explain import explain
from kg.extract import Extractor, lexicon
from kg.extract.roles import PATTERNS
from kg.facts import Document, Extraction

pytestmark = pytest.mark.slow

CSTO = "Collective Security Treaty Organization"
SCO = "Shanghai Cooperation Organisation"
RULES = {
    "role-prenominal",
    "role-of-org",
    "role-apposition",
    "role-as",
    "role-signature",
    "event-meeting",
    "event-meeting-each",
    "event-visit",
    "event-visit-received",
    "event-meeting-of",
    "role-implied",
    "role-shared-body",
    "role-minister",
    "role-its",
    "event-attended",
} | {entry["id"] for entry in lexicon.patterns("posts.jsonl")} | {name for name, _ in PATTERNS}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture
def extract(extractor: Extractor):
    def run(text: str, published: date | None = date(2024, 7, 26)) -> Extraction:
        doc = Document(source="t", url="file:///t.txt", text=text, title=None, published=published)
        return extractor.extract(doc)

    return run


# ---------------------------------------------------------------- helpers


def names(x: Extraction, kind: str) -> set[str]:
    """The names of the entities of one kind."""
    return {e.name for e in x.entities.values() if e.kind == kind}


def entity(x: Extraction, form: str):
    """The one entity that has ``form`` as its name or an alias."""
    found = [e for e in x.entities.values() if form in e.forms()]
    assert len(found) == 1, f"{form!r} names {[e.name for e in found]}"
    return found[0]


def posts(x: Extraction) -> set[tuple[str, str, str]]:
    """(person name, role, organization name) of every membership."""
    return {
        (x.entities[m.person].name, m.role, x.entities[m.organization].name) for m in x.memberships
    }


def former_posts(x: Extraction) -> set[tuple[str, str, str]]:
    return {
        (x.entities[m.person].name, m.role, x.entities[m.organization].name)
        for m in x.memberships
        if m.former
    }


def events(x: Extraction) -> list[tuple[str, str | None, str | None, frozenset[str], str | None]]:
    """(kind, start, end, participant names, place name) of every event, in order."""
    return [
        (
            e.kind,
            e.start,
            e.end,
            frozenset(x.entities[k].name for k in e.participants),
            x.entities[e.place].name if e.place else None,
        )
        for e in x.events
    ]


def people(*names_: str) -> frozenset[str]:
    return frozenset(names_)


# ---------------------------------------------------------------- organizations


def test_gazetteer_long_form_and_acronym_are_one_entity(extract) -> None:
    x = extract(
        "The Collective Security Treaty Organization (CSTO) held command-post exercises "
        "in Tajikistan. Officers from all CSTO member states took part."
    )
    assert names(x, "organization") == {CSTO}
    csto = entity(x, "CSTO")
    assert csto.name == CSTO
    assert csto.aliases == {"CSTO"}
    assert len(csto.mentions) == 3


def test_acronym_defined_in_text_for_unknown_organization(extract) -> None:
    x = extract(
        "Experts from the Eurasian Institute for Strategic Dialogue (EISD) presented a "
        "report in Almaty on Monday. The EISD plans to publish a second study next year."
    )
    assert names(x, "organization") == {"Eurasian Institute for Strategic Dialogue"}
    institute = entity(x, "EISD")
    assert institute.name == "Eurasian Institute for Strategic Dialogue"
    assert institute.aliases == {"EISD"}
    assert len(institute.mentions) == 3


def test_sub_body_is_linked_to_its_parent(extract) -> None:
    x = extract(
        "Officers of the CSTO Joint Staff inspected the training ground near Dushanbe. "
        "The CSTO has scheduled further drills for the autumn."
    )
    assert names(x, "organization") == {"CSTO Joint Staff", CSTO}
    assert entity(x, "CSTO Joint Staff").parent == entity(x, "CSTO").key
    assert entity(x, "CSTO").parent is None


def test_body_of_a_country_from_the_gazetteer(extract) -> None:
    x = extract(
        "The Security Council of Armenia discussed border security on Tuesday. "
        "Armenia has asked its partners for technical assistance."
    )
    council = entity(x, "Security Council of Armenia")
    assert council.kind == "organization"
    assert names(x, "organization") == {council.name}
    assert names(x, "place") == {"Armenia"}
    assert entity(x, "Armenia").subtype == "country"


def test_body_of_a_country_built_by_rule(extract) -> None:
    x = extract(
        "The State Migration Service of Kyrgyzstan reported a sharp rise in "
        "applications. Kyrgyzstan expects the trend to continue into the spring."
    )
    assert names(x, "organization") == {"State Migration Service of Kyrgyzstan"}
    assert names(x, "place") == {"Kyrgyzstan"}
    assert len(entity(x, "Kyrgyzstan").mentions) == 2


def test_short_form_of_a_body_is_the_same_entity(extract) -> None:
    x = extract(
        "Delegates from the CSTO Joint Staff arrived in Minsk on Wednesday. Later, the "
        "Joint Staff published a summary of the drills."
    )
    staff = entity(x, "Joint Staff")
    assert staff.name == "CSTO Joint Staff"
    assert staff.aliases == {"Joint Staff"}
    assert len(staff.mentions) == 2
    assert names(x, "organization") == {"CSTO Joint Staff", CSTO}


def test_generic_words_are_not_entities(extract) -> None:
    x = extract(
        "The CSTO Permanent Council met in Moscow. The Organization will review its "
        "budget in December, and the Council will meet again in the spring."
    )
    assert names(x, "organization") == {"CSTO Permanent Council", CSTO}
    for entity_ in x.entities.values():
        assert not entity_.forms() & {"Organization", "the Organization", "Council"}


# ---------------------------------------------------------------- persons


def test_full_name(extract) -> None:
    x = extract("Dmitry Volkov opened the conference in Bishkek.", None)
    assert names(x, "person") == {"Dmitry Volkov"}


def test_full_name_after_a_description(extract) -> None:
    x = extract("Veteran diplomat Dmitry Volkov opened the conference in Bishkek.", None)
    assert names(x, "person") == {"Dmitry Volkov"}


def test_initial_and_surname_then_surname_alone(extract) -> None:
    x = extract(
        "S. Petrov, the head of the Russian delegation, thanked the hosts. Petrov said "
        "the delegation would return in the autumn.",
        None,
    )
    assert names(x, "person") == {"S. Petrov"}
    petrov = entity(x, "Petrov")
    assert petrov.aliases == {"Petrov"}
    assert len(petrov.mentions) == 2


def test_full_name_initial_and_surname_are_one_person(extract) -> None:
    x = extract(
        "Sergei Petrov, head of the Russian delegation, arrived in Minsk on Monday. "
        "S. Petrov told reporters the agenda was ready, and Petrov later met the hosts.",
        None,
    )
    assert names(x, "person") == {"Sergei Petrov"}
    assert entity(x, "Sergei Petrov").aliases == {"S. Petrov", "Petrov"}


def test_russian_order_with_patronymic_is_grouped_with_the_given_name_form(extract) -> None:
    x = extract(
        "Petrov Sergei Ivanovich was appointed to the post by presidential decree. "
        "Sergei Petrov previously served in the Foreign Ministry.",
        None,
    )
    assert len([e for e in x.entities.values() if e.kind == "person"]) == 1
    petrov = entity(x, "Sergei Petrov")
    assert petrov.forms() == {"Petrov Sergei Ivanovich", "Sergei Petrov"}


def test_ranks_and_honorifics_are_stripped(extract) -> None:
    x = extract(
        "Colonel General Ivan Markov inspected the troops. Markov praised their "
        "readiness, while Ambassador Gulnara Iskakova and Mr. Daniel Novak looked on.",
        None,
    )
    assert names(x, "person") == {"Ivan Markov", "Gulnara Iskakova", "Daniel Novak"}
    assert entity(x, "Markov").name == "Ivan Markov"


def test_two_people_with_one_surname_are_kept_apart(extract) -> None:
    x = extract(
        "Anna Petrova and Olga Petrova both addressed the forum in Minsk. "
        "Anna Petrova spoke about labour migration.",
        None,
    )
    assert names(x, "person") == {"Anna Petrova", "Olga Petrova"}
    assert len(entity(x, "Anna Petrova").mentions) == 2
    assert len(entity(x, "Olga Petrova").mentions) == 1


# ---------------------------------------------------------------- posts


def test_prenominal_title(extract) -> None:
    x = extract(
        "CSTO Secretary General Ivan Markov opened the meeting of the Permanent Council in Moscow."
    )
    assert posts(x) == {("Ivan Markov", "Secretary General", CSTO)}
    assert x.memberships[0].evidence.rule == "role-prenominal"


def test_title_of_organization_then_name(extract) -> None:
    x = extract(
        "Secretary General of the Shanghai Cooperation Organization Li Wen addressed "
        "the forum in Beijing on Friday."
    )
    assert posts(x) == {("Li Wen", "Secretary General", SCO)}
    assert x.memberships[0].evidence.rule == "role-of-org"


def test_apposition_with_acting_head_of_a_mission(extract) -> None:
    x = extract(
        "Arman Dzhaksybekov, the Acting Head of the UN Mission in Kosovo, briefed "
        "reporters in Pristina."
    )
    assert posts(x) == {
        (
            "Arman Dzhaksybekov",
            "Acting Head",
            "United Nations Interim Administration Mission in Kosovo",
        )
    }
    assert x.memberships[0].evidence.rule == "role-apposition"
    assert entity(x, "UN Mission in Kosovo").kind == "mission"


def test_a_bare_secretariat_title_is_a_post_in_the_organization_the_article_is_about(
    extract,
) -> None:
    x = extract(
        "The SCO Secretariat in Beijing hosted a seminar. The SCO is preparing its summit. "
        "Secretary-General Ivan Markov opened the seminar."
    )
    assert ("Ivan Markov", "Secretary General", SCO) in posts(x)


def test_a_bare_title_of_someone_with_another_post_is_in_the_same_organization(extract) -> None:
    x = extract(
        "Acting Secretary General of the CSTO Ivan Markov spoke in Vienna. Earlier, a "
        "delegation headed by Deputy Secretary General Ivan Markov had visited Minsk."
    )
    assert ("Ivan Markov", "Deputy Secretary General", CSTO) in posts(x)


def test_an_under_secretary_general_is_a_united_nations_post(extract) -> None:
    x = extract(
        "Sergei Petrov met Maria Lind, Under-Secretary-General for Peace Operations, at the "
        "United Nations in New York."
    )
    assert posts(x) == {
        ("Maria Lind", "Under Secretary General for Peace Operations", "United Nations")
    }


def test_a_country_title_implies_no_post(extract) -> None:
    x = extract(
        "CSTO Secretary General Ivan Markov met President Kubat Osmonov, the chairman of the "
        "CSTO Collective Security Council."
    )
    assert ("Kubat Osmonov", "President", CSTO) not in posts(x)


def test_who_has_become_a_post(extract) -> None:
    x = extract(
        "Aida Bekova, who has just become Chairman of the Board of the Eurasian Development "
        "Bank, spoke in Minsk."
    )
    assert posts(x) == {("Aida Bekova", "Chairman of the Board", "Eurasian Development Bank")}


def test_representative_of_the_secretary_general_and_head_of_a_mission(extract) -> None:
    x = extract(
        "Sergei Petrov held talks with Maria Lind, Special Representative of the UN "
        "Secretary-General and Head of the United Nations Interim Force in Lebanon (UNIFIL)."
    )
    assert posts(x) == {
        ("Maria Lind", "Special Representative of the Secretary General", "United Nations"),
        ("Maria Lind", "Head", "United Nations Interim Force in Lebanon"),
    }


def test_a_name_run_on_after_a_body_is_the_bodys_official(extract) -> None:
    x = extract(
        "The observers came at the invitation of Speaker of the National Assembly Ararat "
        "Mirzoyan."
    )
    assert "Ararat Mirzoyan" in names(x, "person")
    assert ("Ararat Mirzoyan", "Speaker", "National Assembly") in posts(x)


def test_a_board_named_only_in_a_title_is_no_organization(extract) -> None:
    x = extract(
        "Aida Bekova, Chairman of the Board of the Eurasian Economic Commission, spoke in Minsk."
    )
    assert posts(x) == {("Aida Bekova", "Chairman of the Board", "Eurasian Economic Commission")}
    assert names(x, "organization") == {"Eurasian Economic Commission"}


def test_its_head_is_the_head_of_the_body_the_sentence_opens_with(extract) -> None:
    x = extract(
        "ASTANA, 10 March 2023 — The CIS Observer Mission for the elections to the Mazhilis of "
        "the Parliament of the Republic of Kazakhstan has begun its work, its head, First "
        "Deputy Chairman of the CIS Executive Committee Ivan Markov, told journalists."
    )
    assert posts(x) == {
        ("Ivan Markov", "First Deputy Chairman", "CIS Executive Committee"),
        ("Ivan Markov", "Head", "CIS Observer Mission"),
    }


def test_said_at_a_briefing_in_a_city_is_a_briefing_that_day_there(extract) -> None:
    x = extract(
        "KYIV, 18 February 2022. The OSCE Special Monitoring Mission to Ukraine (SMM) recorded "
        "more ceasefire violations in the Donetsk region, its Chief Monitor, Ambassador Maria "
        "Lind, said at a briefing in Kyiv."
    )
    assert ("Maria Lind", "Chief Monitor", "OSCE Special Monitoring Mission to Ukraine") in (
        posts(x)
    )
    assert events(x) == [("Meeting", "2022-02-18", None, people("Maria Lind"), "Kyiv")]


def test_a_rank_after_a_compound_title_is_no_part_of_the_post(extract) -> None:
    x = extract(
        "UNIFIL Head of Mission and Force Commander Major General Paolo Ferri met General "
        "Karim Haddad in Yarzeh."
    )
    assert posts(x) == {
        ("Paolo Ferri", "Head of Mission", "United Nations Interim Force in Lebanon"),
        ("Paolo Ferri", "Force Commander", "United Nations Interim Force in Lebanon"),
    }


def test_compound_title_gives_two_posts(extract) -> None:
    x = extract(
        "Head of Mission and Force Commander of UNIFIL, Major General Aroldo Bellini, "
        "toured the Blue Line on Thursday."
    )
    unifil = "United Nations Interim Force in Lebanon"
    assert posts(x) == {
        ("Aroldo Bellini", "Head of Mission", unifil),
        ("Aroldo Bellini", "Force Commander", unifil),
    }
    assert names(x, "person") == {"Aroldo Bellini"}


def test_deputy_keeps_deputy_in_the_role(extract) -> None:
    x = extract(
        "CSTO Deputy Secretary General Timur Abdrakhmanov chaired the working group. "
        "Maksat Orozbekov, Deputy Chairman of the CIS Executive Committee, also spoke."
    )
    assert posts(x) == {
        ("Timur Abdrakhmanov", "Deputy Secretary General", CSTO),
        ("Maksat Orozbekov", "Deputy Chairman", "CIS Executive Committee"),
    }


def test_former_post_in_apposition(extract) -> None:
    x = extract(
        "The talks were also attended by Nurlan Sadykov, former Chief of the CSTO Joint Staff."
    )
    assert posts(x) == {("Nurlan Sadykov", "Chief", "CSTO Joint Staff")}
    assert former_posts(x) == posts(x)


def test_former_post_before_the_name(extract) -> None:
    x = extract("Former OSCE Secretary General Helga Brandt gave the keynote address in Vienna.")
    osce = "Organization for Security and Co-operation in Europe"
    assert posts(x) == {("Helga Brandt", "Secretary General", osce)}
    assert former_posts(x) == posts(x)


def test_current_post_is_not_former(extract) -> None:
    x = extract("CSTO Secretary General Ivan Markov opened the meeting in Moscow.")
    assert former_posts(x) == set()


def test_permanent_representative_of_a_country_to_an_organization(extract) -> None:
    x = extract(
        "Askar Beisenov, Permanent Representative of Kazakhstan to the CSTO, presented "
        "the draft agenda."
    )
    assert posts(x) == {("Askar Beisenov", "Permanent Representative", CSTO)}
    assert "Kazakhstan" in names(x, "place")


def test_title_in_a_country_gives_no_post(extract) -> None:
    x = extract(
        "Minister of Foreign Affairs of Kazakhstan Yerlan Nurpeisov received the "
        "delegation in Astana."
    )
    assert x.memberships == []
    assert names(x, "person") == {"Yerlan Nurpeisov"}
    assert names(x, "organization") == set()


def test_secretary_general_spellings_share_one_role(extract) -> None:
    x = extract(
        "Zhang Lei, Secretary-General of the SCO, welcomed the decision. Earlier, UN "
        "Secretary General Maria Lindqvist had called for restraint."
    )
    assert posts(x) == {
        ("Zhang Lei", "Secretary General", SCO),
        ("Maria Lindqvist", "Secretary General", "United Nations"),
    }


def test_press_release_signature(extract) -> None:
    x = extract(
        "The CSTO Secretariat will host the next round of consultations in "
        "Yerevan.\n\nThe CSTO Press Secretary\nViktoria Orlova\n"
    )
    assert posts(x) == {("Viktoria Orlova", "Press Secretary", CSTO)}
    assert x.memberships[0].evidence.rule == "role-signature"


# ---------------------------------------------------------------- events


def test_meeting_with_one_counterpart(extract) -> None:
    x = extract(
        "On 25 July 2024, CSTO Secretary General Ivan Markov met Anvar Tashkentov in Moscow."
    )
    assert events(x) == [
        ("Meeting", "2024-07-25", None, people("Ivan Markov", "Anvar Tashkentov"), "Moscow")
    ]
    assert x.events[0].label == "met"


def test_meetings_with_several_counterparts_one_each(extract) -> None:
    x = extract(
        "On 3 April 2024, in Bishkek, Deputy Secretary General Timur Abdrakhmanov held "
        "meetings with Kubat Osmonov, Aida Bekova and Erlan Mamytov."
    )
    assert events(x) == [
        ("Meeting", "2024-04-03", None, people("Timur Abdrakhmanov", other), "Bishkek")
        for other in ("Kubat Osmonov", "Aida Bekova", "Erlan Mamytov")
    ]


def test_meetings_during_a_visit_have_the_traveller_as_subject(extract) -> None:
    x = extract(
        "During a visit to Kyrgyzstan, CSTO Deputy Secretary General Ivan Markov held "
        "meetings with President of the Kyrgyz Republic Kubat-Bek Osmonov and Aida Bekova, "
        "CSTO Press Secretary Lena Orlova told TASS on Friday."
    )
    found = events(x)
    assert ("Visit", None, None, people("Ivan Markov", "Kyrgyzstan"), "Kyrgyzstan") in found
    meetings = {e[3] for e in found if e[0] == "Meeting"}
    # one meeting per counterpart; who told the news took part in neither
    assert meetings == {
        people("Ivan Markov", "Kubat-Bek Osmonov"),
        people("Ivan Markov", "Aida Bekova"),
    }


def test_a_hyphenated_given_name_after_a_title_is_one_person(extract) -> None:
    x = extract("President of the Republic of Kazakhstan Kassym-Bek Nurlanov opened the forum.")
    assert "Kassym-Bek Nurlanov" in names(x, "person")


def test_talks_told_of_again_are_not_a_new_meeting(extract) -> None:
    x = extract(
        "On 4 June 2024, Ivan Markov held talks with Anvar Tashkentov and Kubat Osmonov in "
        "Bishkek. According to Markov, the talks with Tashkentov and Osmonov focused on the "
        "preparations for the meetings of the CSTO Collective Security Council in Minsk in "
        "November."
    )
    assert events(x) == [
        ("Meeting", "2024-06-04", None, people("Ivan Markov", "Anvar Tashkentov"), "Bishkek"),
        ("Meeting", "2024-06-04", None, people("Ivan Markov", "Kubat Osmonov"), "Bishkek"),
        # the month belongs to the Council's meetings, not to the talks told of again
        ("Meeting", "2024-11", None, people("CSTO Collective Security Council"), "Minsk"),
    ]


def test_addressed_the_meeting_of_a_body_is_one_meeting(extract) -> None:
    x = extract(
        "Ivan Markov addressed the 12th meeting of the CSTO Council of Foreign Ministers, "
        "held by videoconference on 14 May 2024."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-05-14",
            None,
            people("Ivan Markov", "CSTO Council of Foreign Ministers"),
            None,
        )
    ]


def test_an_undated_meeting_told_twice_is_one_event(extract) -> None:
    x = extract(
        "Ivan Markov held talks with Anvar Tashkentov in Astana. In his talks with Tashkentov, "
        "Markov went over the situation in Central Asia."
    )
    assert events(x) == [
        ("Meeting", None, None, people("Ivan Markov", "Anvar Tashkentov"), "Astana")
    ]


def test_being_received_in_a_city_is_a_visit_and_a_meeting(extract) -> None:
    x = extract(
        "ASTANA, 12 March 2024 — Ivan Markov, Secretary General of the CSTO, was received "
        "in Astana today by Nurlan Abenov, President of the Republic of Kazakhstan."
    )
    assert events(x) == [
        ("Meeting", "2024-03-12", None, people("Ivan Markov", "Nurlan Abenov"), "Astana"),
        (
            "Visit",
            "2024-03-12",
            None,
            people("Ivan Markov", "Nurlan Abenov", "Kazakhstan"),
            "Astana",
        ),
    ]


def test_the_next_session_of_a_body_is_the_bodys_gathering(extract) -> None:
    x = extract(
        "On 1 July 2024, Ivan Markov held talks with Anvar Tashkentov in Dushanbe. They also "
        "discussed preparations for the next session of the CSTO Collective Security "
        "Council, which Dushanbe will host later this year.",
        published=date(2024, 7, 3),
    )
    assert events(x)[1:] == [
        ("Meeting", "2024-07-03", "2024-12-31", people("CSTO Collective Security Council"),
         "Dushanbe"),
    ]


def test_part_of_a_session_just_reported_is_no_new_meeting(extract) -> None:
    x = extract(
        "The CSTO Collective Security Council met in Minsk on 23 November 2023 with Ivan "
        "Markov in attendance. The leaders first met in a narrow format; a plenary sitting "
        "of the leaders followed."
    )
    assert [e[1] for e in events(x)] == ["2023-11-23"]


def test_the_main_clause_subject_is_who_he_is_next(extract) -> None:
    x = extract(
        "The CSTO Collective Security Council met in Minsk on 23 November 2023.\n\nTalking to "
        "reporters after the summit, Ivan Markov said the session went well. He said he had "
        "raised the border in a conversation with Anvar Tashkentov."
    )
    assert (
        "Meeting", None, None, people("Ivan Markov", "Anvar Tashkentov"), None
    ) in events(x)


def test_a_post_named_in_place_of_its_holder_is_that_person(extract) -> None:
    x = extract(
        "On 12 May 2024, Ivan Markov, Chairman of the CIS Executive Committee, held talks in "
        "Dushanbe with Anvar Tashkentov.\n\nOn 14 May 2024, the head of the CIS Executive "
        "Committee met Kubat Osmonov in Bishkek."
    )
    assert ("Meeting", "2024-05-14", None, people("Ivan Markov", "Kubat Osmonov"), "Bishkek") in (
        events(x)
    )


def test_a_bare_title_names_the_one_holder_of_that_post(extract) -> None:
    x = extract(
        "CSTO Secretary General Ivan Markov arrived in Astana on 3 June 2024.\n\nOn 4 June "
        "2024, Anvar Tashkentov received the Secretary General."
    )
    assert ("Meeting", "2024-06-04", None, people("Ivan Markov", "Anvar Tashkentov"), None) in (
        events(x)
    )


def test_the_president_alone_names_no_one(extract) -> None:
    x = extract(
        "On 4 June 2024, CSTO Secretary General Ivan Markov met Aida Bekova, Assistant to the "
        "President of Kyrgyzstan."
    )
    assert events(x) == [
        ("Meeting", "2024-06-04", None, people("Ivan Markov", "Aida Bekova"), None)
    ]


def test_a_date_in_another_clause_does_not_date_the_talks(extract) -> None:
    x = extract(
        "On 2 February 2024, Ivan Markov received Anvar Tashkentov in Beijing.\n\nThe "
        "conversation focused on the observer status, which the SCO Heads of State Council "
        "decided to grant in September 2023."
    )
    assert [e[1] for e in events(x)] == ["2024-02-02"]


def test_an_embassy_of_a_country_and_a_charge_d_affaires(extract) -> None:
    x = extract(
        "On 20 January 2024, Ivan Markov met Kubat Osmonov, Chargé d'Affaires ad interim of "
        "the Embassy of the Republic of Uzbekistan."
    )
    assert "Embassy of the Republic of Uzbekistan" in names(x, "organization")
    assert "Chargé d'Affaires" not in names(x, "organization")
    assert posts(x) == {
        ("Kubat Osmonov", "Chargé d'Affaires ad interim", "Embassy of the Republic of Uzbekistan")
    }
    assert events(x) == [
        ("Meeting", "2024-01-20", None, people("Ivan Markov", "Kubat Osmonov"), None)
    ]


def test_what_a_debate_is_about_takes_no_part_in_it(extract) -> None:
    x = extract(
        "On 25 September 2023, the UN Security Council held a debate in New York on the "
        "contribution of the CSTO, the CIS and the SCO to countering terrorism."
    )
    assert events(x) == [
        ("Meeting", "2023-09-25", None, people("United Nations Security Council"), "New York City")
    ]


def test_who_addresses_or_briefs_the_gathering_just_told_of_takes_part(extract) -> None:
    x = extract(
        "NEW YORK, 16 February 2024\n\nThe UN Security Council today held an open debate on "
        "cooperation with the CSTO.\n\nAddressing the meeting, UN Secretary-General Maria "
        "Lind argued for closer ties with regional partners.\n\nCSTO Secretary General Ivan "
        "Markov briefed the Council on the peacekeeping deployment carried out in Kazakhstan "
        "in January."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-02-16",
            None,
            people("United Nations Security Council", "Maria Lind", "Ivan Markov"),
            "New York City",
        )
    ]


def test_foreign_ministers_of_countries_bring_their_countries(extract) -> None:
    x = extract(
        "The CIS Council of Foreign Ministers will meet in Dushanbe on 13 May 2024. The "
        "foreign ministers of Armenia, Belarus and Moldova are expected to attend."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-05-13",
            None,
            people("CIS Council of Foreign Ministers", "Armenia", "Belarus", "Moldova"),
            "Dushanbe",
        )
    ]


def test_a_programme_of_meetings_keeps_its_subject(extract) -> None:
    x = extract(
        "Maria Lind will visit Moscow from 21 to 24 June 2024. Her programme includes a "
        "meeting with members of the Federation Council who make up Russia's delegation to "
        "the OSCE Parliamentary Assembly, a meeting with Ivan Markov, an address to the CSTO "
        "Permanent Council, and a speech at the Moscow Conference on International Security, "
        "which runs from June 22 to 24."
    )
    meetings = [(e[1], e[2], e[3]) for e in events(x) if e[0] == "Meeting"]
    assert meetings == [
        (
            "2024-06-21",
            "2024-06-24",
            people(
                "Maria Lind",
                "Federation Council of the Federal Assembly of the Russian Federation",
                "Russia",
            ),
        ),
        ("2024-06-21", "2024-06-24", people("Maria Lind", "Ivan Markov")),
        ("2024-06-21", "2024-06-24", people("Maria Lind", "CSTO Permanent Council")),
        ("2024-06-22", "2024-06-24", people("Maria Lind")),
    ]


def test_a_body_at_its_own_meeting_is_the_only_party(extract) -> None:
    x = extract(
        "Maria Lind was appointed by the OSCE Ministerial Council at its meeting in "
        "December 2023."
    )
    assert events(x) == [("Meeting", "2023-12", None, people("OSCE Ministerial Council"), None)]


def test_a_union_of_a_country_is_an_organization(extract) -> None:
    x = extract("She will also meet representatives of the Women's Union of Russia.")
    assert "Women's Union of Russia" in names(x, "organization")


def test_the_one_word_name_after_the_is_no_person(extract) -> None:
    x = extract(
        "On 28 May 2024, Maria Lind and Ivan Markov visited the Novotroitske checkpoint."
    )
    assert names(x, "person") == {"Maria Lind", "Ivan Markov"}
    assert "Novotroitske" in names(x, "place")


def test_a_council_of_representatives_is_named_with_what_they_are_accredited_to(extract) -> None:
    name = (
        "Council of Permanent Plenipotentiary Representatives of the CIS Member States to "
        "the Statutory and Other Bodies of the Commonwealth"
    )
    x = extract(
        f"News of the Council of Permanent Plenipotentiary Representatives\n\nThe {name} met."
    )
    council = entity(x, name)
    assert "Council of Permanent Plenipotentiary Representatives" in council.forms()


def test_the_presiding_country_and_a_represented_country_take_part(extract) -> None:
    x = extract(
        "The CIS Council of Foreign Ministers held its meeting in Minsk on 16 October 2024 "
        "under the presidency of Turkmenistan. Ivan Markov took part on 20 October 2024 in "
        "the CIS Council of Heads of State session, at which Kyrgyzstan was represented by "
        "Aida Bekova."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-10-16",
            None,
            people("CIS Council of Foreign Ministers", "Turkmenistan"),
            "Minsk",
        ),
        (
            "Meeting",
            "2024-10-20",
            None,
            people("Ivan Markov", "CIS Council of Heads of State", "Kyrgyzstan", "Aida Bekova"),
            None,
        ),
    ]


def test_joining_by_video_link_is_taking_part(extract) -> None:
    x = extract(
        "The CSTO Permanent Council met in Moscow on 28 August 2024. Ivan Markov was "
        "present, while Kubat Osmonov joined by video link from Bishkek."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-08-28",
            None,
            people("CSTO Permanent Council", "Ivan Markov", "Kubat Osmonov"),
            "Moscow",
        )
    ]


def test_a_news_page_of_one_council_means_it_by_the_council(extract) -> None:
    x = extract(
        "News of the CSTO Permanent Council\n\n20 June 2024\n\nThe CSTO Permanent Council "
        "met in Moscow today. The members heard a report on the CSTO Council of Foreign "
        "Ministers.\n\n28 August 2024\n\nAt its meeting in Moscow on 28 August, the "
        "Council, presided over by Aida Bekova, approved Ivan Markov as Head of the CSTO "
        "Mission. The next meeting is scheduled for 26 September."
    )
    found = events(x)
    assert (
        "Meeting", "2024-08-28", None, people("CSTO Permanent Council", "Aida Bekova"), "Moscow"
    ) in found
    assert ("Meeting", "2024-09-26", None, people("CSTO Permanent Council"), None) in found


def test_taking_part_in_a_bodys_meeting_is_one_meeting(extract) -> None:
    x = extract(
        "Ivan Markov took part on 20 June 2024 in the CSTO Permanent Council's regular "
        "meeting in Minsk, at which Kyrgyzstan was represented by its chargé d'affaires in "
        "Belarus, Aida Bekova."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-06-20",
            None,
            people("Ivan Markov", "CSTO Permanent Council", "Kyrgyzstan", "Aida Bekova"),
            "Minsk",
        )
    ]


def test_coordinated_verbs_share_their_subject(extract) -> None:
    x = extract(
        "On 12 March 2025, Maria Lind held talks with Minister of Foreign Affairs Daniyar "
        "Suranov and met the Head of the OSCE Programme Office in Bishkek, Lucia Ferrante."
    )
    assert [e[3] for e in events(x)] == [
        people("Maria Lind", "Daniyar Suranov"),
        people("Maria Lind", "Lucia Ferrante"),
    ]


def test_meetings_before_a_session_are_new_and_on_its_day(extract) -> None:
    x = extract(
        "The CIS Council of Foreign Ministers met in Minsk on 4 April 2025. Pavel Ronin "
        "opened the session.\n\nBefore the session, Ronin held separate meetings with the "
        "foreign ministers of Armenia and Uzbekistan."
    )
    assert events(x) == [
        (
            "Meeting",
            "2025-04-04",
            None,
            people("CIS Council of Foreign Ministers", "Pavel Ronin"),
            "Minsk",
        ),
        ("Meeting", "2025-04-04", None, people("Pavel Ronin", "Armenia"), "Minsk"),
        ("Meeting", "2025-04-04", None, people("Pavel Ronin", "Uzbekistan"), "Minsk"),
    ]


def test_a_meeting_before_a_visit_in_one_sentence(extract) -> None:
    x = extract(
        "On 14 March 2023, Ivan Markov held a meeting with Aida Bekova and visited the "
        "Eurasian National University."
    )
    assert [(e[0], e[3]) for e in events(x)] == [
        ("Visit", people("Ivan Markov", "Eurasian National University")),
        ("Meeting", people("Ivan Markov", "Aida Bekova")),
    ]


def test_will_travel_to_a_city(extract) -> None:
    x = extract("On 15 March 2023, Ivan Markov will travel to Almaty.")
    # the host country takes part only where the article names it
    assert events(x) == [("Visit", "2023-03-15", None, people("Ivan Markov"), "Almaty")]
    x = extract("In Kazakhstan, on 15 March 2023, Ivan Markov will travel to Almaty.")
    assert events(x) == [
        ("Visit", "2023-03-15", None, people("Ivan Markov", "Kazakhstan"), "Almaty")
    ]


def test_received_by_and_held_talks_share_the_subject(extract) -> None:
    x = extract(
        "The OSCE Chairperson-in-Office, Polish Foreign Minister Jan Kowal, paid a two-day "
        "visit to Tajikistan on 3 and 4 May 2022. He was received by President Aziz Karimov "
        "and held talks with Foreign Minister Rustam Nazarov."
    )
    assert ("Jan Kowal", "Chairperson in Office", "Organization for Security and Co-operation "
            "in Europe") in posts(x)
    assert events(x) == [
        ("Visit", "2022-05-03", "2022-05-04", people("Jan Kowal", "Tajikistan"), "Tajikistan"),
        ("Meeting", "2022-05-03", "2022-05-04", people("Jan Kowal", "Aziz Karimov"), "Tajikistan"),
        (
            "Meeting",
            "2022-05-03",
            "2022-05-04",
            people("Jan Kowal", "Rustam Nazarov"),
            "Tajikistan",
        ),
    ]


def test_a_trip_to_a_region_is_a_visit_to_its_country(extract) -> None:
    x = extract(
        "Ivan Markov travelled to Tajikistan twice in 2021. In April 2021 he travelled to the "
        "border, inspecting the Shuroobod section in Khatlon Province."
    )
    assert "Shuroobod" in names(x, "place")
    assert ("Visit", "2021-04", None, people("Ivan Markov", "Tajikistan"), "Khatlon") in events(x)


def test_a_year_alone_dates_a_gathering(extract) -> None:
    x = extract("The next session of the CSTO Collective Security Council will be held in 2025.")
    assert events(x) == [
        ("Meeting", "2025-01-01", "2025-12-31", people("CSTO Collective Security Council"), None)
    ]


def test_a_un_dateline_and_meetings_around_the_days_briefing(extract) -> None:
    x = extract(
        "UNITED NATIONS, New York, 9 June 2023 — The Security Council today heard a briefing "
        "by Maria Lind on the region.\n\nMs. Lind said the situation had worsened since her "
        "last briefing in December. She also met separately with Ivan Markov before the "
        "meeting.\n\nThree days earlier, Ms. Lind had held consultations with Aida Bekova "
        "in Libreville.",
        published=None,
    )
    assert events(x) == [
        ("Meeting", "2023-06-09", None, people("United Nations Security Council", "Maria Lind"),
         None),
        ("Meeting", "2023-06-09", None, people("Maria Lind", "Ivan Markov"), None),
        ("Meeting", "2023-06-06", None, people("Maria Lind", "Aida Bekova"), "Libreville"),
    ]


def test_a_gathering_whose_parties_the_next_sentence_names(extract) -> None:
    x = extract(
        "A round table on information security was held at the CSTO Secretariat in Moscow on "
        "31 March 2023. Experts from the Belarusian State University and the Kazakh Institute "
        "for Strategic Studies took part."
    )
    assert events(x) == [
        (
            "Meeting",
            "2023-03-31",
            None,
            people("Belarusian State University", "Kazakh Institute for Strategic Studies"),
            "Moscow",
        )
    ]


def test_a_gathering_prepared_for_is_dated_by_its_own_date(extract) -> None:
    x = extract(
        "Minsk, 3 October 2022. Andrei Sokolov and Mikhail Petrovsky met in Minsk on Monday to "
        "review preparations for the meeting of the Supreme Eurasian Economic Council.\n\n"
        "The Supreme Council is expected to convene in Bishkek on 9 December.\n\nEarlier that "
        "day, Petrovsky took part in a session of the CSTO Permanent Council."
    )
    assert events(x) == [
        ("Meeting", "2022-10-03", None, people("Andrei Sokolov", "Mikhail Petrovsky"), "Minsk"),
        ("Meeting", "2022-12-09", None, people("Supreme Eurasian Economic Council"), "Bishkek"),
        (
            "Meeting",
            "2022-10-03",
            None,
            people("Mikhail Petrovsky", "CSTO Permanent Council"),
            "Minsk",  # the dateline's city, for what happened on the news day
        ),
    ]


def test_a_three_day_visit_runs_three_days(extract) -> None:
    x = extract(
        "On 16 January 2022, Maria Lind arrived in Bamako for a three-day visit to Mali. During "
        "her stay she will meet Foreign Minister Amadou Keita, as well as the head of MINUSMA, "
        "Paul Dubois."
    )
    assert ("Paul Dubois", "Head", "United Nations Multidimensional Integrated Stabilization "
            "Mission in Mali") in posts(x)
    assert not any(p[0] == "Amadou Keita" for p in posts(x))
    assert events(x)[0] == (
        "Visit", "2022-01-16", "2022-01-18", people("Maria Lind", "Mali"), "Bamako"
    )
    assert [e[1:3] for e in events(x)[1:]] == [("2022-01-16", "2022-01-18")] * 2


def test_the_nth_meeting_of_a_bodys_council_with_delegations(extract) -> None:
    x = extract(
        "The SCO Regional Anti-Terrorist Structure held the 39th meeting of its Council in "
        "Tashkent. Delegations of India, China and Russia took part. The meeting was chaired by "
        "Ravshan Tursunov. Director of the RATS Executive Committee Bakhtiyor Nazarov briefed the "
        "participants."
    )
    assert events(x) == [
        (
            "Meeting",
            None,
            None,
            people(
                "SCO Regional Anti-Terrorist Structure",
                "India",
                "China",
                "Russia",
                "Ravshan Tursunov",
                "Bakhtiyor Nazarov",
            ),
            "Tashkent",
        )
    ]


def test_the_delegation_holds_talks_and_its_leader_has_a_post(extract) -> None:
    x = extract(
        "A delegation of the OSCE Parliamentary Assembly led by its President, Anna Virtanen, "
        "arrived in Yerevan on 14 November 2023 for a working visit. The delegation held talks "
        "with Foreign Minister Ararat Mirzoyan."
    )
    assert posts(x) == {("Anna Virtanen", "President", "OSCE Parliamentary Assembly")}
    assert events(x)[1] == (
        "Meeting",
        "2023-11-14",
        None,
        people("OSCE Parliamentary Assembly", "Anna Virtanen", "Ararat Mirzoyan"),
        "Yerevan",
    )


def test_the_body_that_tells_the_news_takes_no_part(extract) -> None:
    x = extract(
        "On 2 March 2022, Ivan Markov held a telephone conversation with Kubat Osmonov, the CIS "
        "Executive Committee said."
    )
    assert events(x) == [
        ("Meeting", "2022-03-02", None, people("Ivan Markov", "Kubat Osmonov"), None)
    ]


def test_a_ministers_portfolio_is_no_organization(extract) -> None:
    x = extract(
        "The ministers met in Cape Town on 1 June 2023 under the chairmanship of South "
        "Africa's Minister of International Relations and Cooperation Naledi Pandor."
    )
    assert "Naledi Pandor" in names(x, "person")
    assert names(x, "organization") == set()


def test_preparations_for_a_bodys_session_are_no_part_of_it(extract) -> None:
    x = extract(
        "20.09.2022\n\nCSTO Secretary General Ivan Markov received Ambassador Kubat Osmonov "
        "at the CSTO Secretariat. Ambassador Osmonov informed the Secretary General about the "
        "preparations for the CSTO Collective Security Council session to be held in Yerevan "
        "on 23 November. On the same day, Markov had a telephone conversation with Aida "
        "Bekova."
    )
    found = events(x)
    assert ("Meeting", "2022-11-23", None, people("CSTO Collective Security Council"),
            "Yerevan") in found
    assert ("Meeting", "2022-09-20", None, people("Ivan Markov", "Aida Bekova"), None) in found


def test_welcoming_someone_named_is_a_meeting(extract) -> None:
    x = extract(
        "TASHKENT, 7 September 2022. President Aziz Karimov welcomed SCO Secretary-General "
        "Li Wen in Tashkent on Tuesday. A meeting between Li Wen and Foreign Minister Rustam "
        "Nazarov followed."
    )
    assert events(x) == [
        ("Meeting", "2022-09-06", None, people("Aziz Karimov", "Li Wen"), "Tashkent"),
        ("Meeting", "2022-09-06", None, people("Li Wen", "Rustam Nazarov"), "Tashkent"),
    ]


def test_the_meeting_of_another_body_is_another_gathering(extract) -> None:
    x = extract(
        "On 12 October 2021, the heads of delegations of the CSTO member states met in "
        "Dushanbe on the margins of the CSTO Collective Security Council session. Ivan Markov "
        "and Kubat Osmonov held a bilateral meeting on the margins of the summit.\n\nAida "
        "Bekova participated in the meeting of the CSTO Council of Foreign Ministers the day "
        "before."
    )
    found = events(x)
    assert found[0] == ("Meeting", "2021-10-12", None, people(CSTO), "Dushanbe")
    assert ("Meeting", "2021-10-12", None, people("Ivan Markov", "Kubat Osmonov"), "Dushanbe") in (
        found
    )
    assert (
        "Meeting", "2021-10-11", None, people("Aida Bekova", "CSTO Council of Foreign Ministers"),
        None,
    ) in found


def test_a_ministerial_session_is_of_the_council_of_ministers(extract) -> None:
    x = extract(
        "DUSHANBE, May 12, 2022\n\nIvan Markov discussed the spring meeting of the CIS "
        "Council of Foreign Ministers.\n\nMarkov came to Dushanbe to take part in the "
        "ministerial session, which will be held tomorrow."
    )
    assert ("Meeting", "2022-05-13", None, people("Ivan Markov", "CIS Council of Foreign "
            "Ministers"), None) in events(x)


def test_attending_a_forum_on_another_day_is_its_own_event(extract) -> None:
    x = extract(
        "On 7 September 2022, Li Wen held talks with Rustam Nazarov in Tashkent. They signed a "
        "memorandum on the hosting of the SCO summit.\n\nOn 8 September 2022, Li Wen attended "
        "the opening of the SCO Youth Forum in Samarkand."
    )
    assert events(x) == [
        ("Meeting", "2022-09-07", None, people("Li Wen", "Rustam Nazarov"), "Tashkent"),
        ("Meeting", None, None, people(SCO), None),
        ("Meeting", "2022-09-08", None, people("Li Wen", "SCO Youth Forum"), "Samarkand"),
    ]
    assert x.events[2].evidence.rule == "event-attended"


def test_the_delegation_was_received_is_a_new_meeting(extract) -> None:
    x = extract(
        "A delegation of the CSTO Joint Staff headed by Ivan Markov paid a working visit to "
        "the Kyrgyz Republic on 30 May – 2 June 2024. The delegation was received by Minister "
        "of Defence Kubat Osmonov."
    )
    assert events(x)[1] == (
        "Meeting",
        "2024-05-30",
        "2024-06-02",
        people("CSTO Joint Staff", "Ivan Markov", "Kubat Osmonov"),
        "Kyrgyzstan",
    )


def test_presenting_to_a_council_is_a_sitting_and_a_ministers_title_no_body(extract) -> None:
    x = extract(
        "09.11.2023\n\nOn 8 November, Maria Lind met with the Minister of Foreign Affairs of the "
        "Kyrgyz Republic Kubat Osmonov. Lind presented the 2024 programme budget to the OSCE "
        "Permanent Council on Thursday. Ambassador Ivan Markov took part in the discussion."
    )
    assert "Minister of Foreign Affairs" not in names(x, "organization")
    assert events(x) == [
        ("Meeting", "2023-11-08", None, people("Maria Lind", "Kubat Osmonov"), None),
        (
            "Meeting",
            "2023-11-09",
            None,
            people("Maria Lind", "OSCE Permanent Council", "Ivan Markov"),
            None,
        ),
    ]


def test_heads_of_government_of_countries_and_talks_on_the_eve(extract) -> None:
    x = extract(
        "The CIS Council of Heads of Government met in Minsk. Aida Bekova chaired the meeting; "
        "the heads of government of Armenia and Kyrgyzstan took part.\n\nOn the eve of the "
        "meeting, Ivan Markov and Kubat Osmonov held bilateral talks."
    )
    assert names(x, "organization") == {
        "CIS Council of Heads of Government",
        "Commonwealth of Independent States",
    }
    assert [e[3] for e in events(x)] == [
        people("CIS Council of Heads of Government", "Aida Bekova", "Armenia", "Kyrgyzstan"),
        people("Ivan Markov", "Kubat Osmonov"),
    ]


def test_observers_from_countries_attend_and_two_weekdays_are_a_range(extract) -> None:
    x = extract(
        "ALMATY, 9 June 2023 – The Eurasian Intergovernmental Council held its meeting in "
        "Almaty on Thursday and Friday. Observers from Uzbekistan and Cuba also attended."
    )
    assert events(x) == [
        (
            "Meeting",
            "2023-06-08",
            "2023-06-09",
            people("Eurasian Intergovernmental Council", "Uzbekistan", "Cuba"),
            "Almaty",
        )
    ]


def test_session_with_several_participants_is_one_meeting(extract) -> None:
    x = extract(
        "On 14 November 2023, the CSTO Collective Security Council held a session in "
        "Minsk chaired by Aleksandr Borisov, with Ivan Markov, Anvar Tashkentov and "
        "Kubat Osmonov taking part."
    )
    assert events(x) == [
        (
            "Meeting",
            "2023-11-14",
            None,
            people(
                "CSTO Collective Security Council",
                "Aleksandr Borisov",
                "Ivan Markov",
                "Anvar Tashkentov",
                "Kubat Osmonov",
            ),
            "Minsk",
        )
    ]


def test_summit_with_several_participants_is_one_meeting(extract) -> None:
    x = extract(
        "On 28 November 2024, Ivan Markov, Li Wen and Maksat Orozbekov took part in the "
        "summit in Astana."
    )
    assert events(x) == [
        (
            "Meeting",
            "2024-11-28",
            None,
            people("Ivan Markov", "Li Wen", "Maksat Orozbekov"),
            "Astana",
        )
    ]


def test_he_also_met_resolves_to_the_previous_subject(extract) -> None:
    x = extract(
        "On 10 March 2024, Ivan Markov met Armen Hakobyan, Secretary of the Security "
        "Council of Armenia, in Yerevan. He also met Gohar Sargsyan, the Speaker of the "
        "National Assembly."
    )
    assert events(x) == [
        ("Meeting", "2024-03-10", None, people("Ivan Markov", "Armen Hakobyan"), "Yerevan"),
        ("Meeting", "2024-03-10", None, people("Ivan Markov", "Gohar Sargsyan"), "Yerevan"),
    ]


def test_arrival_in_a_city_is_a_visit_to_its_country(extract) -> None:
    x = extract(
        "On 10 March 2024, Ivan Markov arrived in Yerevan, the capital of Armenia, for a "
        "two-day visit."
    )
    # a two-day visit from 10 March runs to 11 March
    assert events(x) == [
        ("Visit", "2024-03-10", "2024-03-11", people("Ivan Markov", "Armenia"), "Yerevan")
    ]


def test_working_trip_to_a_country(extract) -> None:
    x = extract(
        "From December 5 to 9, 2021, Major General Aroldo Bellini was on a working trip to Lebanon."
    )
    assert events(x) == [
        ("Visit", "2021-12-05", "2021-12-09", people("Aroldo Bellini", "Lebanon"), "Lebanon")
    ]
    assert x.events[0].label == "working trip"


def test_visited_country_is_host_and_place(extract) -> None:
    x = extract(
        "Last week Ivan Markov visited Kazakhstan for the first time since taking office.",
        date(2024, 5, 13),
    )
    assert events(x) == [
        ("Visit", "2024-05-06", "2024-05-12", people("Ivan Markov", "Kazakhstan"), "Kazakhstan")
    ]


def test_place_is_the_most_specific(extract) -> None:
    x = extract(
        "Ivan Markov, who is in Kazakhstan for the anniversary events, met Askar "
        "Beisenov in Astana on 2 October 2024."
    )
    assert events(x) == [
        ("Meeting", "2024-10-02", None, people("Ivan Markov", "Askar Beisenov"), "Astana")
    ]


def test_telephone_conversation_is_a_meeting(extract) -> None:
    x = extract(
        "On 12 February 2024, Ivan Markov held a telephone conversation with Li Wen, "
        "Secretary General of the SCO."
    )
    assert events(x) == [("Meeting", "2024-02-12", None, people("Ivan Markov", "Li Wen"), None)]
    assert posts(x) == {("Li Wen", "Secretary General", SCO)}


def test_videoconference_is_a_meeting(extract) -> None:
    x = extract("On 5 May 2024, Ivan Markov and Li Wen held talks by videoconference.")
    assert events(x) == [("Meeting", "2024-05-05", None, people("Ivan Markov", "Li Wen"), None)]


def test_talks_during_a_visit_inherit_its_dates(extract) -> None:
    x = extract(
        "From 18 to 20 June 2024, Ivan Markov paid a working visit to Tajikistan. "
        "During the visit he held talks with Rustam Nazarov."
    )
    assert events(x) == [
        ("Visit", "2024-06-18", "2024-06-20", people("Ivan Markov", "Tajikistan"), "Tajikistan"),
        (
            "Meeting",
            "2024-06-18",
            "2024-06-20",
            people("Ivan Markov", "Rustam Nazarov"),
            "Tajikistan",
        ),
    ]


def test_meeting_in_headline_and_body_is_one_event(extract) -> None:
    x = extract(
        "Markov meets Nazarov in Dushanbe\n\nIvan Markov met Rustam Nazarov in Dushanbe "
        "on 19 June 2024 to discuss border security."
    )
    assert events(x) == [
        ("Meeting", "2024-06-19", None, people("Ivan Markov", "Rustam Nazarov"), "Dushanbe")
    ]


# ---------------------------------------------------------------- dates


def test_day_month_year(extract) -> None:
    x = extract("On 25 July 2024, Ivan Markov met Rustam Nazarov in Dushanbe.", date(2024, 8, 2))
    assert [(e[0], e[1], e[2]) for e in events(x)] == [("Meeting", "2024-07-25", None)]


def test_date_line_is_the_item_date(extract) -> None:
    x = extract(
        "08.12.2021\n\nYesterday, CSTO Secretary General Ivan Markov met Anvar "
        "Tashkentov, Permanent Representative of Uzbekistan to the CIS, in Moscow.",
        date(2022, 1, 10),
    )
    assert events(x) == [
        ("Meeting", "2021-12-07", None, people("Ivan Markov", "Anvar Tashkentov"), "Moscow")
    ]


def test_range_within_one_month(extract) -> None:
    x = extract(
        "From December 5 to 9, 2021, a CSTO delegation led by Ivan Markov visited Kazakhstan.",
        date(2021, 12, 10),
    )
    assert [(e[0], e[1], e[2]) for e in events(x)] == [("Visit", "2021-12-05", "2021-12-09")]


def test_day_without_year_takes_the_published_year(extract) -> None:
    x = extract("On May 18, Ivan Markov met Rustam Nazarov in Dushanbe.", date(2023, 5, 20))
    assert [(e[0], e[1]) for e in events(x)] == [("Meeting", "2023-05-18")]


def test_yesterday_against_the_published_date(extract) -> None:
    x = extract("Ivan Markov met Rustam Nazarov in Dushanbe yesterday.", date(2023, 5, 20))
    assert [(e[0], e[1]) for e in events(x)] == [("Meeting", "2023-05-19")]


def test_today_against_the_published_date(extract) -> None:
    x = extract("Ivan Markov is meeting Rustam Nazarov in Dushanbe today.", date(2023, 5, 20))
    assert [(e[0], e[1]) for e in events(x)] == [("Meeting", "2023-05-20")]


def test_each_news_item_dates_its_own_events(extract) -> None:
    x = extract(
        "14.03.2022\nYesterday, Ivan Markov met Rustam Nazarov in Dushanbe.\n\n"
        "02.03.2022\nToday, Timur Abdrakhmanov met Kubat Osmonov in Bishkek.\n",
        date(2022, 3, 15),
    )
    assert events(x) == [
        ("Meeting", "2022-03-13", None, people("Ivan Markov", "Rustam Nazarov"), "Dushanbe"),
        ("Meeting", "2022-03-02", None, people("Timur Abdrakhmanov", "Kubat Osmonov"), "Bishkek"),
    ]


def test_month_of_this_year(extract) -> None:
    x = extract("Ivan Markov visited Kazakhstan in June of this year.", date(2023, 9, 1))
    assert [(e[0], e[1], e[2], e[3]) for e in events(x)] == [
        ("Visit", "2023-06", None, people("Ivan Markov", "Kazakhstan"))
    ]


def test_no_date_in_the_text_gives_none(extract) -> None:
    x = extract("Ivan Markov met Rustam Nazarov in Dushanbe to discuss border security.", None)
    assert events(x) == [
        ("Meeting", None, None, people("Ivan Markov", "Rustam Nazarov"), "Dushanbe")
    ]


# ---------------------------------------------------------------- evidence

EVIDENCE_TEXT = (
    "CSTO Secretary General Ivan Markov arrived in Dushanbe on 18 June 2024. "
    "Rustam Nazarov, Permanent Representative of Tajikistan to the CSTO, welcomed him. "
    "On 19 June 2024, Ivan Markov met Li Wen, Secretary General of the SCO, in Dushanbe."
)
EVIDENCE_SENTENCES = [
    "CSTO Secretary General Ivan Markov arrived in Dushanbe on 18 June 2024.",
    "Rustam Nazarov, Permanent Representative of Tajikistan to the CSTO, welcomed him.",
    "On 19 June 2024, Ivan Markov met Li Wen, Secretary General of the SCO, in Dushanbe.",
]


def test_facts_of_the_evidence_text(extract) -> None:
    x = extract(EVIDENCE_TEXT)
    assert posts(x) == {
        ("Ivan Markov", "Secretary General", CSTO),
        ("Rustam Nazarov", "Permanent Representative", CSTO),
        ("Li Wen", "Secretary General", SCO),
    }
    assert events(x) == [
        ("Visit", "2024-06-18", None, people("Ivan Markov", "Tajikistan"), "Dushanbe"),
        ("Meeting", "2024-06-19", None, people("Ivan Markov", "Li Wen"), "Dushanbe"),
    ]


def test_every_fact_has_its_sentence_rule_and_confidence(extract) -> None:
    x = extract(EVIDENCE_TEXT)
    text = x.document.text
    facts = [(m.evidence, x.entities[m.person].name) for m in x.memberships]
    facts += [(e.evidence, x.entities[e.participants[0]].name) for e in x.events]
    assert facts
    for evidence, name in facts:
        sentence = text[evidence.sentence.start : evidence.sentence.end].strip()
        assert sentence in EVIDENCE_SENTENCES
        assert name in sentence
    for event in x.events:
        sentence = text[event.evidence.sentence.start : event.evidence.sentence.end]
        assert event.label in sentence.lower()
    for evidence, _ in facts:
        assert evidence.rule in RULES
        assert 0.0 <= evidence.confidence <= 1.0


def test_evidence_sentence_of_each_fact(extract) -> None:
    x = extract(EVIDENCE_TEXT)
    text = x.document.text

    def sentence_of(evidence) -> str:
        return text[evidence.sentence.start : evidence.sentence.end].strip()

    by_post = {(x.entities[m.person].name, m.role): sentence_of(m.evidence) for m in x.memberships}
    assert by_post == {
        ("Ivan Markov", "Secretary General"): EVIDENCE_SENTENCES[0],
        ("Rustam Nazarov", "Permanent Representative"): EVIDENCE_SENTENCES[1],
        ("Li Wen", "Secretary General"): EVIDENCE_SENTENCES[2],
    }
    assert [(e.kind, sentence_of(e.evidence)) for e in x.events] == [
        ("Visit", EVIDENCE_SENTENCES[0]),
        ("Meeting", EVIDENCE_SENTENCES[2]),
    ]


def test_explain_shows_each_fact_with_its_sentence(extract) -> None:
    x = extract(EVIDENCE_TEXT)
    output = explain(x)
    flat = " ".join(output.split())
    assert f"post: Ivan Markov — Secretary General — {CSTO}" in output
    assert f"post: Li Wen — Secretary General — {SCO}" in output
    assert "meeting (met), 2024-06-19 in Dushanbe: Ivan Markov, Li Wen" in output
    for sentence in EVIDENCE_SENTENCES:
        assert f"“{sentence}”" in flat
    for m in x.memberships:
        assert f"rule {m.evidence.rule}, confidence {m.evidence.confidence:.2f}" in output


# Ministers and ministries ---------------------------------------------------------------------


def test_a_minister_holds_a_post_in_the_ministry_the_article_names(extract) -> None:
    x = extract(
        "Armenia's Minister of Foreign Affairs, Tigran Vardanyan, received the delegation in "
        "Yerevan. The Armenian Ministry of Foreign Affairs later published a summary of the talks."
    )
    assert "Armenian Ministry of Foreign Affairs" in names(x, "organization")
    assert (
        "Tigran Vardanyan",
        "Minister of Foreign Affairs",
        "Armenian Ministry of Foreign Affairs",
    ) in posts(x)


def test_a_minister_of_another_country_is_not_put_in_that_ministry(extract) -> None:
    x = extract(
        "Kazakh Deputy Foreign Minister Arman Seitkali met the ambassador in Astana. "
        "The Russian Foreign Ministry said the meeting had been useful."
    )
    assert not any(person == "Arman Seitkali" for person, _, _ in posts(x))


def test_the_mission_refers_to_the_one_mission_the_article_names(extract) -> None:
    x = extract(
        "The OSCE Special Monitoring Mission to Ukraine reported a quieter week. "
        "The head of the mission, Chief Monitor Ivo Lindgren, said patrols would resume."
    )
    assert ("Ivo Lindgren", "Head", "OSCE Special Monitoring Mission to Ukraine") in posts(x)
    # a back-reference is not another name of the mission
    assert "mission" not in {a.lower() for e in x.entities.values() for a in e.aliases}


def test_a_mission_works_where_its_head_serves_or_the_vote_is_held(extract) -> None:
    x = extract(
        "Ivan Markov, who is in the Republic of Armenia as Head of the CSTO Mission, met "
        "officials in Yerevan.\n\nThe Observer Mission of the Shanghai Cooperation "
        "Organisation arrived for Kazakhstan's early presidential election."
    )
    where = {e.name: x.entities[e.location].name for e in x.entities.values()
             if e.kind == "mission" and e.location}
    assert where == {
        "CSTO Mission": "Armenia",
        "SCO Observer Mission": "Kazakhstan",  # the gazetteer's name for it
    }


def test_an_observer_mission_works_in_its_news_items_one_voting_country(extract) -> None:
    x = extract(
        "Sunday's presidential election in Uzbekistan was open, observers said. The head of "
        "the SCO observer mission, Ivan Markov, described the election as legitimate."
    )
    missions = [e for e in x.entities.values() if e.kind == "mission"]
    assert [x.entities[m.location].name for m in missions] == ["Uzbekistan"]


def test_initials_and_a_surname_are_one_person(extract) -> None:
    x = extract(
        "On 3 March 2024, Deputy Foreign Minister A.Yu. Petrenko held consultations with "
        "Ambassador Dorj Batbayar. Talks between Foreign Minister S.V. Orlov and Kubat Osmonov "
        "took place in Moscow the next day."
    )
    assert {"A.Yu. Petrenko", "S.V. Orlov"} <= names(x, "person")
    assert not any(n.startswith("Foreign Minister") for n in names(x, "organization"))


def test_speaking_by_phone_and_a_high_representative(extract) -> None:
    x = extract(
        "On 20 March 2024, NATO Secretary General Lars Berg and EU High Representative Ana "
        "Costa met at NATO headquarters. Berg later spoke by phone with Kemal Aydin."
    )
    assert ("Ana Costa", "High Representative", "European Union") in posts(x)
    assert events(x) == [
        ("Meeting", "2024-03-20", None, people("Lars Berg", "Ana Costa"), None),
        ("Meeting", "2024-03-20", None, people("Lars Berg", "Kemal Aydin"), None),
    ]


def test_an_observation_mission_of_an_office_its_head_and_a_coordinator(extract) -> None:
    x = extract(
        "BISHKEK, 12 April 2021 – The international election observation mission of the OSCE "
        "Office for Democratic Institutions and Human Rights (ODIHR) presented its findings at "
        "a press conference in Bishkek today. The mission was headed by Ambassador Maria "
        "Lind.\n\nOn 11 April, Lind visited polling stations together with Special "
        "Co-ordinator Ana Costa of the OSCE Parliamentary Assembly."
    )
    mission = "election observation mission of the OSCE Office for Democratic Institutions " \
        "and Human Rights"
    assert names(x, "mission") == {mission}
    assert posts(x) == {
        ("Maria Lind", "Head", mission),
        ("Ana Costa", "Special Co Ordinator", "OSCE Parliamentary Assembly"),
    }
    # the office's acronym after the mission's name is part of that name, not another party
    assert events(x)[0] == ("Meeting", "2021-04-12", None, people(mission), "Bishkek")


def test_the_two_leaders_are_the_two_people_just_named(extract) -> None:
    x = extract(
        "DUSHANBE, 6 June 2024 — Kubat Osmonov arrived in Dushanbe on a state visit at the "
        "invitation of President Rustam Nazarov. The two leaders held talks in a narrow format."
        "\n\nA commission co-chaired by Aida Bekova and Ivan Markov also met on the margins of "
        "the visit."
    )
    assert [(e[0], e[3]) for e in events(x)] == [
        ("Visit", people("Kubat Osmonov", "Rustam Nazarov")),  # Tajikistan is not named
        ("Meeting", people("Kubat Osmonov", "Rustam Nazarov")),
        ("Meeting", people("Aida Bekova", "Ivan Markov")),
    ]


def test_a_council_named_both_ways_is_one_body_and_speakers_bring_countries(extract) -> None:
    x = extract(
        "CSTO Parliamentary Assembly Council meets\n\nThe Council of the CSTO Parliamentary "
        "Assembly held a meeting on 28 November 2023. Speakers of the parliaments of Armenia "
        "and Belarus took part. The next meeting will take place in Minsk in spring 2024."
    )
    council = entity(x, "CSTO Parliamentary Assembly Council")
    assert council.name == "Council of the CSTO Parliamentary Assembly"
    assert events(x)[0][3] == people(council.name, "Armenia", "Belarus")
    assert events(x)[1][1:3] == ("2024-03-01", "2024-05-31")


def test_a_legal_form_and_a_quoted_name_are_one_organization(extract) -> None:
    name = "Autonomous Nonprofit Organization ‘Institute for the Study of the Steppe’"
    x = extract(f"The graduates came to Moscow at the invitation of the {name}.")
    assert name in names(x, "organization")
