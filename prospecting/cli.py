"""The ``prospecting`` command: parse, call one API function, print its report, exit.

Exit status: 0 success, 1 when some input was quarantined, 2 for usage,
configuration, database or input-file errors (one line on stderr; ``-v`` adds the
traceback). Heavy modules load inside the commands so ``--help`` stays instant.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

import click

from .errors import ProspectingError

__all__ = ["cli", "main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config",
        type=click.Path(dir_okay=False),
        default=None,
        help="Settings file (default: $PROSPECTING_CONFIG, else ./prospecting.toml).",
    )(func)


def _config(ctx: click.Context, value: str | None) -> str | None:
    return value or ctx.obj.get("config")


def _run(ctx: click.Context, call: Callable[[], Any]) -> Any:
    """Call the API and turn the project's exceptions into one line and exit 2."""
    verbose = ctx.obj.get("verbose", False)
    try:
        return call()
    except ProspectingError as exc:
        if verbose:
            raise
        _fail(str(exc))
    except sqlite3.Error as exc:
        if verbose:
            raise
        _fail(f"database error: {exc}")
    except OSError as exc:
        if verbose:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        click.echo("interrupted: what was committed stays; re-run to resume", err=True)
        ctx.exit(130)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _finish(ctx: click.Context, report: Any, db: str, what: str = "row") -> None:
    """Print the report, say where quarantined input went, exit with the report's code."""
    _print_report(report)
    if report.quarantined:
        click.echo(
            f"{report.quarantined} {what}(s) quarantined (table 'quarantine' in {db})", err=True
        )
    ctx.exit(report.exit_code)


def _print_report(report: Any) -> None:
    parts = [f"read {report.read}", f"written {report.written}"]
    if report.skipped:
        parts.append(f"skipped {report.skipped}")
    if report.quarantined:
        parts.append(f"quarantined {report.quarantined}")
    click.echo(f"{report.stage}: {', '.join(parts)} in {report.seconds:.2f}s (run {report.run_id})")
    interesting = {k: v for k, v in report.details.items() if v}
    if interesting:
        click.echo("  " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in interesting.items()))
    for message in report.messages:
        click.echo(f"  {message}")


class _Progress:
    """A row counter on stderr while long work runs, only when stderr is a terminal."""

    def __init__(self, label: str, unit: str = "rows") -> None:
        self.label = label
        self.unit = unit
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if self.enabled:
            click.echo(f"\r{self.label}: {done:,} {self.unit}", err=True, nl=total is not None)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="prospecting-pipeline")
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="Settings file (default: $PROSPECTING_CONFIG, else ./prospecting.toml).")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """Local-first outbound prospecting: source, enrich, dedupe and sequence B2B contacts.

    Every command takes the SQLite database file first and creates it when missing.
    """
    ctx.ensure_object(dict)
    ctx.obj["config"] = config
    ctx.obj["verbose"] = verbose


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--icp", type=click.Path(dir_okay=False), help="ICP file to validate and store.")
@_config_option
@click.pass_context
def init(ctx: click.Context, db: str, icp: str | None, config: str | None) -> None:
    """Create or migrate the database and store the ideal customer profile."""
    from . import api

    report = _run(ctx, lambda: api.init(db, icp=icp, config=_config(ctx, config)))
    _print_report(report)


@cli.command(name="import")
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--kind", type=click.Choice(["people", "companies"]), default="people",
              show_default=True, help="What each row describes.")
@click.option("--source", "source_name", help="Source name for lineage (default: file name).")
@click.option("--id-column", help="Column holding the file's own record id (kept as NAME:ID).")
@_config_option
@click.pass_context
def import_(
    ctx: click.Context, db: str, files: tuple[str, ...], kind: str, source_name: str | None,
    id_column: str | None, config: str | None,
) -> None:
    """Import people or companies from CSV (any common delimiter/encoding) or JSONL."""
    from . import api

    report = _run(ctx, lambda: api.import_files(
        db, files, kind=kind, source=source_name, id_column=id_column,
        config=_config(ctx, config), progress=_Progress("import"),
    ))
    _finish(ctx, report, db, "row")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("urls", nargs=-1)
@click.option("--from-db", is_flag=True,
              help="Also crawl every stored company website not crawled recently.")
@click.option("--max-pages", type=int, default=None, show_default="50, or [crawl] max_pages",
              help="Pages per site.")
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt.")
@_config_option
@click.pass_context
def crawl(ctx: click.Context, db: str, urls: tuple[str, ...], from_db: bool,
          max_pages: int | None, ignore_robots: bool, config: str | None) -> None:
    """Crawl company websites and store companies, people, emails and phones found."""
    from . import api

    report = _run(ctx, lambda: api.crawl(db, urls, from_db=from_db, max_pages=max_pages,
                                         ignore_robots=ignore_robots,
                                         config=_config(ctx, config),
                                         progress=_Progress("crawl", unit="pages")))
    _finish(ctx, report, db, "page")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("connector")
@click.option("--base-url", help="Base URL of the connector's API.")
@click.option("--force", is_flag=True, help="Fetch finished queries again.")
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after N pages (resumable).")
@click.option("--no-cache", is_flag=True, help="Bypass the HTTP cache for this run.")
@click.option("--icp", "icp", type=click.Path(dir_okay=False), help="ICP file (default: stored).")
@click.argument("options", nargs=-1, type=click.UNPROCESSED)
@_config_option
@click.pass_context
def source(ctx: click.Context, db: str, connector: str, base_url: str | None, force: bool,
           max_pages: int | None, no_cache: bool, icp: str | None,
           options: tuple[str, ...], config: str | None) -> None:
    """Pull companies and people that fit the ICP from a public-data connector.

    CONNECTOR is one of recherche_entreprises, sec_edgar, companies_house, wikidata,
    github; its own options follow (e.g. --departement 35,75 or --org NAME).
    """
    from . import api

    report = _run(ctx, lambda: api.source(
        db, connector, base_url=base_url, options=options, icp=icp, force=force,
        max_pages=max_pages, no_cache=no_cache, config=_config(ctx, config),
        progress=_Progress("source")))
    _print_report(report)
    ctx.exit(report.exit_code)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--offline", is_flag=True, help="No network at all.")
@click.option("--smtp", is_flag=True, help="Probe mailboxes over SMTP (opt-in).")
@_config_option
@click.pass_context
def enrich(ctx: click.Context, db: str, offline: bool, smtp: bool, config: str | None) -> None:
    """Validate and fill contact fields (email, phone, names, titles, companies)."""
    from . import api

    report = _run(ctx, lambda: api.enrich(db, offline=offline, smtp=smtp,
                                          config=_config(ctx, config),
                                          progress=_Progress("enrich")))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@_config_option
@click.pass_context
@click.option("--retrain", is_flag=True, help="Train the match model again from this data.")
def dedupe(ctx: click.Context, db: str, config: str | None, retrain: bool) -> None:
    """Find and merge duplicate people and companies."""
    from . import api

    report = _run(ctx, lambda: api.dedupe(db, retrain=retrain, config=_config(ctx, config),
                                          progress=_Progress("dedupe pairs")))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("cluster_id")
@_config_option
@click.pass_context
def unmerge(ctx: click.Context, db: str, cluster_id: str, config: str | None) -> None:
    """Undo one merge, exactly."""
    from . import api

    report = _run(ctx, lambda: api.unmerge(db, cluster_id, config=_config(ctx, config)))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--export", "export_path", type=click.Path(dir_okay=False),
              help="Write the pairs waiting for review to this CSV file.")
@click.option("--accept", multiple=True, metavar="PAIR_ID", help="These pairs are duplicates.")
@click.option("--reject", multiple=True, metavar="PAIR_ID",
              help="These pairs are different people (or companies).")
@click.option("--import", "import_path", type=click.Path(dir_okay=False),
              help="Read decisions from a reviewed CSV (its 'decision' column: accept/reject).")
@click.option("--kind", type=click.Choice(["person", "company"]),
              help="List or export only pairs of people, or of companies.")
@_config_option
@click.pass_context
def review(ctx: click.Context, db: str, export_path: str | None, accept: tuple[str, ...],
           reject: tuple[str, ...], import_path: str | None, kind: str | None,
           config: str | None) -> None:
    """List, export, accept or reject the borderline pairs dedupe left for review."""
    from . import api

    report = _run(ctx, lambda: api.review(db, accept=accept, reject=reject,
                                          export_path=export_path, import_path=import_path,
                                          kind=kind, config=_config(ctx, config)))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--icp", type=click.Path(dir_okay=False),
              help="ICP file to score against (default: the latest stored by init).")
@click.option("--as-of", help="Day signal ages are counted from, YYYY-MM-DD (default: now).")
@_config_option
@click.pass_context
def score(ctx: click.Context, db: str, icp: str | None, as_of: str | None,
          config: str | None) -> None:
    """Score ICP fit and signals; set lifecycle stage and temperature, with reasons."""
    from . import api

    report = _run(ctx, lambda: api.score(db, icp=icp, as_of=as_of, config=_config(ctx, config),
                                         progress=_Progress("score")))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_config_option
@click.pass_context
def explain(ctx: click.Context, db: str, email: str, as_json: bool, config: str | None) -> None:
    """Show a person's fit and signal points, stage and temperature, rule by rule.

    EMAIL may also be a person id (p_…). The records merged into the person are listed
    with the cluster id that unmerge takes. With --json: one object, or a list when
    several people share the address.
    """
    from . import api

    found = _run(ctx, lambda: api.explain(db, email, config=_config(ctx, config)))
    if as_json:
        click.echo(json.dumps(found if len(found) > 1 else found[0], indent=2,
                              ensure_ascii=False))
        return
    for item in found:
        who = ", ".join(str(v) for v in (item["name"], item["title"], item["company"]) if v)
        click.echo(f"{item['id']}  {who or item['email'] or ''}")
        for merge in item["merges"]:
            members = "; ".join(
                " ".join(v for v in (m["name"], f"<{m['emails'][0]}>" if m["emails"] else None,
                                     f"[{', '.join(m['source_ids'])}]" if m["source_ids"]
                                     else None) if v) or m["id"]
                for m in merge["members"])
            click.echo(f"  merged      {merge['cluster_id']} (p {merge['probability']:.2f},"
                       f" {merge['merged_at'][:10]}) took in: {members}")
            click.echo(f"              {'; '.join(merge['reasons'][:4])}; undo with"
                       f" 'prospecting unmerge DB {merge['cluster_id']}'")
        if not item["scored"]:
            click.echo("  not scored yet: run 'prospecting score' first")
            continue
        click.echo(
            f"  stage {item['stage']}, temperature {item['temperature']}, total "
            f"{item['total']:g} (fit {item['fit']:g} + signals {item['signal']:g}),"
            f" as of {item['as_of'][:10]}"
        )
        if item["stale"]:
            click.echo("  (their data changed since: run 'prospecting score' again)")
        for reason in item["reasons"]:
            points = f"{reason['points']:+g}" if reason["part"] in ("fit", "signal") else ""
            click.echo(f"  {reason['part']:<11} {points:>7}  {reason['rule']}: {reason['detail']}")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--kind", type=click.Choice(["visit", "product_usage", "sales_qualified",
                                           "customer", "crm"]),
              help="What every row is; crm: each row's lifecycle stage column decides."
                   " Default: the file's kind column.")
@click.option("--source", "source_name", help="Source name kept with each activity"
              " (default: file name).")
@_config_option
@click.pass_context
def signals(ctx: click.Context, db: str, files: tuple[str, ...], kind: str | None,
            source_name: str | None, config: str | None) -> None:
    """Import web visits, product usage or CRM lifecycle marks (CSV or JSONL) for scoring."""
    from . import api

    report = _run(ctx, lambda: api.signals(db, files, kind=kind, source=source_name,
                                           config=_config(ctx, config),
                                           progress=_Progress("signals")))
    _finish(ctx, report, db, "row")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--sequence", "sequence_file", type=click.Path(dir_okay=False), multiple=True,
              help="Sequence TOML file (repeatable; default: the bundled one per segment).")
@click.option("--start", help="First day of the cadence, YYYY-MM-DD.")
@_config_option
@click.pass_context
def sequence(ctx: click.Context, db: str, sequence_file: tuple[str, ...], start: str | None,
             config: str | None) -> None:
    """Build outreach lists per segment and plan their cadences."""
    from . import api

    report = _run(ctx, lambda: api.sequence(db, sequence=sequence_file or None, start=start,
                                            config=_config(ctx, config)))
    _finish(ctx, report, db, "member")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--tool", type=click.Choice(["lemlist", "instantly", "smartlead", "hubspot",
                                           "brevo", "mailchimp"]),
              help="The tool that wrote the file (default: told by its columns).")
@_config_option
@click.pass_context
def results(ctx: click.Context, db: str, file: str, tool: str | None,
            config: str | None) -> None:
    """Import an email tool's activity export: bounces, replies, unsubscribes, opens."""
    from . import api

    report = _run(ctx, lambda: api.results(db, file, tool=tool, config=_config(ctx, config)))
    _finish(ctx, report, db, "row")


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["lemlist", "instantly", "smartlead", "hubspot", "brevo",
                                 "mailchimp", "apollo", "salesforce", "csv", "jsonl"]),
              help="Target tool or file format.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--segment", type=click.Choice(["enriched", "non-enriched", "newsletter"]),
              help="Only this segment.")
@click.option("--kind", type=click.Choice(["people", "companies"]), default="people",
              show_default=True, help="People or companies (companies: jsonl only).")
@_config_option
@click.pass_context
def export(ctx: click.Context, db: str, fmt: str, out: str, segment: str | None, kind: str,
           config: str | None) -> None:
    """Write a file an email tool or CRM imports, or the full JSONL dump."""
    from . import api

    report = _run(ctx, lambda: api.export(db, format=fmt, out=out, segment=segment, kind=kind,
                                          config=_config(ctx, config)))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("values", nargs=-1, required=True)
@click.option("--reason", default="manual", show_default=True, help="Why, kept with the entry.")
@_config_option
@click.pass_context
def suppress(ctx: click.Context, db: str, values: tuple[str, ...], reason: str,
             config: str | None) -> None:
    """Never contact these emails or @domains (applied at import, list build and export)."""
    from . import api

    report = _run(ctx, lambda: api.suppress(db, values, reason=reason,
                                            config=_config(ctx, config)))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.argument("email")
@_config_option
@click.pass_context
def forget(ctx: click.Context, db: str, email: str, config: str | None) -> None:
    """Erase a person everywhere, keeping only a hash so they are never re-imported."""
    from . import api

    report = _run(ctx, lambda: api.forget(db, email, config=_config(ctx, config)))
    _print_report(report)


@cli.command()
@click.argument("db", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_config_option
@click.pass_context
def status(ctx: click.Context, db: str, as_json: bool, config: str | None) -> None:
    """Counts per table, stage and tag; the last runs."""
    from . import api

    info = _run(ctx, lambda: api.status(db, config=_config(ctx, config)))
    if as_json:
        click.echo(json.dumps(info, indent=2, ensure_ascii=False))
        return
    click.echo(f"database {info['database']}")
    if info["icp"]:
        click.echo(f"  ICP: {info['icp']['name']} ({info['icp']['hash'][:12]})")
    click.echo("  " + ", ".join(f"{k} {v:,}" for k, v in info["tables"].items()))
    for title in ("tags", "stages", "temperatures", "segments", "email_status", "email_codes",
                  "quarantine", "suppressions", "dedupe"):
        if info[title]:
            click.echo(f"  {title}: " + ", ".join(f"{k} {v:,}" for k, v in info[title].items()))
    for name, counts in info["sequences"].items():
        click.echo(f"  sequence {name}: {counts['active']:,} active, {counts['stopped']:,} "
                   f"stopped, {counts['planned_touches']:,} planned touches")
    if info["runs"]:
        click.echo("  last runs:")
        for run in info["runs"][:5]:
            click.echo(f"    {run['started_at'][:19]}  {run['command']:<9} {run['status']}")


@cli.command()
@click.argument("db", required=False, type=click.Path(dir_okay=False))
@_config_option
@click.pass_context
def demo(ctx: click.Context, db: str | None, config: str | None) -> None:
    """Run the whole pipeline offline on the bundled demo (default DB: ./demo.db)."""
    from . import api

    result = _run(ctx, lambda: api.demo(db, config=_config(ctx, config),
                                        progress=_Progress("import")))
    click.echo(f"demo database: {result.database}")
    for report in result.reports:
        _print_report(report)
    click.echo("files written:")
    for path in result.files:
        click.echo(f"  {path}")
    info = api.status(result.database, config=_config(ctx, config))
    tables, merged = info["tables"], info["dedupe"]
    click.echo(
        f"summary: {tables['people'] - merged['people_merged']} people and "
        f"{tables['companies'] - merged['companies_merged']} companies after dedupe "
        f"({merged['clusters']} clusters merged, {merged['pending_reviews']} pairs to review), "
        f"{tables['quarantine']} quarantined rows, tags "
        + ", ".join(f"{k} {v}" for k, v in info["tags"].items())
        + "; best email "
        + ", ".join(f"{k} {v}" for k, v in info["email_status"].items())
    )
    for title in ("stages", "temperatures", "segments"):
        click.echo(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in info[title].items()))
    for name, counts in info["sequences"].items():
        click.echo(f"sequence {name}: {counts['active']} people, "
                   f"{counts['planned_touches']} planned touches")
    ctx.exit(result.exit_code)


def main() -> None:
    cli(obj={})
