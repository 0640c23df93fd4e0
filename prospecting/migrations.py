"""The schema, one numbered step at a time.

``PRAGMA user_version`` holds the number of the last step applied. A step never
changes once released: a new need is a new step, so any older database file can be
brought up to date and a newer one is refused rather than misread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate"]


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first and break the step's transaction, so the
    # statements run one by one inside it.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _v1_foundation(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- The append-only truth. A statement is what one source said about one entity
        -- at one time: its facts are a JSON array of [field, value] or
        -- [field, value, confidence] items. The id hashes entity, source and the
        -- canonical facts, so restating the same thing writes nothing. One row per
        -- source record keeps bulk imports at bulk-insert speed; the observations
        -- view below gives the same truth one row per fact.
        --
        -- Rows are appended in write order (seq) and found by the unique hash (id) and
        -- by entity: a hash as the table's own key would scatter a bulk import's writes
        -- over the whole file.
        CREATE TABLE statements (
            seq INTEGER PRIMARY KEY,
            id INTEGER NOT NULL UNIQUE,
            entity_id TEXT NOT NULL,
            source TEXT NOT NULL,
            locator TEXT,
            observed_at TEXT NOT NULL,
            confidence REAL NOT NULL,
            run_id TEXT NOT NULL,
            facts TEXT NOT NULL
        );
        CREATE INDEX statements_entity ON statements(entity_id);

        -- One row per fact: entity, field, value, source, time, confidence, run.
        CREATE VIEW observations AS
            SELECT
                s.id AS statement_id,
                s.entity_id AS entity_id,
                json_extract(f.value, '$[0]') AS field,
                json_extract(f.value, '$[1]') AS value,
                s.source AS source,
                s.locator AS locator,
                s.observed_at AS observed_at,
                coalesce(json_extract(f.value, '$[2]'), s.confidence) AS confidence,
                s.run_id AS run_id
            FROM statements AS s, json_each(s.facts) AS f;

        -- Views derived from observations by Store.refresh(); never edited directly.
        -- seq keeps new rows appended at the end of the table (see statements).
        CREATE TABLE people (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            first_name TEXT,
            last_name TEXT,
            full_name TEXT,
            civility TEXT,
            title TEXT,
            seniority TEXT,
            department TEXT,
            email TEXT,
            phone TEXT,
            linkedin_url TEXT,
            company_id TEXT,
            address TEXT,
            postcode TEXT,
            city TEXT,
            region TEXT,
            country TEXT,
            emails TEXT NOT NULL DEFAULT '[]',
            phones TEXT NOT NULL DEFAULT '[]',
            extra TEXT NOT NULL DEFAULT '{}',
            source_ids TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            stage TEXT,
            score REAL,
            temperature TEXT,
            suppressed INTEGER NOT NULL DEFAULT 0,
            merged_into TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX people_company ON people(company_id);
        CREATE INDEX people_email ON people(email);

        CREATE TABLE companies (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            name TEXT,
            legal_name TEXT,
            domain TEXT,
            website TEXT,
            linkedin_url TEXT,
            address TEXT,
            postcode TEXT,
            city TEXT,
            region TEXT,
            country TEXT,
            industry TEXT,
            naf TEXT,
            siren TEXT,
            siret TEXT,
            vat TEXT,
            headcount TEXT,
            legal_ids TEXT NOT NULL DEFAULT '{}',
            emails TEXT NOT NULL DEFAULT '[]',
            phones TEXT NOT NULL DEFAULT '[]',
            extra TEXT NOT NULL DEFAULT '{}',
            people_count INTEGER NOT NULL DEFAULT 0,
            source_ids TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            merged_into TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX companies_domain ON companies(domain);

        -- One row per command: what it was asked, what it did, how it ended.
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            command TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            counts TEXT NOT NULL DEFAULT '{}',
            icp_hash TEXT,
            version TEXT NOT NULL,
            pid INTEGER,
            error TEXT
        );

        -- Every ICP a run used, by content hash, so a result stays explainable later.
        CREATE TABLE icps (
            hash TEXT PRIMARY KEY,
            name TEXT,
            path TEXT,
            text TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        );

        -- Input rows and pages that could not be used, with why; nothing is lost.
        CREATE TABLE quarantine (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            row INTEGER,
            field TEXT,
            reason TEXT NOT NULL,
            raw TEXT,
            run_id TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        -- Who must never be contacted: an email, a whole @domain, or only the sha256
        -- of a normalised address once the person has been forgotten.
        CREATE TABLE suppressions (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('email', 'domain', 'hash')),
            value TEXT,
            sha256 TEXT NOT NULL,
            reason TEXT,
            added_at TEXT NOT NULL,
            run_id TEXT
        );
        CREATE INDEX suppressions_sha256 ON suppressions(sha256);

        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        );
        """,
    )


def _v2_enrichment(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- What each component did to each entity, for which input: work is picked by
        -- what is missing or stale here, never by "since the last run".
        CREATE TABLE work_log (
            entity_id TEXT NOT NULL,
            component TEXT NOT NULL,
            version TEXT NOT NULL,
            input_hash TEXT NOT NULL,
            done_at TEXT NOT NULL,
            run_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, component)
        );

        ALTER TABLE companies ADD COLUMN legal_form TEXT;

        -- MX answers per domain, kept until their TTL runs out.
        CREATE TABLE dns_cache (
            domain TEXT PRIMARY KEY,
            result TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        """,
    )


def _v3_activities(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- What happened to a person outside the pipeline, imported back from email
        -- tools (sent, open, click, reply, bounce, unsubscribe), web analytics (visit),
        -- the product (product_usage) or the CRM (sales_qualified, customer). Scoring
        -- reads it as behavioural signals; sequences read it as stop rules. The id
        -- hashes source, address, kind, time and campaign, so re-importing the same
        -- file adds nothing. Only a hash of the address is kept: forget leaves no trace.
        CREATE TABLE activities (
            id TEXT PRIMARY KEY,
            person_id TEXT,
            email_sha256 TEXT,
            kind TEXT NOT NULL,
            detail TEXT,
            occurred_at TEXT,
            source TEXT NOT NULL,
            campaign TEXT,
            run_id TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX activities_person ON activities(person_id, kind);
        CREATE INDEX activities_email ON activities(email_sha256);
        """,
    )


def _v4_dedupe(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- Candidate pairs the dedupe stage scored, with the probability, the field
        -- levels behind it (reasons) and the decision: 'match', 'review' (borderline,
        -- waiting for a person) or 'distinct'. ``review`` holds what a person said:
        -- 'accepted' or 'rejected', remembered by later runs.
        CREATE TABLE pairs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            probability REAL NOT NULL,
            weight REAL NOT NULL,
            reasons TEXT NOT NULL DEFAULT '[]',
            decision TEXT NOT NULL,
            review TEXT,
            reviewed_at TEXT,
            run_id TEXT NOT NULL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX pairs_decision ON pairs(kind, decision);
        CREATE INDEX pairs_a ON pairs(a);
        CREATE INDEX pairs_b ON pairs(b);

        -- One row per merge: the golden record kept, the records merged into it, why,
        -- and whether it still holds ('merged') or was undone ('unmerged').
        CREATE TABLE clusters (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
            golden_id TEXT NOT NULL,
            members TEXT NOT NULL,
            status TEXT NOT NULL,
            probability REAL,
            reasons TEXT NOT NULL DEFAULT '[]',
            provenance TEXT NOT NULL DEFAULT '{}',
            run_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            undone_at TEXT
        );
        CREATE INDEX clusters_golden ON clusters(golden_id, status);

        -- What each merge changed: the previous rows of every record it touched, so
        -- unmerge puts back exactly what was there.
        CREATE TABLE merge_log (
            seq INTEGER PRIMARY KEY,
            cluster_id TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('merge', 'unmerge')),
            kind TEXT NOT NULL,
            rows_before TEXT NOT NULL,
            run_id TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX merge_log_cluster ON merge_log(cluster_id);

        -- Merged members are few: a partial index finds them without a scan.
        CREATE INDEX people_merged ON people(merged_into) WHERE merged_into IS NOT NULL;
        CREATE INDEX companies_merged ON companies(merged_into)
            WHERE merged_into IS NOT NULL;
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_foundation, _v2_enrichment, _v3_activities, _v4_dedupe,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply every step newer than the file's ``user_version``; return the steps applied.

    Each step and its version bump commit together, so a crash leaves either the old
    version or the new one.
    """
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    applied = []
    for number, step in enumerate(MIGRATIONS, start=1):
        if number <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(number)
    return applied
