"""Writes outside ``kg ingest`` (Graph Store and SPARQL Update, as ``kg serve`` makes them)
keep the default graph the merge of the named graphs; the SPARQL text helpers behind them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import count_lines, graph_lines

from kg.errors import QueryError, Refused, RequestError
from kg.sparql import graphs_named, query_form, refuse_fetching, with_update_dataset
from kg.store import KGStore

EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"


def t(s: str, o: str) -> tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode]:
    return ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.NamedNode(EX + o)


def line(s: str, o: str) -> str:
    return f"<{EX}{s}> <{EX}p> <{EX}{o}> ."


@pytest.fixture
def two_graphs(store_path: Path) -> Path:
    """g1 says a->b and b->c; g2 says b->c and c->d (b->c is shared)."""
    with KGStore(store_path) as store:
        assert store.put_graph(G1, [t("a", "b"), t("b", "c")]) is True
        assert store.put_graph(G2, [t("b", "c"), t("c", "d")]) is True
    return store_path


def default(store_path: Path) -> set[str]:
    return graph_lines(store_path, None)


def test_put_merges_each_triple_once_and_replacing_retracts_what_only_it_said(two_graphs
                                                                               ) -> None:
    assert default(two_graphs) == {line("a", "b"), line("b", "c"), line("c", "d")}
    assert count_lines(two_graphs, None) == 3
    with KGStore(two_graphs) as store:
        assert store.put_graph(G2, [t("c", "d")]) is False
    assert default(two_graphs) == {line("a", "b"), line("b", "c"), line("c", "d")}
    with KGStore(two_graphs) as store:
        store.put_graph(G1, [t("x", "y")])
    assert default(two_graphs) == {line("x", "y"), line("c", "d")}


def test_post_merges_and_delete_keeps_what_another_graph_asserts(two_graphs) -> None:
    with KGStore(two_graphs) as store:
        assert store.add_to_graph(G1, [t("e", "f")]) is False
        assert store.drop_graph(G1) is True
        assert store.drop_graph(G1) is False
    assert default(two_graphs) == {line("b", "c"), line("c", "d")}


def test_the_default_graphs_own_triples_are_what_put_and_delete_default_change(two_graphs
                                                                                ) -> None:
    with KGStore(two_graphs) as store:
        store.put_graph(None, [t("own", "1"), t("b", "c")])
    assert default(two_graphs) == {line("a", "b"), line("b", "c"), line("c", "d"),
                                   line("own", "1")}
    with KGStore(two_graphs) as store:
        store.drop_graph(None)
    assert default(two_graphs) == {line("a", "b"), line("b", "c"), line("c", "d")}


@pytest.mark.parametrize("update", [
    f"DELETE DATA {{ GRAPH <{G1}> {{ {line('a', 'b')} {line('b', 'c')} }} }}",
    f"DELETE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} }} WHERE {{ GRAPH ?g {{ ?s <{EX}p> ?o }} "
    f"FILTER(?g = <{G1}>) }}",
    f"DROP GRAPH <{G1}>",
    f"PREFIX ex: <{EX}> CLEAR GRAPH ex:g1",
])
def test_an_update_taking_triples_out_of_a_graph_takes_them_out_of_the_default_graph(
        two_graphs, update: str) -> None:
    with KGStore(two_graphs) as store:
        store.update(update, graphs=graphs_named(update))
    assert default(two_graphs) == {line("b", "c"), line("c", "d")}


def test_an_update_adding_to_a_graph_adds_to_the_default_graph(two_graphs) -> None:
    update = f"INSERT {{ GRAPH <{G2}> {{ ?o <{EX}p> <{EX}z> }} }} WHERE {{ ?s <{EX}p> ?o }}"
    with KGStore(two_graphs) as store:
        store.update(update, graphs=graphs_named(update))
    assert {line("b", "z"), line("c", "z"), line("d", "z")} <= default(two_graphs)
    assert count_lines(two_graphs, None) == 6


def test_deleting_from_the_default_graph_what_a_graph_asserts_does_not_last(two_graphs
                                                                            ) -> None:
    update = f"DELETE DATA {{ {line('a', 'b')} }} ; INSERT DATA {{ {line('own', '2')} }}"
    with KGStore(two_graphs) as store:
        store.update(update, graphs=graphs_named(update))
    assert default(two_graphs) == {line("a", "b"), line("b", "c"), line("c", "d"),
                                   line("own", "2")}


def test_a_bad_update_changes_nothing(two_graphs) -> None:
    with KGStore(two_graphs) as store, pytest.raises(QueryError, match="invalid SPARQL update"):
        store.update("DROP GRAPH", graphs=None)
    assert count_lines(two_graphs, None) == 3


# ---------------------------------------------------------------- kg.sparql


def test_query_form_is_the_first_form_keyword_outside_strings_and_iris() -> None:
    assert query_form('PREFIX ask: <http://x/ASK> # SELECT\nCONSTRUCT { ?s <x> "ASK" } '
                      "WHERE { { SELECT ?s {} } }") == "CONSTRUCT"
    assert query_form("ask {}") == "ASK"
    assert query_form("INSERT DATA {}") is None


def test_service_and_load_are_refused_but_not_as_names_or_text() -> None:
    with pytest.raises(Refused, match="SERVICE"):
        refuse_fetching("SELECT * { SERVICE <http://192.0.2.1/> { ?s ?p ?o } }")
    with pytest.raises(Refused, match="LOAD"):
        refuse_fetching("load <http://192.0.2.1/data.ttl>")
    refuse_fetching('SELECT ?service { ?service <http://x/LOAD> "SERVICE" } # LOAD')


def test_the_protocol_dataset_becomes_using_clauses() -> None:
    update = ('INSERT DATA { <a> <b> "WHERE {" } ; INSERT { ?s a <x> } WHERE { ?s a <y> } ;'
              ' DELETE WHERE { ?s <p> "}" }')
    rewritten = with_update_dataset(update, ["http://g/1"], ["http://g/2"])
    assert rewritten == (
        'INSERT DATA { <a> <b> "WHERE {" } ; INSERT { ?s a <x> } USING <http://g/1> '
        'USING NAMED <http://g/2> WHERE { ?s a <y> } ; DELETE { ?s <p> "}" } USING '
        '<http://g/1> USING NAMED <http://g/2> WHERE { ?s <p> "}" }')
    with pytest.raises(RequestError, match="USING or WITH"):
        with_update_dataset("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://g"], [])


def test_graphs_named_is_none_when_the_update_may_write_any_graph() -> None:
    assert graphs_named(f"DROP GRAPH <{G1}>") == {G1}
    assert graphs_named("INSERT DATA { GRAPH <g> { <s> <p> <o> } }", EX) == {
        EX + "g", EX + "s", EX + "p", EX + "o"}
    for update in ("CLEAR ALL", "DROP NAMED", "INSERT { GRAPH ?g { <s> <p> <o> } } WHERE {}",
                   "PREFIX e: <x> DROP GRAPH e:g", f"COPY <{G1}> TO <{G2}>"):
        assert graphs_named(update) is None, update
