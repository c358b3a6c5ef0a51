"""Split entities: gold things named in several articles that the merged graph holds as
more than one node (issue 9; not a test).

For each gold set (a folder of ``NAME.txt`` articles with ``NAME.json`` gold beside
them) the articles are ingested with the real pipeline into a temporary store. Gold
persons, organizations and missions of different articles are one entity when they
share a form (name or alias) after the scorer's normalisation (organizations and
missions count as one family, since one article's mission is another's body). Each
article's gold entity is mapped, as ../shared/eval/score.py does, to the nodes of that
article's graph whose ``rdfs:label``/``skos:altLabel`` there match one of its forms. An
entity named in two or more articles is *split* when those nodes are more than one IRI.

    python benchmarks/split_entities.py                    # ../shared/eval/dev and dev2
    python benchmarks/split_entities.py path/to/set --json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract import Extractor
from kg.pipeline import ingest
from kg.store import KGStore
from kg.vocab import ORG, RDF, RDFS, SCHEMA, SKOS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [ROOT.parent / "shared" / "eval" / "dev", ROOT.parent / "shared" / "eval" / "dev2"]
GOLD_FIELDS = {"persons": "person", "organizations": "body", "missions": "body"}


def norm(text: str) -> str:
    """The scorer's normalisation of a name (score.py ``norm``)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "'").replace("-", " ").replace("ё", "е")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@dataclass
class Mention:
    """One gold entity of one article."""

    article: str
    family: str  # "person" or "body"
    name: str
    forms: frozenset[str]


@dataclass
class Entity:
    """Gold mentions of different articles taken for one thing, and the nodes they map to."""

    family: str
    mentions: list[Mention]
    nodes: dict[str, set[str]] = field(default_factory=dict)  # IRI -> articles mapping to it

    @property
    def articles(self) -> set[str]:
        return {m.article for m in self.mentions}

    @property
    def names(self) -> list[str]:
        return sorted({m.name for m in self.mentions})

    @property
    def split(self) -> bool:
        return len(self.nodes) > 1


def gold_mentions(gold: Mapping[str, Mapping]) -> list[Mention]:
    """Every gold person, organization and mission of every article (id -> gold dict)."""
    out = []
    for article, data in sorted(gold.items()):
        for key, family in GOLD_FIELDS.items():
            for item in data.get(key) or []:
                forms = {norm(item["name"])} | {norm(a) for a in item.get("aliases") or []}
                out.append(Mention(article, family, item["name"], frozenset(forms - {""})))
    return out


def _initial(name: str) -> str:
    return norm(name)[:1]


def group(mentions: Iterable[Mention]) -> list[Entity]:
    """Mentions of one family that are one thing across articles (union-find).

    Mentions with the same normalised name are one. A form shared by several names
    links them when it is itself one of those names ("Security Council" named in one
    article, an alias of "United Nations Security Council" in another), or, for
    persons, when the names start alike ("Lebedev" for "Sergei Lebedev" and "Sergey
    Lebedev"). Otherwise a shared alias is ambiguous and links nothing ("Secretariat"
    for both "CSTO Secretariat" and "SCO Secretariat").
    """
    mentions = list(mentions)
    parent = list(range(len(mentions)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    by_name: dict[tuple[str, str], int] = {}
    for i, mention in enumerate(mentions):
        union(i, by_name.setdefault((mention.family, norm(mention.name)), i))
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)  # form -> name groups
    for mention in mentions:
        for form in mention.forms:
            holders[(mention.family, form)].add(by_name[(mention.family, norm(mention.name))])
    for (family, form), names in holders.items():
        if len(names) < 2:
            continue
        if (family, form) in by_name:
            target = by_name[(family, form)]
        elif family == "person" and len({_initial(mentions[i].name) for i in names}) == 1:
            target = min(names)
        else:
            continue
        for i in names:
            union(i, target)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, mention in enumerate(mentions):
        groups[find(i)].append(mention)
    return [Entity(ms[0].family, ms) for ms in groups.values()]


_NODES = f"""
SELECT ?g ?url ?node ?family ?label WHERE {{
  GRAPH ?g {{
    ?article <{SCHEMA.url}> ?url ; <{SCHEMA.mentions}> ?node .
    ?node <{RDFS.label}>|<{SKOS.altLabel}> ?label .
  }}
  {{ ?node <{RDF.type}>/<{RDFS.subClassOf}>* <{SCHEMA.Person}> . BIND("person" AS ?family) }}
  UNION
  {{ ?node <{RDF.type}>/<{RDFS.subClassOf}>* <{ORG.Organization}> . BIND("body" AS ?family) }}
}}"""


def article_id(url: str) -> str:
    """The gold id of an article from its URL: the file name without its extension."""
    return re.sub(r"\.(txt|html?|md|json)$", "", re.split(r"[/#:]", url.rstrip("/"))[-1])


def article_nodes(store: KGStore) -> dict[str, dict[str, dict[str, set[str]]]]:
    """article id -> family -> node IRI -> normalised labels the article's graph gives it."""
    out: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set)))
    for row in store.query(_NODES):
        article = article_id(row["url"].value)
        out[article][row["family"].value][row["node"].value].add(norm(row["label"].value))
    return out


def map_nodes(entities: Iterable[Entity],
              nodes: Mapping[str, Mapping[str, Mapping[str, set[str]]]]) -> None:
    """Fill each entity's nodes: per article, the nodes whose labels meet a gold form."""
    for entity in entities:
        for mention in entity.mentions:
            family = nodes.get(mention.article, {}).get(mention.family, {})
            for node, labels in family.items():
                if labels & mention.forms:
                    entity.nodes.setdefault(node, set()).add(mention.article)


def load_gold(folder: Path) -> dict[str, dict]:
    """Gold files of a set that have their article beside them."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.json")) if p.with_suffix(".txt").exists()}


def count(folder: Path, store_path: Path, extractor: Extractor | None = None) -> dict[str, object]:
    """Ingest ``folder`` into ``store_path`` and count its split entities."""
    gold = load_gold(folder)
    report = ingest([str(folder / f"{name}.txt") for name in gold], store_path,
                    extractor=extractor)
    if report.failed:
        raise SystemExit(f"{folder}: {report.summary()}")
    entities = group(gold_mentions(gold))
    with KGStore(store_path) as store:
        map_nodes(entities, article_nodes(store))
    several = sorted((e for e in entities if len(e.articles) >= 2), key=lambda e: e.names)
    split = [e for e in several if e.split]
    return {
        "set": folder.name,
        "articles": len(gold),
        "named_in_several": len(several),
        "split": len(split),
        "split_persons": sum(e.family == "person" for e in split),
        "unmapped": sum(not e.nodes for e in several),
        "splits": [{"family": e.family, "names": e.names,
                    "nodes": {n: sorted(a) for n, a in sorted(e.nodes.items())}}
                   for e in split],
    }


def render(result: Mapping[str, object]) -> str:
    """A plain-text summary of one set's counts and its split entities."""
    lines = [f"{result['set']}: {result['articles']} articles; "
             f"{result['named_in_several']} entities named in >=2 articles; "
             f"{result['split']} split ({result['split_persons']} persons); "
             f"{result['unmapped']} found in no article graph"]
    for item in result["splits"]:  # type: ignore[attr-defined]
        lines.append(f"  {item['family']}: {' / '.join(item['names'])}")
        for node, articles in item["nodes"].items():
            lines.append(f"    {node}  <- {', '.join(articles)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    results = []
    for folder in args.sets:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(count(folder, Path(tmp) / "store"))
    print(json.dumps(results, indent=1) if args.json else "\n".join(map(render, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
