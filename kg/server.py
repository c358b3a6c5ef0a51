"""``kg serve`` (layer 6): HTTP in, ``kg.endpoint`` calls, HTTP out.

This module only reads requests (SPARQL 1.1 Protocol and Graph Store HTTP Protocol),
negotiates formats, checks the write token, and turns a KGError into a status through
one table (``STATUS``). What a query, an update or a graph write does is
``kg.endpoint``'s business.

How it runs (``serve``). Read-only, uvicorn's supervisor keeps ``workers`` processes
answering on one socket, each running queries in its own threads on a read-only store:
no hand-over to another process, and every core busy. A thread cannot be stopped, so
when a query overruns ``--timeout`` the process answers 503, stops taking requests,
finishes the others and exits, and the supervisor starts a fresh one; the other
processes keep answering meanwhile. With ``--allow-writes`` one process holds the store
read-write and runs queries in a pool of worker processes (``kg.workers.QueryPool``),
which kills an overrunning one.

A remote store (``--store http(s)://...``) is served the same way (several processes
read-only, one with writes), but a query is an HTTP request to the endpoint whose
timeout is the time limit: nothing overruns here, so no process retires and no worker
is needed. The remote's failures answer 502, its timeouts 504.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.parser
import email.policy
import functools
import hmac
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg import errors
from kg.config import is_remote, store_location
from kg.endpoint import Answer, Dataset, Endpoint, Settings, kind_of
from kg.workers import timeout_error

log = logging.getLogger("kg.server")

# One table: the error a library call raised -> the HTTP status it answers with.
STATUS: dict[type[errors.KGError], int] = {
    errors.RequestError: 400,
    errors.QueryError: 400,
    errors.InputError: 400,
    errors.UsageError: 400,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.Refused: 403,
    errors.NotFoundError: 404,
    errors.NotAcceptable: 406,
    errors.BodyTooLarge: 413,
    errors.UnsupportedMediaType: 415,
    errors.ResultTooLarge: 422,
    errors.QueryTimeout: 503,
    errors.StoreError: 500,
    errors.RemoteStoreError: 502,  # a remote store's failure: a bad gateway
    errors.RemoteTimeout: 504,
}

SOLUTION_OFFERS = (
    ("application/sparql-results+json", "json"), ("application/json", "json"),
    ("application/sparql-results+xml", "xml"), ("application/xml", "xml"),
    ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("text/xml", "xml"),
)
BOOLEAN_OFFERS = tuple(o for o in SOLUTION_OFFERS if o[1] in ("json", "xml"))
GRAPH_OFFERS = (
    ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"), ("text/plain", "ntriples"),
    ("application/ld+json", "jsonld"), ("application/rdf+xml", "rdfxml"),
    ("application/trig", "trig"), ("application/n-quads", "nquads"), ("text/n3", "n3"),
)
OFFERS = {"solutions": SOLUTION_OFFERS, "boolean": BOOLEAN_OFFERS, "graph": GRAPH_OFFERS}
FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass(frozen=True)
class HttpSettings:
    """The HTTP side of ``kg serve``: who may write, from where browsers may read."""

    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    max_body: int = 10 * 1024 * 1024
    store_path: str = "/store"
    threads: int = 4  # requests one process works on at once


# ---------------------------------------------------------------- content negotiation


def _accept_ranges(header: str) -> list[tuple[str, float]]:
    ranges = []
    for item in header.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q))
    return ranges


@functools.lru_cache(maxsize=1024)
def negotiate(header: str | None, offers: tuple[tuple[str, str], ...]) -> str | None:
    """The offer's format name the Accept header likes best (q-values, the most specific
    range deciding); ties go to the earlier offer. None when nothing is acceptable.
    (Remembered: clients send the same few headers again and again.)"""
    if not header or not header.strip():
        return offers[0][1]
    ranges = _accept_ranges(header)
    best, best_q = None, 0.0
    for media, name in offers:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = name, q
    return best


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    kind = media.split("/")[0]
    exact = [q for r, q in ranges if r == media]
    if exact:
        return max(exact)
    partial = [q for r, q in ranges if r == f"{kind}/*"]
    if partial:
        return max(partial)
    return max((q for r, q in ranges if r == "*/*"), default=0.0)


# ---------------------------------------------------------------- responses


def error_response(error: errors.KGError) -> Response:
    status = next((STATUS[c] for c in type(error).__mro__ if c in STATUS), 500)
    text = f"error: {error.message}\n" + (f"hint: {error.hint}\n" if error.hint else "")
    headers = {"WWW-Authenticate": 'Bearer realm="kg"'} if status == 401 else None
    return PlainTextResponse(text, status_code=status, headers=headers)


def answer_response(answer: Answer, head: bool = False) -> Response:
    return Response(b"" if head else answer.body, media_type=answer.media_type,
                    headers={"Vary": "Accept"})


Handler = Callable[[Request], Awaitable[Response]]


def handles_errors(handler: Handler) -> Handler:
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except errors.KGError as error:
            return error_response(error)

    return wrapped


# ---------------------------------------------------------------- request reading


async def read_body(request: Request) -> bytes:
    """The body, refusing it past ``max_body`` bytes before reading it all."""
    limit = request.app.state.http.max_body
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> errors.BodyTooLarge:
    return errors.BodyTooLarge(f"the request body is larger than {limit} bytes",
                               "send less, or ask the operator to raise kg serve --max-body")


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    media, *params = (p.strip() for p in header.split(";"))
    pairs = dict(p.partition("=")[::2] for p in params if "=" in p)
    return media.lower(), {k.strip().lower(): v.strip().strip('"') for k, v in pairs.items()}


def _text(body: bytes, params: dict[str, str]) -> str:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise errors.UnsupportedMediaType(f"the body is in {charset}",
                                          "send SPARQL in UTF-8 (charset=utf-8)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise errors.RequestError("the body is not valid UTF-8", "send SPARQL in UTF-8") from None


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise errors.RequestError(f"the request has {len(values)} '{name}' parameters",
                                  f"send exactly one {name}")
    return values[0] if values else None


@dataclass
class Operation:
    """A protocol request read: a query or an update, and the dataset parameters."""

    query: str | None
    update: str | None
    params: list[tuple[str, str]]

    def values(self, name: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.params if k == name)


async def read_operation(request: Request) -> Operation:
    """The query or update of a GET or POST to /sparql (SPARQL 1.1 Protocol 2.1, 2.2)."""
    url_params = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "GET":
        return _operation(url_params, [], [])
    media, params = _media_type(request)
    body = await read_body(request)
    if media == FORM:
        form = parse_qsl(_text(body, params), keep_blank_values=True)
        return _operation(url_params + form, [], [])
    if media == QUERY_TYPE:
        return _operation(url_params, [_text(body, params)], [])
    if media == UPDATE_TYPE:
        return _operation(url_params, [], [_text(body, params)])
    raise errors.UnsupportedMediaType(
        f"a POST to the SPARQL endpoint cannot be {media or 'without a Content-Type'}",
        f"send {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}")


def _operation(params: list[tuple[str, str]], queries: list[str], updates: list[str]
               ) -> Operation:
    queries = queries + [v for k, v in params if k == "query"]
    updates = updates + [v for k, v in params if k == "update"]
    query, update = _one(queries, "query"), _one(updates, "update")
    if query is not None and update is not None:
        raise errors.RequestError("the request has both a query and an update",
                                  "send one operation per request")
    return Operation(query, update, params)


def check_token(request: Request) -> None:
    """A write needs ``Authorization: Bearer <token>`` matching the operator's token."""
    expected = request.app.state.http.token
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if not given or scheme.lower() != "bearer":
        raise errors.Unauthorized("writing needs a token",
                                  "send Authorization: Bearer <token>")
    if expected is None or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise errors.Forbidden("the token is not valid for writing", "check the token")


def endpoint_of(request: Request) -> Endpoint:
    return request.app.state.endpoint


T = TypeVar("T")
_REMOTE_GRACE = 1.0  # seconds the HTTP client of a remote store has to time out first


async def call(request: Request, method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``method(*args, **kwargs)`` (an ``Endpoint`` read) in one of this process's threads.

    When queries run in this process, the time limit is kept here: past it the client
    gets 503 and, if the query is still running, the process retires (a thread cannot be
    stopped; see the module's docstring). A request still waiting for a free thread at
    the limit is dropped without retiring. A ``QueryPool`` keeps the limit itself. For a
    remote store the HTTP client keeps it (its ``RemoteTimeout`` frees the thread); the
    limit here, a little later, is the backstop, and never retires the process.
    """
    state = request.app.state
    future = state.executor.submit(partial(method, *args, **kwargs))
    endpoint = endpoint_of(request)
    settings = endpoint.settings
    if not settings.in_process and not endpoint.remote:
        return await asyncio.wrap_future(future)
    limit = settings.timeout + (_REMOTE_GRACE if endpoint.remote else 0)
    try:
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), limit)
    except asyncio.TimeoutError:
        if future.cancel():
            raise timeout_error(settings.timeout, busy=True) from None
        if endpoint.remote:
            raise errors.RemoteTimeout(
                f"the remote store did not answer within {settings.timeout:g} s",
                "add LIMIT, or ask the operator to raise kg serve --timeout") from None
        state.retire()
        raise timeout_error(settings.timeout) from None


def _require_writes(request: Request) -> None:
    if not endpoint_of(request).settings.allow_writes:
        raise errors.Refused("this endpoint is read-only",
                             "the operator can enable writes with kg serve --allow-writes")
    check_token(request)


# ---------------------------------------------------------------- /sparql


@handles_errors
async def sparql(request: Request) -> Response:
    operation = await read_operation(request)
    if operation.update is not None:
        if request.method == "GET":
            raise errors.RequestError("an update cannot be sent with GET",
                                      f"POST it as {UPDATE_TYPE} or in a form")
        return await _update(request, operation)
    if operation.query is None:
        if request.method == "POST":
            raise errors.RequestError("the request has no query or update",
                                      "send query=... or update=...")
        return await _describe(request)
    return await _query(request, operation)


async def _query(request: Request, operation: Operation) -> Response:
    sparql_text = operation.query or ""
    accept = request.headers.get("accept")
    formats = {kind: name for kind, offers in OFFERS.items()
               if (name := negotiate(accept, offers)) is not None}
    kind = kind_of(sparql_text)
    if kind is not None and kind not in formats:
        raise errors.NotAcceptable(f"none of the accepted formats ({accept}) can carry "
                                   f"{kind} results", _offers_hint(kind))
    dataset = Dataset(operation.values("default-graph-uri"), operation.values("named-graph-uri"))
    endpoint, base = endpoint_of(request), _base(request)
    answer = (endpoint.cached_query(sparql_text, formats, dataset, base)
              or await call(request, endpoint.query, sparql_text, formats, dataset, base))
    return answer_response(answer)


async def _update(request: Request, operation: Operation) -> Response:
    _require_writes(request)
    await run_in_threadpool(
        endpoint_of(request).update, operation.update or "",
        using=operation.values("using-graph-uri"),
        using_named=operation.values("using-named-graph-uri"), base_iri=_base(request))
    return Response(status_code=204)


async def _describe(request: Request) -> Response:
    fmt = _graph_format(request)
    answer = endpoint_of(request).describe_service(_base(request), fmt)
    return answer_response(answer, head=request.method == "HEAD")


def _graph_format(request: Request) -> str:
    fmt = negotiate(request.headers.get("accept"), GRAPH_OFFERS)
    if fmt is None:
        raise errors.NotAcceptable("none of the accepted formats can carry RDF",
                                   _offers_hint("graph"))
    return fmt


def _offers_hint(kind: str) -> str:
    return "accept one of: " + ", ".join(dict.fromkeys(m for m, _ in OFFERS[kind]))


def _base(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


# ---------------------------------------------------------------- /store (Graph Store)


def target_graph(request: Request) -> str | None:
    """``?default`` (None), ``?graph=IRI``, or the request URL itself under /store/."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    names = [k for k, _ in params]
    graphs = [v for k, v in params if k == "graph"]
    if "default" in names and graphs:
        raise errors.RequestError("both ?default and ?graph given", "name one graph")
    if "default" in names:
        return None
    iri = _one(graphs, "graph") if graphs else None
    if iri is None:
        if request.url.path.rstrip("/") == request.app.state.http.store_path:
            raise errors.RequestError("no graph named", "add ?default or ?graph=IRI")
        iri = _base(request)
    try:
        ox.NamedNode(iri)
    except ValueError as error:
        raise errors.RequestError(f"{iri!r} is not an IRI: {error}", "give an absolute IRI"
                                  ) from None
    return iri


async def rdf_parts(request: Request) -> list[tuple[bytes, str]]:
    """The RDF documents of a PUT or POST body: one, or one per part of multipart/form-data."""
    body = await read_body(request)
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        return [(body, content_type)]
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise errors.RequestError("the multipart body cannot be read", "check its boundary")
    return [(part.get_payload(decode=True) or b"", part.get("content-type", ""))
            for part in message.iter_parts()]


@handles_errors
async def graph_store(request: Request) -> Response:
    method = request.method
    if method in ("GET", "HEAD"):
        graph = target_graph(request)
        answer = await call(request, endpoint_of(request).get_graph, graph,
                            _graph_format(request))
        return answer_response(answer, head=method == "HEAD")
    _require_writes(request)
    if method == "DELETE":
        await run_in_threadpool(endpoint_of(request).delete_graph, target_graph(request))
        return Response(status_code=204)
    if method == "POST" and _creates_graph(request):
        return await _create_graph(request)
    graph = target_graph(request)
    write = endpoint_of(request).put_graph if method == "PUT" else endpoint_of(request).post_graph
    created = await run_in_threadpool(write, graph, await rdf_parts(request), graph)
    return Response(status_code=201 if created else 204)


def _creates_graph(request: Request) -> bool:
    return (not request.url.query
            and request.url.path.rstrip("/") == request.app.state.http.store_path)


async def _create_graph(request: Request) -> Response:
    iri = Endpoint.new_graph_iri(_base(request))
    await run_in_threadpool(endpoint_of(request).post_graph, iri, await rdf_parts(request), iri)
    return Response(status_code=201, headers={"Location": iri})


# ---------------------------------------------------------------- /.well-known/void


@handles_errors
async def void(request: Request) -> Response:
    sparql_url = str(request.url_for("sparql"))
    answer = await call(request, endpoint_of(request).void, _base(request), sparql_url,
                        _graph_format(request))
    return answer_response(answer, head=request.method == "HEAD")


# ---------------------------------------------------------------- the app


class AccessLog:
    """One line per request on stderr: time, client, method, target, status, bytes,
    milliseconds. Written directly, not through ``logging``, which cost a quarter of a
    cached answer's time (its records and time formatting); the time stamp is formatted
    once a second."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._second = -1
        self._stamp = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, seen = time.perf_counter(), [500, 0]  # status, body bytes

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen[0] = message["status"]
            elif message["type"] == "http.response.body":
                seen[1] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            target = scope["path"] + (f"?{scope['query_string'].decode(errors='replace')}"
                                      if scope.get("query_string") else "")
            sys.stderr.write(f'{self._now()} {client} "{scope["method"]} {target[:300]}" '
                             f"{seen[0]} {seen[1]}B "
                             f"{(time.perf_counter() - start) * 1000:.1f}ms\n")

    def _now(self) -> str:
        second = int(time.time())
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        return self._stamp


def create_app(endpoint: Endpoint, http: HttpSettings,
               retire: Callable[[], None] | None = None) -> Starlette:
    """The ASGI app over ``endpoint``; CORS only for the origins the operator lists.
    ``retire`` is called when a query overran in this process's threads (a process of
    ``serve``'s read-only mode: it ends the process). The protocol's routes are here,
    the pages' in ``kg.web``."""
    from kg import web

    middleware = [Middleware(AccessLog)]
    if http.cors_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(http.cors_origins),
            allow_methods=["GET", "HEAD", "POST"], allow_headers=["Content-Type", "Accept"],
            expose_headers=["Content-Type"], max_age=600))
    store = http.store_path
    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
        Route("/sparql/", sparql, methods=["GET", "POST"]),
        Route(store, graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route(store + "/{path:path}", graph_store,
              methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/.well-known/void", void, methods=["GET", "HEAD"]),
        *web.routes(),
    ]
    executor = ThreadPoolExecutor(http.threads, thread_name_prefix="kg-request")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        endpoint.close()
        if _retiring.is_set():  # a query thread that overran is still running: end it too
            logging.shutdown()
            os._exit(0)
        executor.shutdown(wait=False, cancel_futures=True)

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.endpoint = endpoint
    app.state.http = http
    app.state.executor = executor
    app.state.retire = retire or (lambda: None)
    app.state.site = web.Site(endpoint.settings.base)
    return app


# ---------------------------------------------------------------- running it

SETTINGS_ENV = "KG_SERVE_SETTINGS"  # how the supervisor hands the settings to its processes
_retiring = threading.Event()  # set once this process has begun to retire


def _retire() -> None:
    """Stop taking requests, answer those under way, then exit (see ``create_app``): the
    supervisor starts a fresh process in this one's place."""
    if _retiring.is_set():
        return
    _retiring.set()
    log.warning("a query overran the time limit in process %s; it will be replaced",
                os.getpid())
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown


def app_from_environment() -> Starlette:
    """The app of one of ``serve``'s read-only processes: uvicorn's supervisor starts each
    with this factory, the settings coming from the parent in ``KG_SERVE_SETTINGS``."""
    fields = json.loads(os.environ[SETTINGS_ENV])
    settings = Settings(**{**fields["endpoint"],
                           "store_path": store_location(fields["store_path"]),
                           "in_process": True})
    http = HttpSettings(**{**fields["http"], "cors_origins": tuple(fields["cors_origins"])})
    _log_to_stderr()
    return create_app(Endpoint(settings), http, retire=_retire)


def _log_to_stderr() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s",
                        stream=sys.stderr)


def _announce(settings: Settings, host: str, port: int) -> None:
    mode = "writes allowed" if settings.allow_writes else "read-only"
    if is_remote(settings.store_path):
        processes = "1 process" if settings.allow_writes else f"{settings.workers} processes"
        cache = ("answers cached until this server writes" if settings.sole_writer
                 else "no answer cache")
        print(f"serving the SPARQL endpoint {settings.store_path} on http://{host}:{port}/ "
              f"({mode}, {processes}, {cache})", file=sys.stderr, flush=True)
        return
    print(f"serving {settings.store_path} on http://{host}:{port}/ ({mode}, "
          f"{settings.workers} {'query workers' if settings.allow_writes else 'processes'})",
          file=sys.stderr, flush=True)


def serve(settings: Settings, http: HttpSettings, host: str, port: int,
          root_path: str = "") -> None:
    """Run ``kg serve`` until interrupted (see the module's docstring for how); the access
    log goes to stderr. ``root_path`` is the path prefix a reverse proxy serves it under.
    A store that cannot be opened fails here, before anything listens."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    _log_to_stderr()
    options: dict[str, Any] = {"host": host, "port": port, "access_log": False,
                               "log_level": "info", "root_path": root_path,
                               "proxy_headers": True}
    if settings.allow_writes:
        endpoint = Endpoint(settings)
        _announce(settings, host, port)
        uvicorn.run(create_app(endpoint, http), **options)
        return
    Endpoint(dataclasses.replace(settings, in_process=True)).close()  # fail early: no store
    _announce(settings, host, port)
    endpoint_fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)
                       if f.name not in ("store_path", "queries_dir", "in_process")}
    os.environ[SETTINGS_ENV] = json.dumps({
        "store_path": str(settings.store_path), "endpoint": endpoint_fields,
        "http": {k: v for k, v in dataclasses.asdict(http).items() if k != "cors_origins"},
        "cors_origins": list(http.cors_origins)})
    config = uvicorn.Config("kg.server:app_from_environment", factory=True,
                            workers=settings.workers,
                            timeout_graceful_shutdown=int(settings.timeout) + 1, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
