"""The pages of ``kg serve`` for people and crawlers (layer 6): linked-data pages for
every IRI under the base, search, named queries over HTTP, and the SPARQL query page.

Like ``kg.server`` this module only translates: a request becomes one ``Endpoint`` call
(which runs the library's SPARQL in the query workers) and its answer becomes HTML from
the templates in ``kg/templates`` (Jinja2, every value escaped), or JSON, or RDF.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kg import errors
from kg.endpoint import GRAPH_FORMATS, Endpoint, kind_of
from kg.linked import Hit, Page, fallback_label
from kg.queries import NamedQuery, example
from kg.server import FORM, OFFERS, STATUS, call, handles_errors, negotiate, read_body
from kg.vocab import PREFIXES, WIKIDATA_ENTITY

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"
ID_PATH = "/id/"  # where the IRIs under the base are served
SEARCH_LIMIT = 50

HTML_OFFERS = (("text/html", "html"), ("application/xhtml+xml", "html"))
# what a resource page is offered as, besides HTML; the suffix that asks for each
RDF_OFFERS = (
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"),
)
SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml",
            ".html": "html"}
ALTERNATES = (("Turtle", ".ttl", "turtle"), ("JSON-LD", ".jsonld", "jsonld"),
              ("N-Triples", ".nt", "ntriples"))
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
JSON_OFFERS = (("text/html", "html"), ("application/json", "json"))

DEFAULT_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>

# Who holds which post in which body, most reported first
SELECT ?person ?name ?post ?body (COUNT(?m) AS ?reports) WHERE {
  ?m a org:Membership ; org:member ?person ; org:role/rdfs:label ?post ;
     org:organization/rdfs:label ?body .
  ?person rdfs:label ?name .
}
GROUP BY ?person ?name ?post ?body
ORDER BY DESC(?reports) ?name
LIMIT 50
"""


class Site:
    """Renders pages for IRIs under ``base``, which are served at ``/id/...``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
            autoescape=True, trim_blocks=True, lstrip_blocks=True,
            undefined=jinja2.StrictUndefined)
        self.env.filters.update(local=self._local, external=external, short=short,
                                href=self._href)

    # -------------------------------------------------------------- IRIs <-> paths

    def iri_of(self, path: str) -> str:
        """The IRI a path under /id/ stands for."""
        return self.base + path

    @jinja2.pass_context
    def _local(self, context: jinja2.runtime.Context, iri: str) -> str | None:
        return self.local(iri, context.get("root", ""))

    def local(self, iri: str, root: str = "") -> str | None:
        """The path of the page about ``iri`` on this server, if it is under the base."""
        if not isinstance(iri, str) or not iri.startswith(self.base) or iri == self.base:
            return None
        return root + ID_PATH + quote(iri[len(self.base):], safe="/:@!$&'()*+,;=-._~%")

    @jinja2.pass_context
    def _href(self, context: jinja2.runtime.Context, iri: str) -> str:
        """A link target that is safe to follow: a local page, an http(s) IRI, or none."""
        local = self.local(iri, context.get("root", ""))
        return local or (iri if external(iri) else "#")

    def render(self, request: Request, template: str, status: int = 200,
               headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        values.setdefault("q", None)
        html = self.env.get_template(template).render(root=root, **values)
        return HTMLResponse(html, status_code=status,
                            headers={"Vary": "Accept", **(headers or {})})


def external(iri: object) -> bool:
    """Only http(s) IRIs become outgoing links (never javascript:, data:, file:)."""
    return isinstance(iri, str) and iri.startswith(("http://", "https://"))


def short(iri: str) -> str:
    """A prefixed name for an IRI in a known namespace (wd: for Wikidata), else the IRI."""
    if iri.startswith(WIKIDATA_ENTITY):
        return "wd:" + iri[len(WIKIDATA_ENTITY):]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def site_of(request: Request) -> Site:
    return request.app.state.site


def endpoint_of(request: Request) -> Endpoint:
    return request.app.state.endpoint


def _root(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def _negotiate(request: Request, offers: tuple[tuple[str, str], ...]) -> str:
    found = negotiate(request.headers.get("accept"), offers)
    if found is None:
        raise errors.NotAcceptable(
            "none of the accepted formats is offered here",
            "accept one of: " + ", ".join(dict.fromkeys(m for m, _ in offers)))
    return found


# ---------------------------------------------------------------- /id/... pages


async def resource(request: Request) -> Response:
    site = site_of(request)
    path = request.path_params["path"]
    suffix = next((s for s in SUFFIXES if path.endswith(s)), None)
    if suffix is not None:
        path, fmt = path[: -len(suffix)], SUFFIXES[suffix]
    else:
        fmt = _negotiate(request, HTML_OFFERS + RDF_OFFERS)
    iri = site.iri_of(path)
    endpoint = endpoint_of(request)
    moved = await call(request, endpoint.replacement, iri)
    if moved is not None and site.local(moved, _root(request)):
        # merged away by a curation: saved links follow to the IRI that stands for it now
        return RedirectResponse(site.local(moved, _root(request)) + (suffix or ""),
                                status_code=301, headers={"Vary": "Accept"})
    if fmt != "html":
        answer = await call(request, endpoint.describe, iri, fmt)
        if answer is None:
            raise errors.NotFoundError(f"nothing is known about {iri}",
                                       f"search for it at {_root(request)}/search?q=...")
        return Response(answer.body, media_type=answer.media_type,
                        headers={"Vary": "Accept", **_alternates(request, site, iri)})
    page = await call(request, endpoint.page, iri)
    if page is None:
        guess = re.sub(r"[-_/]+", " ", fallback_label(iri)).strip()
        return site.render(request, "notfound.html", status=404, iri=iri, guess=guess,
                           q=guess)
    return site.render(request, "resource.html", headers=_alternates(request, site, iri),
                       page=page,
                       alternates=_alternate_list(request, site, iri),
                       picture=_picture(request, site, page),
                       timeline=_timeline(request, site, page))


def _alternate_list(request: Request, site: Site, iri: str) -> list[dict[str, str]]:
    here = site.local(iri, _root(request)) or ""
    return [{"name": name, "href": here + suffix, "media_type": GRAPH_FORMATS[fmt][1]}
            for name, suffix, fmt in ALTERNATES]


def _alternates(request: Request, site: Site, iri: str) -> dict[str, str]:
    links = [f'<{a["href"]}>; rel="alternate"; type="{a["media_type"].split(";")[0]}"'
             for a in _alternate_list(request, site, iri)]
    return {"Link": ", ".join(links)}


def _picture(request: Request, site: Site, page: Page) -> dict[str, list[dict[str, str]]]:
    graph = page.graph()
    for node in graph["nodes"]:
        node["href"] = site.local(node["id"], _root(request)) or ""
    return graph


def _timeline(request: Request, site: Site, page: Page) -> list[dict[str, str]]:
    items = page.timeline()
    for item in items:
        item["href"] = site.local(item["iri"], _root(request)) or ""
    return items


# ---------------------------------------------------------------- /search


async def search(request: Request) -> Response:
    site = site_of(request)
    text = request.query_params.get("q", "").strip()
    fmt = request.query_params.get("format") or _negotiate(request, JSON_OFFERS)
    if fmt not in ("html", "json"):
        raise errors.RequestError(f"unknown format '{fmt}'", "use format=html or format=json")
    hits: list[Hit] = []
    if text:
        hits = await call(request, endpoint_of(request).search, text, SEARCH_LIMIT)
    if fmt == "json":
        return JSONResponse({"query": text, "results": [
            {**asdict(hit), "href": site.local(hit.iri, _root(request))} for hit in hits]},
            headers={"Vary": "Accept"})
    return site.render(request, "search.html", q=text, hits=hits, limit=SEARCH_LIMIT)


# ---------------------------------------------------------------- /queries/


async def named_list(request: Request) -> Response:
    queries = await call(request, endpoint_of(request).named_queries)
    fmt = request.query_params.get("format") or _negotiate(request, JSON_OFFERS)
    if fmt == "json":
        return JSONResponse([_describe_named(q) for q in queries])
    return site_of(request).render(request, "queries.html", queries=queries, values=None)


def _describe_named(query: NamedQuery) -> dict[str, Any]:
    return {"name": query.name, "title": query.title, "description": query.description,
            "params": [{"name": p.name, "required": p.required, "kind": p.kind,
                        "description": p.description} for p in query.params]}


async def _request_values(request: Request) -> list[tuple[str, str]]:
    pairs = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != FORM:
            raise errors.UnsupportedMediaType(
                f"a POST to a named query cannot be {media or 'without a Content-Type'}",
                f"send the parameters as {FORM}, or in the URL")
        body = await read_body(request)
        pairs += parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return pairs


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


async def named_run(request: Request) -> Response:
    endpoint = endpoint_of(request)
    site = site_of(request)
    query = await call(request, endpoint.named_query, request.path_params["name"])
    values: dict[str, str] = {}
    fmt = None
    for key, value in await _request_values(request):
        if key == "format":
            fmt = value
        elif key == "query":  # the query page's editor sends the text it shows
            if not _same_text(value, query.sparql):
                raise errors.RequestError(
                    "a named query's SPARQL cannot be changed",
                    "change its parameters (in the endpoint box: ?name=value), or run the "
                    "edited SPARQL at /sparql")
        elif key in values:
            raise errors.RequestError(f"parameter '{key}' is given twice", "give it once")
        else:
            values[key] = value
    kind = kind_of(query.sparql) or "solutions"
    if fmt is None:
        fmt = _negotiate(request, HTML_OFFERS + OFFERS[kind])
    if fmt == "html":
        return await _named_html(request, site, endpoint, query, values)
    formats = _formats_for(fmt, kind)
    answer = await call(request, endpoint.run_named, query.name, values, formats)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


def _formats_for(fmt: str, kind: str) -> dict[str, str]:
    names = {"solutions": RESULT_FORMATS, "boolean": ("json", "xml"),
             "graph": tuple(GRAPH_FORMATS)}[kind]
    if fmt not in names:
        raise errors.RequestError(f"unknown format '{fmt}' for this query",
                                  "use format=" + "|".join(("html", *names)))
    return {kind: fmt}


async def _named_html(request: Request, site: Site, endpoint: Endpoint, query: NamedQuery,
                      values: dict[str, str]) -> Response:
    given = {k: v for k, v in values.items() if v != ""}
    if not given and any(p.required for p in query.params):
        return site.render(request, "named.html", q=query, values=values, table=None,
                           error=None)
    try:
        answer = await call(request, endpoint.run_named, query.name, values,
                                         {"solutions": "json", "boolean": "json",
                                          "graph": "turtle"})
    except (errors.QueryError, errors.ResultTooLarge, errors.QueryTimeout) as error:
        status = next((STATUS[c] for c in type(error).__mro__ if c in STATUS), 500)
        return site.render(request, "named.html", status=status, q=query, values=values,
                           table=None, error=error)
    table = _table(answer.body, query, site, _root(request))
    table["links"] = {f: f"{_root(request)}/queries/{query.name}?"
                      + urlencode({**given, "format": f}) for f in RESULT_FORMATS}
    return site.render(request, "named.html", q=query, values=values, table=table, error=None)


def _table(body: bytes, query: NamedQuery, site: Site, root: str) -> dict[str, Any]:
    """SPARQL JSON results as columns and cells, without the parameters' echo columns."""
    data = json.loads(body)
    if "boolean" in data:
        return {"columns": ["answer"], "rows": [[{"type": "literal",
                                                  "value": str(data["boolean"]).lower()}]]}
    hidden = {p.name for p in query.params}
    columns = [v for v in data["head"]["vars"] if v not in hidden]
    rows = []
    for binding in data["results"]["bindings"]:
        row = []
        for name in columns:
            cell = binding.get(name)
            if cell is not None and cell["type"] == "uri":
                cell = {**cell, "label": short(cell["value"])}
            row.append(cell)
        rows.append(row)
    return {"columns": columns, "rows": rows}


# ---------------------------------------------------------------- / (the query page)


async def query_page(request: Request) -> Response:
    queries = await call(request, endpoint_of(request).named_queries)
    base = str(request.base_url).rstrip("/")
    tabs = []
    for query in queries:
        params = {p.name: example(p) for p in query.params if p.required}
        if any(v is None for v in params.values()) or any(
                p.kind == "iri" for p in query.params if p.required):
            continue  # no real example to fill in: the query is still on /queries/
        target = f"{base}/queries/{query.name}" + (f"?{urlencode(params)}" if params else "")
        tabs.append({"name": query.title, "sparql": query.sparql, "endpoint": target})
    config = {"endpoint": str(request.url_for("sparql")), "query": DEFAULT_QUERY,
              "tabs": tabs}
    return site_of(request).render(request, "query.html", config=config,
                                   endpoint=config["endpoint"])


async def old_queries_path(request: Request) -> Response:
    return RedirectResponse(f"{_root(request)}/queries/", status_code=308)


def routes() -> list[BaseRoute]:
    """The page routes; ``kg.server.create_app`` puts them beside the protocol's."""
    text_errors = handles_errors
    return [
        Route("/", text_errors(query_page), methods=["GET"]),
        Route(ID_PATH + "{path:path}", text_errors(resource), methods=["GET"]),
        Route("/search", text_errors(search), methods=["GET"]),
        Route("/queries", old_queries_path, methods=["GET"]),
        Route("/queries/", text_errors(named_list), methods=["GET"]),
        Route("/queries/{name}", text_errors(named_run), methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
