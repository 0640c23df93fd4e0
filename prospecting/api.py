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

from .errors import ConfigError, NotAvailable
from .runs import Progress, RunReport, stage_run
from .store import Store

__all__ = [
    "DemoReport",
    "crawl",
    "dedupe",
    "demo",
    "enrich",
    "export",
    "forget",
    "import_files",
    "init",
    "open_store",
    "review",
    "score",
    "sequence",
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
        size = store.settings.import_.batch_size if store.settings else 2000
        matcher = SuppressionMatcher.load(store.conn)
        for path in files:
            import_path(
                store, path, state, kind=kind, source=source, id_column=id_column,
                batch_size=size, matcher=matcher, progress=progress,
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
    """Counts per table, lifecycle stage and tag, and the last runs."""
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
        for email, emails_json in conn.execute(
            "SELECT email, emails FROM people WHERE merged_into IS NULL"
        ):
            # The status of the person's best email; else of their first, else "none".
            emails = json.loads(emails_json)
            chosen = next((e for e in emails if e["value"] == email), None)
            chosen = chosen or (emails[0] if emails else None)
            best = chosen["status"] if chosen else "none"
            email_status[best] = email_status.get(best, 0) + 1
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
            "email_status": dict(sorted(email_status.items())),
            "suppressed_people": conn.execute(
                "SELECT count(*) FROM people WHERE suppressed = 1"
            ).fetchone()[0],
            "quarantine": quarantine,
            "suppressions": suppressions,
            "icp": {"hash": icp, "name": icp_name} if icp else None,
            "dedupe": _dedupe_status(conn),
            "runs": runs,
        }


def _dedupe_status(conn: Any) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "clusters": one("SELECT count(*) FROM clusters WHERE status = 'merged'"),
        "people_merged": one("SELECT count(*) FROM people WHERE merged_into IS NOT NULL"),
        "companies_merged": one(
            "SELECT count(*) FROM companies WHERE merged_into IS NOT NULL"),
        "merges": one("SELECT count(*) FROM merge_log WHERE action = 'merge'"),
        "unmerges": one("SELECT count(*) FROM merge_log WHERE action = 'unmerge'"),
        "pending_reviews": one(
            "SELECT count(*) FROM pairs WHERE decision IN ('review', 'split')"
            " AND review IS NULL"),
    }


@dataclass
class DemoReport:
    """What ``prospecting demo`` did: one report per stage and the files it wrote."""

    database: str
    reports: list[RunReport] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    skipped_stages: list[str] = field(default_factory=list)

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
DEMO_STAGES_NOT_YET = ("crawl", "source", "score", "sequence")


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
    report.reports.append(enrich(db_path, offline=True, config=config, progress=progress))
    report.reports.append(dedupe(db_path, config=config, progress=progress))
    # Golden records hold their members' phones and addresses: check those too.
    report.reports.append(enrich(db_path, offline=True, config=config, progress=progress))
    report.skipped_stages.extend(DEMO_STAGES_NOT_YET)
    exports = (
        ("jsonl", "people.jsonl", None, "people"),
        ("jsonl", "companies.jsonl", None, "companies"),
        ("csv", "enriched.csv", "enriched", "people"),
        ("csv", "non-enriched.csv", "non-enriched", "people"),
        ("lemlist", "lemlist-enriched.csv", "enriched", "people"),
        ("instantly", "instantly-non-enriched.csv", "non-enriched", "people"),
        ("hubspot", "hubspot.csv", None, "people"),
    )
    for fmt, filename, segment, kind in exports:
        target = out_dir / filename
        report.reports.append(
            export(db_path, format=fmt, out=target, segment=segment, kind=kind, config=config)
        )
        report.files.append(str(target))
    return report


def _not_available(command: str) -> NotAvailable:
    return NotAvailable(f"'prospecting {command}' is not available in this version yet")


def crawl(db: Database, urls: Iterable[str], **options: Any) -> RunReport:
    """Crawl company websites (not available in this version yet)."""
    raise _not_available("crawl")


def source(db: Database, connector: str, **options: Any) -> RunReport:
    """Pull companies from a public-data connector (not available in this version yet)."""
    raise _not_available("source")


def enrich(
    db: Database, *, offline: bool = False, smtp: bool = False,
    config: str | os.PathLike[str] | None = None, progress: Progress | None = None,
) -> RunReport:
    """Validate and fill contact fields of people and companies that are new or stale.

    ``offline`` does no network at all (syntax, phones, names, titles, companies);
    otherwise MX lookups turn email syntax into deliverability; ``smtp`` also probes
    mailboxes. Re-running does no repeated work; an interrupted run resumes.
    """
    from enrichers.pipeline import enrich as run_enrich

    options = {"offline": offline, "smtp": smtp}
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
    import_path: str | os.PathLike[str] | None = None,
    config: str | os.PathLike[str] | None = None,
) -> RunReport:
    """The queue of borderline pairs: export it, accept or reject pairs.

    Decisions are remembered: the next ``dedupe`` merges accepted pairs and never
    merges rejected ones.
    """
    from dedupe.review import review_pairs

    options = {"accept": list(accept), "reject": list(reject),
               "export": str(export_path) if export_path else None,
               "import": str(import_path) if import_path else None}
    with open_store(db, config) as store, stage_run(store, "review", options) as state:
        review_pairs(store, state, accept=list(accept), reject=list(reject),
                     export_path=export_path, import_path=import_path)
    return state.report("review")


def score(db: Database, **options: Any) -> RunReport:
    """ICP fit, signals, stage and temperature (not available in this version yet)."""
    raise _not_available("score")


def sequence(db: Database, **options: Any) -> RunReport:
    """Build outreach lists and plan cadences (not available in this version yet)."""
    raise _not_available("sequence")

