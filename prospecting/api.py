"""The Python API; every ``prospecting`` subcommand calls exactly one function here.

Each function takes the database (a path or an open :class:`Store`) first, keyword
options after, and returns a :class:`RunReport` (``status`` returns a dict). Nothing
here prints: progress goes through the optional ``progress`` callback.

>>> from prospecting import api                                   # doctest: +SKIP
>>> report = api.import_files("prospects.db", ["crm.csv"], id_column="Record ID")
>>> report.written, report.quarantined                            # doctest: +SKIP
(148, 2)
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .runs import Progress, RunReport, stage_run
from .store import Store

__all__ = [
    "DemoReport",
    "crawl",
    "dedupe",
    "demo",
    "enrich",
    "explain",
    "export",
    "forget",
    "import_files",
    "init",
    "open_store",
    "results",
    "review",
    "score",
    "sequence",
    "signals",
    "source",
    "status",
    "suppress",
    "unmerge",
]

Database = str | os.PathLike[str] | Store


@contextmanager
def open_store(db: Database, config: str | os.PathLike[str] | None = None) -> Iterator[Store]:
    """The store for ``db`` with the settings applied; closed after if we opened it."""
    from .settings import load_settings

    settings = load_settings(config)
    if isinstance(db, Store):
        db.apply_settings(settings)
        yield db
        return
    store = Store(db)
    store.apply_settings(settings)
    try:
        yield store
    finally:
        store.close()


def init(
    db: Database, *, icp: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """Create or migrate the database and store the ICP it will be judged against."""
    loaded = None
    if icp is not None:
        from .icp import load_icp

        loaded = load_icp(icp)  # validated before anything is written
    with open_store(db, config) as store, stage_run(
        store, "init", {"icp": str(icp) if icp else None}
    ) as state:
        if loaded is not None:
            store.store_icp(
                content_hash=loaded.content_hash, name=loaded.name, path=str(icp),
                text=loaded.source_text,
            )
            state.add("written")
            state.messages.append(f"ICP '{loaded.name}' stored ({loaded.content_hash[:12]})")
        state.messages.append(f"database {store.path} ready")
    return state.report("init")


def import_files(
    db: Database,
    paths: Iterable[str | os.PathLike[str]],
    *,
    kind: str = "people",
    source: str | None = None,
    id_column: str | None = None,
    config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Import CSV or JSONL files; unusable rows go to ``quarantine`` with their reason.

    Re-importing the same file adds nothing; suppressed people are skipped and counted.
    """
    from .importer import check_readable, import_path
    from .privacy import SuppressionMatcher

    files = [Path(p) for p in paths]
    if not files:
        raise ConfigError("import: give at least one file")
    if kind not in ("people", "companies"):
        raise ConfigError(f"--kind must be 'people' or 'companies', not '{kind}'")
    for path in files:
        check_readable(path)
    options = {"files": [str(p) for p in files], "kind": kind, "source": source,
               "id_column": id_column}
    with open_store(db, config) as store, stage_run(store, "import", options) as state:
        size = store.settings.import_.batch_size if store.settings else 10_000
        workers = store.settings.import_.workers if store.settings else 2
        matcher = SuppressionMatcher.load(store.conn)
        for path in files:
            import_path(
                store, path, state, kind=kind, source=source, id_column=id_column,
                batch_size=size, matcher=matcher, progress=progress, workers=workers,
            )
        if state.counts.get("quarantined"):
            state.messages.append(
                f"{state.counts['quarantined']} row(s) quarantined: see "
                f"'SELECT * FROM quarantine WHERE run_id = \"{state.run_id}\"'"
            )
        if state.counts.get("suppressed"):
            state.messages.append(f"{state.counts['suppressed']} suppressed people skipped")
    return state.report("import")


def export(
    db: Database, *, format: str, out: str | os.PathLike[str],
    segment: str | None = None, kind: str = "people",
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """Write one file for an email tool or CRM, or the full JSONL dump."""
    from sequences.export import export_people

    options = {"format": format, "out": str(out), "segment": segment, "kind": kind}
    with open_store(db, config) as store, stage_run(store, "export", options) as state:
        export_people(store, state, fmt=format, out=Path(out), segment=segment, kind=kind)
        state.messages.append(f"wrote {state.counts.get('written', 0)} row(s) to {out}")
    return state.report("export")


def suppress(
    db: Database, values: Iterable[str], *, reason: str = "manual",
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """Add emails or ``@domains`` to the suppression list (all of them or none)."""
    from .erasure import suppress_values

    items = list(values)
    if not items:
        raise ConfigError("suppress: give at least one email or @domain")
    with open_store(db, config) as store, stage_run(
        store, "suppress", {"count": len(items), "reason": reason}
    ) as state:
        suppress_values(store, items, state, reason=reason)
    return state.report("suppress")


def forget(
    db: Database, email: str, *, config: str | os.PathLike[str] | None = None
) -> RunReport:
    """Erase a person everywhere, keeping only a hash of their address(es)."""
    from .erasure import forget_email
    from .privacy import email_hash

    with open_store(db, config) as store, stage_run(
        store, "forget", {"email_sha256": email_hash(email)}
    ) as state:
        forget_email(store, email, state)
    return state.report("forget")


def status(db: Database, *, config: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Counts per table, lifecycle stage, temperature, segment and tag; the last runs."""
    with open_store(db, config) as store:
        conn = store.conn
        tags: dict[str, int] = {}
        for tags_json, count in conn.execute(
            "SELECT tags, count(*) FROM people WHERE merged_into IS NULL GROUP BY tags"
        ):
            for tag in json.loads(tags_json) or ["untagged"]:
                tags[tag] = tags.get(tag, 0) + count
        stages = dict(
            conn.execute(
                "SELECT coalesce(stage, 'unscored'), count(*) FROM people"
                " WHERE merged_into IS NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        temperatures = dict(
            conn.execute(
                "SELECT coalesce(temperature, 'unscored'), count(*) FROM people"
                " WHERE merged_into IS NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        # Which list each person is in: outreach per tag, the newsletter, or none.
        segments = dict(
            conn.execute(
                "SELECT CASE WHEN suppressed = 1 OR stage = 'opted_out' THEN 'do-not-contact'"
                " WHEN stage IN ('disqualified', 'customer') THEN 'newsletter'"
                " ELSE coalesce(json_extract(tags, '$[0]'), 'untagged') END, count(*)"
                " FROM people WHERE merged_into IS NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        quarantine = dict(
            conn.execute(
                "SELECT reason, count(*) FROM quarantine GROUP BY reason ORDER BY 2 DESC"
            ).fetchall()
        )
        suppressions = dict(
            conn.execute("SELECT kind, count(*) FROM suppressions GROUP BY kind").fetchall()
        )
        runs = [
            {
                "id": r[0], "command": r[1], "started_at": r[2], "ended_at": r[3],
                "status": r[4], "counts": json.loads(r[5] or "{}"),
            }
            for r in conn.execute(
                "SELECT id, command, started_at, ended_at, status, counts FROM runs"
                " ORDER BY started_at DESC LIMIT 10"
            )
        ]
        email_status: dict[str, int] = {}
        email_codes: dict[str, int] = {}
        for email, emails_json in conn.execute(
            "SELECT email, emails FROM people WHERE merged_into IS NULL"
        ):
            # The status of the person's best email; else of their first, else "none";
            # and the machine-readable code of its verdict (enrichers.email_status).
            emails = json.loads(emails_json)
            chosen = next((e for e in emails if e["value"] == email), None)
            chosen = chosen or (emails[0] if emails else None)
            best = chosen["status"] if chosen else "none"
            email_status[best] = email_status.get(best, 0) + 1
            code = (chosen.get("code") or "unrecorded") if chosen else "none"
            email_codes[code] = email_codes.get(code, 0) + 1
        sequences: dict[str, dict[str, int]] = {}
        for name, active, stopped in conn.execute(
            "SELECT sequence, sum(status = 'active'), sum(status = 'stopped')"
            " FROM sequence_members GROUP BY sequence ORDER BY sequence"
        ):
            sequences[name] = {"active": active, "stopped": stopped, "planned_touches": 0}
        for name, planned in conn.execute(
            "SELECT sequence, count(*) FROM planned_touches WHERE status = 'planned'"
            " GROUP BY sequence"
        ):
            sequences.setdefault(name, {"active": 0, "stopped": 0})["planned_touches"] = planned
        icp = store.get_meta("icp_hash")
        icp_name = None
        if icp:
            row = conn.execute("SELECT name FROM icps WHERE hash = ?", (icp,)).fetchone()
            icp_name = row[0] if row else None
        return {
            "database": str(store.path),
            "tables": store.counts(),
            "tags": dict(sorted(tags.items())),
            "stages": stages,
            "temperatures": temperatures,
            "segments": segments,
            "email_status": dict(sorted(email_status.items())),
            "email_codes": dict(sorted(email_codes.items())),
            "suppressed_people": conn.execute(
                "SELECT count(*) FROM people WHERE suppressed = 1"
            ).fetchone()[0],
            "quarantine": quarantine,
            "suppressions": suppressions,
            "icp": {"hash": icp, "name": icp_name} if icp else None,
            "sequences": sequences,
            "dedupe": _dedupe_status(conn),
            "runs": runs,
        }


def _dedupe_status(conn: Any) -> dict[str, int]:
    from dedupe.questions import open_questions

    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "clusters": one("SELECT count(*) FROM clusters WHERE status = 'merged'"),
        "people_merged": one("SELECT count(*) FROM people WHERE merged_into IS NOT NULL"),
        "companies_merged": one(
            "SELECT count(*) FROM companies WHERE merged_into IS NOT NULL"),
        "merges": one("SELECT count(*) FROM merge_log WHERE action = 'merge'"),
        "unmerges": one("SELECT count(*) FROM merge_log WHERE action = 'unmerge'"),
        # Questions, not pairs: two golden records ask one however many of their
        # members' pairs were scored (see dedupe.questions).
        "pending_reviews": len(open_questions(conn)),
    }


@dataclass
class DemoReport:
    """What ``prospecting demo`` did: one report per stage and the files it wrote."""

    database: str
    reports: list[RunReport] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        # The demo data holds bad rows on purpose; quarantining them is the demo
        # working, not failing.
        return 0


DEMO_FILES = (
    # (file in data/demo, --id-column, --source)
    ("crm_export.csv", "Record ID", "crm"),
    ("salon_contacts.csv", None, "salon"),
)
DEMO_SIGNALS = (
    # (file in data/demo, --kind): CRM lifecycle marks, web visits, product usage
    ("crm_export.csv", "crm"),
    ("visites_site.csv", "visit"),
    ("product_usage.jsonl", "product_usage"),
)
DEMO_AS_OF = "2025-06-30"  # the demo's signals are from June 2025; scores stay the same


def demo(
    db: str | os.PathLike[str] | None = None, *, config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> DemoReport:
    """Run every stage that exists on the bundled demo data, offline.

    Exports go to ``demo-exports/`` beside the database. Running it twice gives the
    same counts: every stage is idempotent.
    """
    db_path = Path(db) if db is not None else Path("demo.db")
    data = resources.files("prospecting.data")
    report = DemoReport(database=str(db_path))
    out_dir = db_path.parent / "demo-exports"
    out_dir.mkdir(parents=True, exist_ok=True)
    with resources.as_file(data.joinpath("icp.example.toml")) as icp_path:
        report.reports.append(init(db_path, icp=icp_path, config=config))
    for name, id_column, source_name in DEMO_FILES:
        with resources.as_file(data.joinpath("demo", name)) as csv_path:
            report.reports.append(
                import_files(
                    db_path, [csv_path], source=source_name, id_column=id_column,
                    config=config, progress=progress,
                )
            )
    from .crawl.localsite import crawl_demo_sites  # the demo websites, served on 127.0.0.1

    report.reports.append(crawl_demo_sites(db_path, config=config, progress=progress))
    from .connectors.demo import demo_sources

    report.reports.extend(demo_sources(db_path, config=config, progress=progress))
    report.reports.append(enrich(db_path, offline=True, config=config, progress=progress))
    report.reports.append(dedupe(db_path, config=config, progress=progress))
    # Golden records hold their members' phones and addresses: check those too.
    report.reports.append(enrich(db_path, offline=True, config=config, progress=progress))
    for name, kind in DEMO_SIGNALS:
        with resources.as_file(data.joinpath("demo", name)) as signals_path:
            report.reports.append(signals(db_path, [signals_path], kind=kind, config=config))
    report.reports.append(score(db_path, as_of=DEMO_AS_OF, config=config))
    with resources.as_file(data.joinpath("demo", "prospecting.toml")) as demo_settings:
        # The demo's sender details sign the templates unless the user has settings.
        report.reports.append(sequence(db_path, config=config or _user_config() or demo_settings))
    exports = (
        ("jsonl", "people.jsonl", None, "people"),
        ("jsonl", "companies.jsonl", None, "companies"),
        ("csv", "enriched.csv", "enriched", "people"),
        ("csv", "non-enriched.csv", "non-enriched", "people"),
        ("lemlist", "lemlist-enriched.csv", "enriched", "people"),
        ("instantly", "instantly-non-enriched.csv", "non-enriched", "people"),
        ("hubspot", "hubspot.csv", None, "people"),
        ("brevo", "brevo-newsletter.csv", "newsletter", "people"),
        ("smartlead", "smartlead-enriched.csv", "enriched", "people"),
        ("mailchimp", "mailchimp-newsletter.csv", "newsletter", "people"),
        ("apollo", "apollo.csv", None, "people"),
        ("salesforce", "salesforce.csv", None, "people"),
    )
    for fmt, filename, segment, kind in exports:
        target = out_dir / filename
        report.reports.append(
            export(db_path, format=fmt, out=target, segment=segment, kind=kind, config=config)
        )
        report.files.append(str(target))
    return report


def _user_config() -> str | None:
    """The settings file ``load_settings`` would pick without ``--config``, if any."""
    from .settings import CONFIG_ENV_VAR, DEFAULT_CONFIG_FILE

    if os.environ.get(CONFIG_ENV_VAR):
        return os.environ[CONFIG_ENV_VAR]
    return DEFAULT_CONFIG_FILE if Path(DEFAULT_CONFIG_FILE).is_file() else None


def crawl(
    db: Database, urls: Iterable[str] = (), *, from_db: bool = False,
    max_pages: int | None = None, ignore_robots: bool = False,
    config: str | os.PathLike[str] | None = None, progress: Progress | None = None,
) -> RunReport:
    """Crawl company websites and store the companies, people, emails and phones found.

    ``urls`` are domains or URLs; ``from_db`` adds every stored company with a website
    not crawled within ``[crawl] max_age_days``. Scrapy runs in a process of its own;
    each finished site is committed at once, so an interrupted crawl resumes.
    """
    from .crawl.pipelines import crawl_sites, targets_from_db, targets_from_urls

    given = [u for u in urls if u and u.strip()]
    if not given and not from_db:
        raise ConfigError("crawl: give at least one URL or domain, or --from-db")
    if max_pages is not None and max_pages < 1:
        raise ConfigError(f"--max-pages must be at least 1, not {max_pages}")
    options = {"urls": given, "from_db": from_db, "max_pages": max_pages,
               "ignore_robots": ignore_robots}
    with open_store(db, config) as store, stage_run(store, "crawl", options) as state:
        settings = store.settings.crawl
        targets = targets_from_urls(store, given)
        if from_db:
            found, recent = targets_from_db(store, settings.max_age_days)
            known = {t.url for t in targets}
            targets += [t for t in found if t.url not in known]
            if recent:
                state.add("skipped", recent)
                state.messages.append(
                    f"{recent} site(s) crawled within {settings.max_age_days:g} days skipped"
                )
        crawl_sites(
            store, state, targets, max_pages=max_pages or settings.max_pages,
            ignore_robots=ignore_robots, progress=progress,
        )
        state.messages.append(
            f"{state.counts.get('sites', 0)} site(s), {state.counts.get('read', 0)} page(s), "
            f"{state.counts.get('people_found', 0)} people, "
            f"{state.counts.get('emails_found', 0)} email(s)"
        )
        if state.counts.get("quarantined"):
            state.messages.append(
                f"{state.counts['quarantined']} page(s) quarantined: see "
                f"'SELECT * FROM quarantine WHERE run_id = \"{state.run_id}\"'"
            )
    return state.report("crawl")


def source(
    db: Database, connector: str, *, base_url: str | None = None,
    options: Iterable[str] | dict[str, str] = (), icp: str | os.PathLike[str] | None = None,
    force: bool = False, max_pages: int | None = None, no_cache: bool = False,
    config: str | os.PathLike[str] | None = None, progress: Progress | None = None,
) -> RunReport:
    """Pull companies (and their people) that fit the ICP from a public-data connector.

    ``options`` are the connector's own (``("--departement", "35")`` or a dict); the
    run options ``--force``, ``--max-pages N``, ``--no-cache`` and ``--icp FILE`` may be
    given there too. Every page commits with its cursor: an interrupted run resumes, a
    finished query is not fetched again unless ``force``.

    >>> api.source("prospects.db", "recherche_entreprises",             # doctest: +SKIP
    ...            options=("--departement", "35"))
    """
    from .connectors.sourcing import source_run

    return source_run(
        db, connector, base_url=base_url, options=options, icp=icp, force=force,
        max_pages=max_pages, no_cache=no_cache, config=config, progress=progress,
    )


def enrich(
    db: Database, *, offline: bool = False, smtp: bool = False,
    config: str | os.PathLike[str] | None = None, progress: Progress | None = None,
) -> RunReport:
    """Validate and fill contact fields of people and companies that are new or stale.

    ``offline`` does no network at all (syntax, phones, names, titles, companies);
    otherwise MX lookups turn email syntax into deliverability; ``smtp`` also probes
    mailboxes. Re-running does no repeated work; an interrupted run resumes.
    """
    from enrichers.lists import list_versions
    from enrichers.pipeline import enrich as run_enrich

    # The lists every email verdict of the run was computed with (EV-1): a verdict's
    # statement names its run.
    options = {"offline": offline, "smtp": smtp, "lists": list_versions()}
    with open_store(db, config) as store, stage_run(store, "enrich", options) as state:
        enrichers = store.settings.enrichers if store.settings else {}
        run_enrich(
            store, state, offline=offline, smtp=smtp,
            batch_size=int(enrichers.get("batch_size", 2000)),
            max_age_days=float(enrichers.get("max_age_days", 30)),
            progress=progress,
        )
        state.messages.append(
            f"{state.counts.get('read', 0)} people checked, "
            f"{state.counts.get('written', 0)} changed"
        )
    return state.report("enrich")


def dedupe(
    db: Database, *, retrain: bool = False, config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Find duplicate companies and people and merge each cluster into a golden record.

    Re-running changes nothing; after a new import only new or changed records are
    scored. Every merge is logged and can be undone with :func:`unmerge`.
    """
    from dedupe.stage import run as run_dedupe

    with open_store(db, config) as store, stage_run(
        store, "dedupe", {"retrain": retrain}
    ) as state:
        run_dedupe(store, state, retrain=retrain, progress=progress)
        c = state.counts
        state.messages.append(
            f"{c.get('people_merged', 0)} people and {c.get('companies_merged', 0)} companies"
            f" merged into {c.get('clusters', 0)} cluster(s); "
            f"{c.get('pending_reviews', 0)} pair(s) to review ('prospecting review')"
        )
    return state.report("dedupe")


def unmerge(
    db: Database, cluster_id: str, *, config: str | os.PathLike[str] | None = None
) -> RunReport:
    """Undo one merge exactly: every record it touched gets its earlier row back."""
    from dedupe.review import unmerge as run_unmerge

    with open_store(db, config) as store, stage_run(
        store, "unmerge", {"cluster_id": cluster_id}
    ) as state:
        run_unmerge(store, cluster_id, state)
    return state.report("unmerge")


def review(
    db: Database, *, accept: Iterable[str] = (), reject: Iterable[str] = (),
    export_path: str | os.PathLike[str] | None = None,
    import_path: str | os.PathLike[str] | None = None, kind: str | None = None,
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """The queue of borderline pairs: export it, accept or reject pairs; ``kind``
    (``person`` or ``company``) lists or exports only pairs of that kind.

    Decisions are remembered: the next ``dedupe`` merges accepted pairs and never
    merges rejected ones.
    """
    from dedupe.review import review_pairs

    if kind not in (None, "person", "company"):
        raise ConfigError(f"--kind must be 'person' or 'company', not '{kind}'")
    options = {"accept": list(accept), "reject": list(reject),
               "export": str(export_path) if export_path else None,
               "import": str(import_path) if import_path else None, "kind": kind}
    with open_store(db, config) as store, stage_run(store, "review", options) as state:
        review_pairs(store, state, accept=list(accept), reject=list(reject),
                     export_path=export_path, import_path=import_path, kind=kind)
    return state.report("review")


DEFAULT_ICP_TEXT = """\
# Used by 'prospecting score' when no ICP was stored with 'prospecting init --icp'.
name = "default"
description = "Any company fits; points come from titles, seniority and signals."
"""


def score(
    db: Database, *, icp: str | os.PathLike[str] | None = None, as_of: str | None = None,
    batch_size: int = 2000, config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """ICP fit, signals, lifecycle stage and temperature of every person, with reasons.

    Scores against ``icp`` (validated, then stored as the current ICP) or else the latest
    ICP stored by ``init``. ``as_of`` (YYYY-MM-DD) is the day signal ages are counted
    from (default: now). Re-running with the same data and ``as_of`` writes nothing.
    """
    from sequences.scoring import parse_as_of, score_people

    from .icp import load_icp, loads_icp

    moment = parse_as_of(as_of)
    loaded = load_icp(icp) if icp is not None else None
    with open_store(db, config) as store:
        if loaded is not None:
            store.store_icp(content_hash=loaded.content_hash, name=loaded.name, path=str(icp),
                            text=loaded.source_text)
        icp_hash = store.get_meta("icp_hash")
        row = store.conn.execute(
            "SELECT text, path FROM icps WHERE hash = ?", (icp_hash,)
        ).fetchone() if icp_hash else None
        fallback = None
        if row is None:
            # No ICP yet: every company fits and points come from the default grid
            # (titles, seniority, signals). The ICP is stored like any other, so the
            # verdicts stay explainable, and the run says how to set a real one.
            fallback = loads_icp(DEFAULT_ICP_TEXT, source="built-in default ICP")
            store.store_icp(content_hash=fallback.content_hash, name=fallback.name,
                            path=None, text=DEFAULT_ICP_TEXT)
            icp_hash = fallback.content_hash
            row = (DEFAULT_ICP_TEXT, None)
        current = loaded or fallback or loads_icp(
            row[0], source=row[1] or f"icp {icp_hash[:12]}")
        options = {"icp": str(icp) if icp else None, "icp_hash": icp_hash,
                   "as_of": moment.isoformat()}
        with stage_run(store, "score", options) as state:
            counts = score_people(
                store, state, current, as_of=moment, icp_hash=icp_hash, batch_size=batch_size,
                progress=progress,
            )
            state.messages.append(
                f"ICP '{current.name}' ({icp_hash[:12]}), signals as of {moment.date()}"
            )
            if fallback is not None:
                state.messages.append(
                    f"no ICP was stored: scored with the built-in default; run 'prospecting"
                    f" init {store.path} --icp FILE' to judge against your own"
                )
            for title, values in (("stages", counts.stages),
                                  ("temperature", counts.temperatures),
                                  ("disqualified", counts.disqualified)):
                if values:
                    state.messages.append(
                        f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(values.items()))
                    )
    return state.report("score")


def explain(
    db: Database, email: str, *, config: str | os.PathLike[str] | None = None
) -> list[dict[str, Any]]:
    """The score of the person (or people) with this address or id, with every reason,
    and the merges that made their golden record (``merges``: what ``unmerge`` undoes)."""
    from dedupe.review import merges_of
    from sequences.scoring import explain_person, find_people

    from .errors import InputError

    with open_store(db, config) as store:
        ids = find_people(store, email)
        if not ids:
            raise InputError(f"{store.path}: nobody with the address or id '{email}'")
        return [explain_person(store, pid) | {"merges": merges_of(store, pid)} for pid in ids]


def signals(
    db: Database, paths: Iterable[str | os.PathLike[str]], *, kind: str | None = None,
    source: str | None = None, config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Import web visits, product usage or CRM lifecycle marks into ``activities``.

    People are matched by email; unmatched or unusable rows go to ``quarantine`` with
    their row number and reason. Re-importing the same file adds nothing.
    """
    from .importer import check_readable
    from .signals import KIND_OPTIONS, import_signals

    files = [Path(p) for p in paths]
    if not files:
        raise ConfigError("signals: give at least one file")
    if kind is not None and kind not in KIND_OPTIONS:
        raise ConfigError(f"--kind must be one of {', '.join(KIND_OPTIONS)}, not '{kind}'")
    for path in files:
        check_readable(path)
    options = {"files": [str(p) for p in files], "kind": kind, "source": source}
    with open_store(db, config) as store, stage_run(store, "signals", options) as state:
        for path in files:
            import_signals(store, path, state, kind=kind, source=source, progress=progress)
        if state.counts.get("quarantined"):
            state.messages.append(
                f"{state.counts['quarantined']} row(s) quarantined: see "
                f"'SELECT * FROM quarantine WHERE run_id = \"{state.run_id}\"'"
            )
        if state.counts.get("written"):
            state.messages.append("run 'prospecting score' to update stages and temperature")
    return state.report("signals")


def sequence(
    db: Database, *,
    sequence: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    start: str | None = None, config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """Build outreach lists per segment and plan each member's touches.

    Without ``sequence`` the bundled default of each segment is used (``enriched``:
    personalised and multichannel; ``non-enriched``: short, email only). ``start``
    (YYYY-MM-DD, default today) is the first day of the cadence; a new start re-plans
    only unsent touches. Re-running writes nothing new.

    >>> api.sequence("prospects.db", start="2026-05-04").written   # doctest: +SKIP
    12
    """
    from datetime import date

    from sequences.planner import plan_sequences
    from sequences.sequence_file import default_sequences, load_sequence

    if sequence is None:
        files: list[str] = []
    elif isinstance(sequence, str | os.PathLike):
        files = [str(sequence)]
    else:
        files = [str(p) for p in sequence]
    start_date = None
    if start is not None:
        try:
            start_date = date.fromisoformat(start)
        except ValueError:
            raise ConfigError(f"--start: expected a date as YYYY-MM-DD, got '{start}'") from None
    # Every file and template is validated before the database is opened.
    loaded = [load_sequence(f) for f in files] if files else default_sequences()
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise ConfigError(f"--sequence: two files share a name ({', '.join(names)})")
    options = {"sequences": names, "files": files, "start": start}
    from sequences.templates import check_sender_settings

    from .settings import load_settings

    # Without the sender's details the messages cannot be signed: the cadence is still
    # planned (dates, caps, holidays), the texts wait for the settings.
    problems = check_sender_settings(loaded, load_settings(config).sequences)
    with open_store(db, config) as store, stage_run(store, "sequence", options) as state:
        from .settings import SequenceSettings

        settings = store.settings.sequences if store.settings else SequenceSettings()
        plan_sequences(store, state, loaded, settings=settings, start=start_date,
                       render=not problems)
        if problems:
            state.messages.extend(problems)
            state.messages.append(
                "touches planned without their text: set the sender's details, then run "
                "'prospecting sequence' again to write the messages"
            )
        if state.counts.get("quarantined"):
            state.messages.append(
                f"{state.counts['quarantined']} member(s) quarantined (a template variable "
                f"is missing): see 'SELECT reason FROM quarantine WHERE run_id = "
                f"\"{state.run_id}\"'"
            )
    return state.report("sequence")


def results(
    db: Database, path: str | os.PathLike[str], *, tool: str | None = None,
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """Import an email tool's activity or lead export: bounces, replies, unsubscribes…

    Bounces make the address invalid, unsubscribes suppress it, replies stop the
    sequence; every event lands in ``activities`` (address kept only as a hash).
    Re-importing the same file adds nothing; unusable rows go to ``quarantine``.
    """
    from sequences.results import import_results

    from .importer import check_readable

    file = Path(path)
    check_readable(file)
    with open_store(db, config) as store, stage_run(
        store, "results", {"file": str(file), "tool": tool}
    ) as state:
        used = import_results(store, state, file, tool=tool)
        state.messages.append(f"read as a {used} export")
        if state.counts.get("quarantined"):
            state.messages.append(
                f"{state.counts['quarantined']} row(s) quarantined: see "
                f"'SELECT row, reason FROM quarantine WHERE run_id = \"{state.run_id}\"'"
            )
    return state.report("results")
