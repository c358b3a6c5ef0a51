"""The store's invariants, checked by SPARQL: what a crash or a bad input must never break.

- every article graph is whole: it states its ``schema:NewsArticle`` and its
  ``kgo:contentDigest`` (written in the same transaction as the rest);
- the default graph is the union of the named graphs (the ontology graph adding
  only its subclass axioms): no triple there that no graph states, none missing.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.vocab import DERIVED_GRAPH, KGO, ONTOLOGY_GRAPH, RDFS, SCHEMA

_ARTICLES = (f"GRAPH ?g {{ ?a ?p ?o }} FILTER(?g NOT IN (<{ONTOLOGY_GRAPH}>, <{DERIVED_GRAPH}>))")
PARTIAL = (f"SELECT DISTINCT ?g WHERE {{ {_ARTICLES} FILTER NOT EXISTS {{ GRAPH ?g {{"
           f" ?x a <{SCHEMA.NewsArticle}> ; <{KGO.contentDigest}> ?d }} }} }}")
# what an article graph keeps to itself (records of it as extracted and as written, the
# words it names someone alone by)
_OWN = ", ".join(f"<{p}>" for p in (KGO.uncurated, KGO.unlinked, KGO.nameAlone))
_MERGED = (
    f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}> && ?p NOT IN ({_OWN})) }}"
    " UNION "
    f"{{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} FILTER(?p = <{RDFS.subClassOf}> && isIRI(?o)) }}"
)
EXTRA = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {_MERGED} }} }}"
MISSING = f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_MERGED} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
ARTICLE_URLS = (f"SELECT ?g ?url WHERE {{ GRAPH ?g {{ ?a a <{SCHEMA.NewsArticle}> ;"
                f" <{SCHEMA.url}> ?url }} }}")


def check(store_path: Path) -> dict[str, list[str]]:
    """The store's broken invariants: ``partial`` graphs, ``extra`` and ``missing``
    default-graph triples (each empty when the store is consistent)."""
    store = ox.Store.read_only(str(store_path))
    try:
        return {
            "partial": [str(row["g"]) for row in store.query(PARTIAL)],
            "extra": [f"{r['s']} {r['p']} {r['o']}" for r in store.query(EXTRA)],
            "missing": [f"{r['s']} {r['p']} {r['o']}" for r in store.query(MISSING)],
        }
    finally:
        del store


def article_urls(store_path: Path) -> dict[str, int]:
    """Each stored article's schema:url, with the number of graphs stating it (1 each)."""
    store = ox.Store.read_only(str(store_path))
    counts: dict[str, int] = {}
    for row in store.query(ARTICLE_URLS):
        url = row["url"].value
        counts[url] = counts.get(url, 0) + 1
    del store
    return counts
