"""benchmarks/split_entities.py counts gold entities of several articles split into nodes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from kg.facts import Document, Entity, Extraction, Span
from kg.resolve import slug

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "split_entities.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("split_entities", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["split_entities"] = module
    spec.loader.exec_module(module)
    return module


# Each article names these (as written), with the kind the extractor gives them.
ARTICLES = {
    "a-1": {"Sergei Volkov": "person", "Council of Lakes": "organization",
            "Lakes Secretariat": "organization"},
    "a-2": {"Volkov": "person", "Council of Lakes": "organization",
            "Harbour Secretariat": "organization"},
    "a-3": {"Anna Berg": "person", "Lake Council": "organization"},
    "a-4": {"Anna Berg": "person"},
}
GOLD = {
    "a-1": {"persons": [{"name": "Sergei Volkov", "aliases": ["Volkov"]}],
            "organizations": [{"name": "Council of Lakes", "aliases": []},
                              {"name": "Lakes Secretariat", "aliases": ["Secretariat"]}]},
    "a-2": {"persons": [{"name": "Volkov", "aliases": []}],
            "organizations": [{"name": "Council of Lakes", "aliases": []},
                              {"name": "Harbour Secretariat", "aliases": ["Secretariat"]}]},
    "a-3": {"persons": [{"name": "Anna Berg", "aliases": []}],
            "organizations": [{"name": "Lake Council", "aliases": ["Council of Lakes"]}]},
    "a-4": {"persons": [{"name": "Anna Berg", "aliases": []}]},
}


class NamesExtractor:
    """Finds the names listed for each article, nothing else."""

    version = "names-1"

    def pipe(self, documents, *, batch_size: int = 16, n_process: int = 1):
        for document in documents:
            yield self.extract(document)

    def extract(self, document: Document) -> Extraction:
        extraction = Extraction(document=document, fingerprint=document.fingerprint(self.version))
        for name, kind in ARTICLES[Path(document.source).stem].items():
            start = document.text.index(name)
            extraction.entities[slug(name)] = Entity(
                slug(name), kind, name, mentions=[Span(start, start + len(name))])
        return extraction


def test_counts_entities_of_several_articles_and_those_split(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    for name, entities in ARTICLES.items():
        (folder / f"{name}.txt").write_text(f"{name}\n\n" + ". ".join(entities) + ".\n",
                                            encoding="utf-8")
        (folder / f"{name}.json").write_text(json.dumps(GOLD[name]), encoding="utf-8")
    result = load().count(folder, tmp_path / "store", extractor=NamesExtractor())
    # Volkov (the surname alone in a-2), Council of Lakes (an alias in a-3), Anna Berg;
    # the two secretariats share only an alias and stay two entities of one article each.
    assert result["named_in_several"] == 3
    assert result["split"] == 2 and result["split_persons"] == 1
    split = {tuple(item["names"]): set(item["nodes"]) for item in result["splits"]}
    base = "https://w3id.org/newskg/id/"
    assert split == {
        ("Sergei Volkov", "Volkov"): {base + "person/sergey-volkov", base + "person/volkov"},
        ("Council of Lakes", "Lake Council"): {base + "organization/council-of-lakes",
                                               base + "organization/lake-council"},
    }


def test_a_surname_shared_by_different_given_names_links_nothing() -> None:
    module = load()
    mentions = module.gold_mentions({
        "x": {"persons": [{"name": "Ilham Aliyev", "aliases": ["Aliyev"]}]},
        "y": {"persons": [{"name": "Heydar Aliyev", "aliases": ["Aliyev"]}]},
    })
    assert sorted(len(e.mentions) for e in module.group(mentions)) == [1, 1]
