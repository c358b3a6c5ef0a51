"""Facts beside the sentence, rule and confidence that produced them (``kg extract --explain``)."""

from __future__ import annotations

import textwrap

from kg.facts import Evidence, Extraction


def _names(extraction: Extraction, keys: list[str]) -> str:
    return ", ".join(extraction.entities[k].name for k in keys if k in extraction.entities)


def _because(extraction: Extraction, evidence: Evidence) -> list[str]:
    span = evidence.sentence
    sentence = " ".join(extraction.document.text[span.start : span.end].split())
    quoted = textwrap.wrap(
        f"“{sentence}”", width=88, initial_indent="    ", subsequent_indent="     "
    )
    return [
        f"    rule {evidence.rule}, confidence {evidence.confidence:.2f}, "
        f"characters {span.start}-{span.end}",
        *quoted,
    ]


def explain(extraction: Extraction) -> str:
    """A readable account of one article's facts, each with its evidence."""
    doc = extraction.document
    lines = [
        f"# {doc.source}" + (f" — {doc.title}" if doc.title else ""),
        f"  published {doc.published or 'unknown'}; url {doc.url}",
        "",
    ]
    by_kind: dict[str, list[str]] = {}
    for entity in extraction.entities.values():
        forms = sorted(entity.aliases)
        by_kind.setdefault(entity.kind, []).append(
            entity.name + (f" (also: {'; '.join(forms)})" if forms else "")
        )
    for kind in ("person", "organization", "mission", "place"):
        if kind in by_kind:
            lines.append(f"{kind}s: " + " | ".join(sorted(by_kind[kind])))
    for membership in extraction.memberships:
        person = extraction.entities[membership.person].name
        organization = extraction.entities[membership.organization].name
        former = " (former)" if membership.former else ""
        lines += [
            "",
            f"post: {person} — {membership.role}{former} — {organization}",
            *_because(extraction, membership.evidence),
        ]
    for reference in extraction.post_references:
        organization = extraction.entities[reference.organization].name
        lines += [
            "",
            f"post named without its holder: {reference.role} — {organization}"
            " (the store links the holder on the article's date)",
            *_because(extraction, reference.evidence),
        ]
    for event in extraction.events:
        when = event.start or "date unknown"
        if event.end:
            when += f" to {event.end}"
        where = f" in {extraction.entities[event.place].name}" if event.place else ""
        lines += [
            "",
            f"{event.kind.lower()} ({event.label}), {when}{where}: "
            f"{_names(extraction, event.participants)}",
            *_because(extraction, event.evidence),
        ]
    return "\n".join(lines) + "\n"
