"""The words and shapes the event rules read: triggers, and the cues that tell a party
from a venue, a topic or a teller, a date of the gathering from a date of something else.

Each pattern runs over slotted text (``sentences``): ``⟦P0⟧`` a person, ``⟦O1⟧`` an
organization, ``⟦M2⟧`` a mission, ``⟦L3⟧`` a place. ``events`` holds the logic.
"""

from __future__ import annotations

import re

from kg.extract import lexicon
from kg.extract.dates import NUMBER_WORDS
from kg.extract.roles import ROLE


def _phrases(event: str | None = None, flag: str | None = None) -> list[str]:
    """Phrases of triggers.tsv for one kind of event and/or with one flag."""
    return [
        row["phrase"]
        for row in lexicon.table("triggers.tsv")
        if (event is None or row["event"] == event)
        and (flag is None or flag in row["flags"].split(","))
    ]


def _alternation(event: str | None = None, flag: str | None = None) -> str:
    return lexicon.phrase_regex(_phrases(event, flag))


_TO_BODY = _phrases("Meeting", "to-body")
_BODY_OBJECT = _phrases("Meeting", "body-object")
# "presented its report to the Council" is a sitting; "reported progress" is not
_BEFORE_BODY = r"(?=[^.;⟦]{0,60}\bto\s+(?:the\s+)?⟦O\d+⟧)"
# "told the Security Council" is a sitting; "told reporters" and "told TASS" are not
_BODY_NEXT = r"(?=\s+the\s+⟦O\d+⟧)"
MEETING_WORDS = "|".join(
    [lexicon.phrase_regex([p for p in _phrases("Meeting") if p not in _TO_BODY + _BODY_OBJECT])]
    + [rf"(?:{lexicon.phrase_regex([p])}){_BEFORE_BODY}" for p in _TO_BODY]
    + [rf"(?:{lexicon.phrase_regex([p])}){_BODY_NEXT}" for p in _BODY_OBJECT]
)
BODY_OBJECT = re.compile(rf"^(?:{_alternation('Meeting', 'body-object')})$", re.I)
VISIT_WORDS = _alternation("Visit")
TRIGGER = re.compile(
    rf"\b(?:(?P<visit>{VISIT_WORDS})|(?P<meeting>{MEETING_WORDS}))\b", re.IGNORECASE
)
# Triggers that report one party meeting others in turn.
ONE_TO_ONE = re.compile(rf"^(?:{_alternation('Meeting', 'one-to-one')})$", re.I)
# "The two sides exchanged views on ...": the meeting just told, told again
RESTATING = re.compile(rf"^(?:{_alternation('Meeting', 'again')})$", re.I)
TOGETHER = re.compile(rf"\b(?:{_alternation(flag='together')})\b", re.I)
ENDING = re.compile(rf"\b(?:{_alternation(flag='ends')})\s+(?:[\w-]+\s+){{0,4}}$", re.I)
# "a visit to Kazakhstan and Uzbekistan": the stops, one visit each
STOPS = re.compile(
    r"^\s+(?:to|of)\s+(?:the\s+)?(?P<places>⟦L\d+⟧(?:\s*,\s*(?:the\s+)?⟦L\d+⟧)*"
    r"(?:\s*,?\s*and\s+(?:then\s+)?(?:to\s+)?(?:the\s+)?⟦L\d+⟧))"
)
# "Agamuradov has landed in Dushanbe", "Rahmon has welcomed his guests", "X is holding talks":
# news of the item's own day
NEWS_OF_THE_DAY = re.compile(
    r"\b(?:has|have|is|are)\s+(?:just\s+|now\s+)?(?:(?:held|had|begun|started|"
    r"opened|holding|having|beginning|starting|opening|been|completed|concluded|ended|"
    r"wrapped\s+up|finished)\s+(?:[\w-]+\s+){0,3})?$",
    re.IGNORECASE,
)
# "X has met Y before", "they have already met twice": experience, not the day's news
EXPERIENCE = re.compile(
    r"\b(?:before|ever|never|previously|already|in\s+the\s+past|(?:several|many|\w+)\s+times|"
    r"twice|since)\b",
    re.IGNORECASE,
)
SEQUENCE = re.compile(rf"\b(?:{_alternation(flag='sequence')})\b", re.I)
ATTRIBUTION = re.compile(
    r"(?:\b(?:told\s+|(?:according\s+to|the\s+press\s+service\s+of|reported\s+by|quoted\s+by|"
    r"(?:spokesperson|spokesman|spokeswoman|press\s+office|press\s+service)\s+(?:of|for)|"
    r"cited\s+by|said|reports|reported)\s+(?:the\s+)?))(?P<slot>⟦[OP]\d+⟧)",
    re.IGNORECASE,
)
# "..., CSTO Press Secretary Vladimir Zaynetdinov told TASS on Monday.": who tells the news
SPEAKER = re.compile(
    r",\s+[^,]{0,80}?(?P<slot>⟦[PO]\d+⟧)\s+(?:told|said|says|tells|added|noted|stated|stressed|"
    r"reported|reports|announced)\b"
    r"(?:[^⟦]{0,25}⟦O\d+⟧)?[^⟦]{0,40}$"
)
# "Foreign Secretary, Shri Vikram Misri: Thank you. ...": a transcript's speaker label
SPEAKER_LABEL = re.compile(r"^\s*(?:[A-Z][\w.’'-]*[ ,]+){0,4}(?P<slot>⟦P\d+⟧)\s*:")
# "In the Ukrainian capital, the OSCE said, Rau is to meet ...": a teller in parentheses
ASIDE_SPEAKER = re.compile(
    r",\s+(?:the\s+)?(?P<slot>⟦[PO]\d+⟧)\s+(?:"
    + lexicon.phrase_regex(lexicon.words("modality.tsv", "speech"))
    + r")(?:\s+\w+)?\s*,"
)
# "at the CSTO Secretariat" is where, but "in the CIS Council of Heads of State session" is who
VENUE = re.compile(
    r"\b(?:at|in|inside|outside)\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)"
    r"(?!(?:['’]s)?\s+(?:[\w-]+\s+)?(?:session|meeting|summit|sitting|forum|conference|debate)s?\b)",
    re.IGNORECASE,
)
PLACE_PREP = re.compile(
    r"\b(?:in|at|to|near|from|visit|visits|visited|visiting)\s+(?:the\s+)?"
    r"(?:(?!which\b|whom\b|whose\b|in\b|at\b)\w+\s+){0,3}?"
    r"(?P<slot>⟦L\d+⟧)",
    re.IGNORECASE,
)
# "the session, which Dushanbe will host later this year"
HOST_PLACE = re.compile(
    r"(?P<slot>⟦L\d+⟧)\s+(?:will\s+|is\s+to\s+|is\s+due\s+to\s+)?host(?:s|ed)?\b"
)
DESTINATION = re.compile(
    r"\b(?:to|in|visit|visits|visited|visiting|(?:departed|departs|left|leaves|set\s+off)\s+for)"
    r"\s+(?:the\s+)?(?P<slot>⟦[LOM]\d+⟧)",
    re.IGNORECASE,
)
THEY = re.compile(r"\b(?:they|their)\b", re.IGNORECASE)
# "The two leaders held talks": the two people the last sentence named
THE_TWO = re.compile(
    r"\b[Tt]he\s+two\s+(?:leaders|presidents|ministers|sides|heads\s+of\s+state|"
    r"secretaries[- ]general|officials|diplomats)\b"
)
PRONOUN_SUBJECT = re.compile(r"\b(?:he|she|they|his|her|their)\b", re.IGNORECASE)
NOT_EVENTS = re.compile(
    r"\b(?:interview|regular\s+meetings|meetings\s+of\s+the\s+top)\b", re.IGNORECASE
)
EXPLICIT = ("range", "pair", "day", "month", "month_this")
# "During the visit ...", "in the course of his trip": a visit already reported
REPRESENTED = re.compile(
    r"\b(?:was|were)\s+represented\b|\bdelegations?\s+(?:of|from)\b|\bdelegations\s+took\s+the\s+floor\b",
    re.IGNORECASE,
)
# "a debate on the contribution of the CSTO, the CIS and the SCO to ...": what it was about
TOPIC = re.compile(
    r"\b(?:on|to|about)\s+(?:the\s+)?(?:draft\s+)?(?:way|ways|contribution|cooperation|"
    r"interaction|role|partnership|relations|ties|agenda|agendas)\b"
    r"(?:(?!\b(?:talks|meetings?)\b)[^;])*",  # "on the agenda of her talks with X": X met
    re.IGNORECASE,
)
# "Addressing the meeting, X argued ...": the speaker takes part in the gathering told of
ADDRESSING = re.compile(
    r"\b(?:addressing|addressed|speaking\s+at|spoke\s+at|taking\s+the\s+floor|opened|opening)\b",
    re.IGNORECASE,
)
# "held talks with X and met Y", "was received by X and held talks with Y"
COORDINATED = re.compile(
    r"^\s+(?:with|by)\b[^;]*\band\s+(?:also\s+|then\s+|later\s+)?"
    r"(?:(?:held|had|conducted|attended)\s+(?:a\s+|an\s+)?(?:[\w-]+\s+)?)?$",
    re.I,
)
LIST_ITEM = re.compile(r"(?:^|[,;]|\band)\s*(?:a|an)\s+", re.IGNORECASE)
# "members of the Federation Council who make up Russia's delegation to the OSCE PA": Russia
# takes part, the Assembly does not
DELEGATION_OF = re.compile(
    r"(?P<slot>⟦L\d+⟧)['’]s\s+(?:[\w-]+\s+)?delegation\b|"
    r"\bdelegations?\s+(?:of|from)\s+(?:the\s+)?(?P<slot2>⟦L\d+⟧)|"
    r"(?P<slot3>⟦L\d+⟧)\s+(?:was|were)\s+represented\b|"
    r"\bunder\s+the\s+(?:presidency|chairmanship)\s+of\s+(?:the\s+)?(?P<slot4>⟦L\d+⟧)"
)
DELEGATION_OF_BODY = re.compile(r"\b[Dd]elegations?\s+(?:of|from)\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)")
DELEGATION_TO = re.compile(r"\bdelegations?\s+to\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)")
# "the OSCE Ministerial Council ... at its meeting in December": the body's own gathering
AT_ITS = re.compile(r"(?P<slot>⟦O\d+⟧)[^⟦.;]{0,40}?\bat\s+(?:its|their)\s+(?:[\w-]+\s+)?$")
AT_ITS_LEAD = re.compile(
    r"^\s*At\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:meeting|session|sitting)\b[^⟦;]*(?:⟦L\d+⟧[^⟦;]*)?"
    r",\s+(?:the\s+)?(?P<slot>⟦O\d+⟧)",
    re.IGNORECASE,
)
CHAIRED_BY = re.compile(
    r"\b(?:presided\s+over|chaired|co-chaired|led)\s+by\s+[^⟦;]{0,30}?(?P<slot>⟦P\d+⟧)", re.I
)
# "meetings with the foreign ministers of Armenia, Kazakhstan and Uzbekistan": the countries
# take part; not so "the presidents of Belarus, Alexander Lukashenko, ...", who are named
# "Premier Li Keqiang, who represented China", "with Xi Jinping representing China"
REPRESENTING = re.compile(r"\brepresent(?:ed|s|ing)\s+(?:the\s+)?(?P<places>⟦L\d+⟧)")
# "the 23rd EU-China summit": the sides named in the gathering's name (with a body among
# them; in "a Russia–China–Mongolia meeting" the countries only qualify the leaders)
SIDES_OF = re.compile(
    r"(?P<places>⟦[OL]\d+⟧(?:\s*[-–]\s*⟦[OL]\d+⟧)+)\s+(?:[\w-]+\s+){0,2}?"
    rf"(?:{_alternation(flag='gathering')}|talks|dialogue|negotiations)\b",
    re.IGNORECASE,
)
MINISTERS_OF = re.compile(
    r"\b(?:(?:foreign|defen[cs]e|prime)\s+)?(?:ministers|leaders|presidents|heads\s+of\s+state|"
    r"heads\s+of\s+government|observers|representatives|delegations|delegates|speakers|"
    r"(?-i:the\s+(?:representative|delegate))|"  # a speaker in a debate, not a title
    r"(?:speakers|chairs|chairmen|chairpersons|heads)\s+of\s+the\s+(?:parliaments|governments))\s+"
    r"(?:of|from)\s+(?:the\s+)?(?P<places>⟦L\d+⟧(?:\s*,\s*(?:the\s+)?⟦L\d+⟧)*(?:\s*,?\s*and\s+(?:the\s+)?"
    r"⟦L\d+⟧)?)(?!\s*,\s*⟦P)",
    re.IGNORECASE,
)
# "met on the margins of the Collective Security Council session": when, not who
MARGINS = re.compile(
    r"\bon\s+the\s+(?:margins|sidelines|fringes)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?P<slot>⟦O\d+⟧)"
)
# "cooperation within the Commonwealth": the setting, not a party
WITHIN = re.compile(r"\bwithin\s+(?:the\s+framework\s+of\s+)?(?:the\s+)?(?P<slot>⟦O\d+⟧)")
ATTENDANCE = re.compile(
    r"\b(?:was\s+represented|were\s+represented|also\s+joined|took\s+part|taking\s+part|attended|were\s+(?:also\s+)?present|was\s+(?:also\s+)?present|"
    r"participated|in\s+attendance|took\s+the\s+floor|(?:speakers|panell?ists)\s+(?:included|were)|"
    r"(?:was|were)\s+moderated\s+by|(?-i:the\s+(?:representative|delegate))\s+of\b|\bspeakers\s+from|(?:spoke|speaking)\s+in\s+the\s+debate|(?:expected|due|set|invited)\s+to\s+(?:attend|take\s+part)|around\s+the\s+table|joined\s+(?:by|the)|also\s+present)\b",
    re.IGNORECASE,
)
CHAIRED = re.compile(
    r"\b(?:chaired|co-chaired|presided|under\s+the\s+chairmanship\s+of|led\s+by)\b", re.I
)
RECEIVED_IN = re.compile(r"\b(?:was|were|has\s+been|had\s+been)\s+received\b", re.I)
# "the next session of the Council": a gathering still to come, not the one just told of
COMING = re.compile(
    r"(?:\b(?:next|upcoming|forthcoming|coming|future)\s+|\b(?:preparations?\s+for|run-up\s+to|"
    r"ahead\s+of|prepare\s+for|preparing\s+for|(?:hosting|holding|organi[sz]ation)\s+of)\s+"
    r"(?:the\s+|a\s+)?)(?:[\w-]+\s+)?$",
    re.I,
)
RELATIVE = re.compile(
    r"\b(?:which|who|whom|that|when)\b|,\s+(?:[a-z]+ed|carried\s+out|undertaken|begun|made)\b|"
    r"\b(?:carried\s+out|conducted|deployed|adopted|signed|launched|completed|undertaken)\b",
    re.IGNORECASE,
)
HELD = re.compile(
    r"\b(?:held|hold|holds|take\s+place|takes\s+place|took\s+place|convened?|scheduled|due|"
    r"planned|opens?|opened|starts?|started|run|runs|ran|sit|sat|met|meet|meets|host|hosts|hosted|"
    r"began|begins|begin|ended|ends|lasted|lasts)\b",
    re.IGNORECASE,
)
# "the SCO's 2022 agenda": a body named as an owner, not as a party
POSSESSIVE = re.compile(
    r"(?P<slot>⟦[OM]\d+⟧)['’]s\s+(?!(?:[\w-]+\s+){0,3}(?i:delegation|representatives?|leaders?|"
    r"heads?|officials|secretary|chairman|members|observers|meeting|session|summit|sitting)\b)"
)
QUOTED = re.compile(r"“[^”]{1,300}”|\"[^\"]{1,300}\"")
TOLD_A_BRIEFING = re.compile(
    r"\b(?:(?:told|addressed|gave)\s+|(?:said|spoke|told\s+\w+)\s+at\s+)(?:a|an)\s+(?:\w+\s+)?"
    r"(?:press\s+conference|news\s+conference|briefing|press\s+briefing)\b",
    re.IGNORECASE,
)
REPORTED_ON = re.compile(
    r"\b(?:said|says|told|tells|announced|reported|stated|added|wrote|noted)\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE,
)
# "... joined by video link from Moscow": the medium of taking part, not a gathering
JOINED = re.compile(r"\b(?:joined|took\s+part|participated|attended)\b", re.IGNORECASE)
BODYS_OWN = re.compile(r"(?P<slot>⟦O\d+⟧)['’]s\s+(?:[\w-]+\s+){0,3}$")
DATELINE_SLOTS = re.compile(r"^\s*((?:⟦[OLM]\d+⟧\s*,\s*)+)[^⟦]{0,25}?[—–]")
GATHERING = re.compile(rf"^(?:{_alternation('Meeting', 'gathering')})$", re.I)
AROUND = re.compile(
    r"\b(?:before|after|ahead\s+of|following|on\s+the\s+(?:sidelines|margins|eve)\s+of|during)\s+"
    r"the\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
SINCE_LAST = re.compile(
    r"\bsince\s+(?:the|his|her|its|their)\s+(?:last|previous|latest)\s+(?:[\w-]+\s+)?$", re.I
)
# "held the 39th meeting of its Council": a gathering told of for the first time
HOLDING = re.compile(
    r"\b(?:held|holds|hold|convened|hosted|hosts)\s+the\s+(?:[\w-]+\s+){0,2}$|"
    r"\b(?:held|holds|hold|had|has|have|conducted)\s+(?:[\w-]+\s+)?$|"
    r"\bthe\s+(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|tenth)\s+(?:[\w-]+\s+)?$",
    re.I,
)
FUTURE = re.compile(
    r"\b(?:will|shall|is\s+to|are\s+to|expected\s+to|scheduled|due\s+to|planned|plans?\s+to|"
    r"to\s+be\s+held)\b",
    re.IGNORECASE,
)
LASTING = re.compile(rf"\b(\d+|{'|'.join(NUMBER_WORDS)})[- ]day\b", re.IGNORECASE)
BODY_BEFORE = re.compile(r"⟦[OM]\d+⟧\s+(?:[\w-]+\s+)?$")
MINISTERIAL = re.compile(r"\bministerial\s+$", re.IGNORECASE)
COUNCIL_OF_MINISTERS = re.compile(
    r"\bCouncil\s+of\s+(?:[\w-]+\s+)*Ministers\b|\bMinisters['’]?\s+Council\b"
)
# "attended the opening of the SCO Youth Forum": a gathering named by its body
ATTENDED_BODY = re.compile(
    r"\b(?:attended|took\s+part|participated)(?=\s+(?:in\s+)?(?:the\s+)?(?:[\w-]+\s+(?:of\s+)?)?"
    r"(?:the\s+)?⟦O\d+⟧)",
    re.IGNORECASE,
)
# who travel together, named again: "the delegation", "the envoys", "it" (a body)
THE_DELEGATION = re.compile(
    r"\b[Tt]he\s+(?:[\w-]+\s+)?(?:delegation|delegates|envoys|visitors)\b"
    r"|(?:^|[,;]\s*|\b(?:[Oo]n|[Ii]n|[Dd]uring|[Aa]fter)\s+[\w ]{1,30}?,?\s+)"
    r"\bit\s+(?:was|has\s+been)\s+$"
)
MEDIA_WORDS = re.compile(r"video|call|phone|telephone", re.IGNORECASE)
MEDIUM = re.compile(r"\b(?:by|via|through|over|in\s+a|in\s+an)\s+$", re.IGNORECASE)
OF_BODY = re.compile(r"^\s+of\s+(?:the\s+)?⟦[OM]\d+⟧")
# "the Deputy Minister met ...", "On Sunday the envoy held talks": the person the story follows
DEFINITE_TITLE = re.compile(
    r"\b[Tt]he\s+(?:(?i:deputy|acting|first\s+deputy|special|personal|prime|foreign|vice)\s+)?(?i:minister|"
    r"secretary[- ]general|executive\s+secretary|head|chairman|chairwoman|chairperson|president|"
    r"ambassador|commander|envoy|representative|coordinator|co-ordinator|diplomat|official)\b"
    r"(?!\s+of\s+⟦)"
)
BACK_REFERENCE = re.compile(
    r"\b(?:during|in\s+the\s+course\s+of|after|on\s+the\s+(?:sidelines|margins)\s+of)"
    r"\s+(?:the|his|her|their|this)\s+$",
    re.IGNORECASE,
)
# between "addressed" and "meeting" in "addressed the 15th meeting of ..."
OBJECT_OF = re.compile(r"\s+(?:the|a|an|its|his|her)\s+(?:[\w-]+\s+){0,2}", re.IGNORECASE)
DURING = re.compile(
    r"^\s*(?:(?:During|In\s+the\s+course\s+of|On)\s+(?:a|an|the|his|her|their)\s+(?:[\w-]+\s+){0,3}"
    r"|(?:(?:Soon|Shortly|Right|Just|Immediately)\s+after|Since|After|Upon|On|While)\s+)$",
    # "Since arriving in X, Y has met", "Soon after arriving, the Prime Minister held talks"
    re.IGNORECASE,
)
# "Professor X of the Primakov Institute": where a person works, not a party
AFFILIATION = re.compile(r"⟦P\d+⟧\s+(?:of|from)\s+(?:the\s+)?(?P<slot>⟦O\d+⟧)(?!\s*(?:and|,))")
# organizations named in someone's title are not parties: "as Head of the CSTO Mission"
TITLE_OF = re.compile(rf"(?:{ROLE})\s+(?:of|to|at)\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)")
# "the UN peacekeeping mission", "CSTO member states": a name used as an adjective
ATTRIBUTIVE = re.compile(
    r"(?P<slot>⟦O\d+⟧)\s+(?!leaders\b|delegation|heads\b|representatives|officials|officers|"
    r"observers|staff\b|secretariat|members\b)"
    r"(?:(?!(?:on|the|of|in|to|at|with|for|and|a|an|about)\s)[a-z][\w-]*\s+){0,2}"
    r"(?:mission|missions|operations?|"
    r"member\s+states|countries|states|activities|capabilities|peacekeeping|zone|area|project|office|"
    r"staff\s+officers)\b"
)
# "the Collective Security Council (CSC) of the CSTO": the CSTO is part of the name
PARENT_OF = re.compile(r"⟦[OM]\d+⟧(?:\s*\(⟦[OM]\d+⟧\))?\s+of\s+(?:the\s+)?(?P<slot>⟦O\d+⟧)")
JOURNALISTS = re.compile(
    r"\b(?:journalists|reporters|correspondents)\s+(?:from|of)\s+(?:[^⟦.;]*?)(?P<slot>⟦O\d+⟧)"
)
TITLE_BEFORE = re.compile(rf"(?P<slot>⟦[OM]\d+⟧)(?:['’]s)?\s+(?:{ROLE})")
# "chaired the session", "the regular Tripartite meeting": the gathering told of; not "the
# delegation was received" (a verb between)
DEFINITE_GATHERING = re.compile(
    r"\b(?:the|this|that)\s+(?:⟦O\d+⟧['’]s\s+)?(?:(?!(?:was|were|is|are|has|have|had|been|be|will|would|also|then|"
    r"who|which)\b)[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
NESTED_ACRONYM = re.compile(r"(?P<outer>⟦[OM]\d+⟧)\s*\((?P<slot>⟦O\d+⟧)\)")
# verbs of reporting (modality.tsv): a date in what they report is not the teller's
SPEECH_VERBS = {w.lower() for w in lexicon.words("modality.tsv", "speech")}
# "After the talks, A and B held a press conference": a gathering named as a time
AFTER_THE = re.compile(r"^\s*(?:After|Before|Following|Ahead\s+of)\s+the\s+(?:[\w-]+\s+){0,2}$")
# "On the sidelines, X held separate meetings": of the day's gathering
BARE_SIDELINES = re.compile(r"^\s*(?:On|At)\s+the\s+(?:sidelines|margins|fringes)\s*,", re.I)
# "Also briefing the Council was X": a speaker at the sitting just told of
BRIEFING_TOO = re.compile(r"^\s*Also\s+(?:briefing|addressing|speaking)\b", re.IGNORECASE)
# "MINSK, 14 May 2024 – ...": the dateline opening a sentence
DATELINE_AT_START = re.compile(r"^\s*⟦L\d+⟧[^⟦.;]{0,40}?\d{4}[^⟦.;]{0,20}?\s[–—-]\s")
# "the Abuja summit": the place a gathering names itself by
PLACE_BEFORE = re.compile(r"(?P<slot>⟦L\d+⟧)\s+$")
# "arrived ... to take up his duties": no visit
TAKING_UP = re.compile(
    r"^[^.;]*?\bto\s+(?:take\s+up|assume|begin|start)\s+(?:his|her|their|the)\s+"
    r"(?:new\s+)?(?:duties|post|position|functions|assignment|office)\b",
    re.IGNORECASE,
)

# a live blog's time stamp opening an entry: "09:40 —", "14.05 -", "9:40 a.m.:"
TIMESTAMPED = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?\s*(?:[—–-]|:)\s", re.I)
# "X regularly meets Y": a habit, not the day's news
HABIT = re.compile(
    r"\b(?:regularly|usually|often|always|every|each|annually|traditionally)\b", re.I
)
# "a four-day visit that began on 12 August": the day it started, not ended
STARTED = re.compile(r"\b(?:began|begun|begins|started|starts|starting|beginning)\b", re.I)
# "President X received Y": a trigger whose subject is the host
HOSTING = re.compile(r"(?:received|receives|welcomed|welcomes|hosted|hosts|greeted)$", re.I)
