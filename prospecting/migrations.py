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


def _v4_sequences(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- Who is in which outreach sequence, since when (anchor_date: the start asked;
        -- start_date: the week it really starts, after the per-company weekly limit), in
        -- which time zone and holiday calendar (country), and whether
        -- the sequence still runs for them (active) or was stopped by a reply, bounce,
        -- unsubscribe, suppression or stage change (stopped, with the reason).
        CREATE TABLE sequence_members (
            person_id TEXT NOT NULL,
            sequence TEXT NOT NULL,
            segment TEXT,
            company_key TEXT,
            anchor_date TEXT NOT NULL,
            start_date TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            country TEXT,
            status TEXT NOT NULL,
            reason TEXT,
            sequence_hash TEXT NOT NULL,
            run_id TEXT NOT NULL,
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (person_id, sequence)
        );
        CREATE INDEX sequence_members_company ON sequence_members(company_key, start_date);

        -- One row per planned outreach touch. due is the local date-time with its UTC
        -- offset in the prospect's zone, due_utc the same instant in UTC (for ordering and
        -- the email cap). status: planned, sent, skipped (a condition or the cap left it
        -- out), stopped (a stop rule ended the sequence). subject and body hold the
        -- rendered text of email steps: forget deletes the rows with the person.
        CREATE TABLE planned_touches (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL,
            sequence TEXT NOT NULL,
            step INTEGER NOT NULL,
            step_name TEXT,
            channel TEXT NOT NULL,
            condition TEXT NOT NULL DEFAULT 'always',
            due TEXT NOT NULL,
            due_utc TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            template TEXT,
            subject TEXT,
            body TEXT,
            output_hash TEXT,
            run_id TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX planned_touches_person ON planned_touches(person_id, channel, due_utc);
        """,
    )


def _v5_connectors(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- Where each public-data query stands, so an interrupted 'source' resumes at the
        -- next page and a finished query is not fetched again (unless forced). The key
        -- hashes the connector's query parameters; 'split' marks a query too big for the
        -- API that was replaced by narrower ones (e.g. one per departement).
        CREATE TABLE cursors (
            connector TEXT NOT NULL,
            query_key TEXT NOT NULL,
            params TEXT NOT NULL,
            cursor TEXT,
            done INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'open',
            total INTEGER,
            fetched INTEGER NOT NULL DEFAULT 0,
            parent TEXT,
            run_id TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (connector, query_key)
        );

        -- Why each company a connector returned fits the ICP or was left out (competitor,
        -- customer, closed...). One row per connector record, replaced when seen again;
        -- excluded companies are kept here only, never as companies or people.
        CREATE TABLE icp_verdicts (
            connector TEXT NOT NULL,
            record_id TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            verdict TEXT NOT NULL,
            reasons TEXT NOT NULL,
            locator TEXT,
            run_id TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (connector, record_id)
        );
        CREATE INDEX icp_verdicts_entity ON icp_verdicts(entity_id);
        """,
    )


def _v6_scoring(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- What the score stage decided for each person and why: fit (ICP grid), signal
        -- (behaviour, decayed by age) and total points, the lifecycle stage and
        -- temperature, the disqualification reason, and every rule that gave points
        -- (JSON [{part, rule, points, detail}]). people.stage/score/temperature copy the
        -- verdict; this table is what explain reads and what they are restored from.
        CREATE TABLE scores (
            person_id TEXT PRIMARY KEY,
            fit REAL NOT NULL,
            signal REAL NOT NULL,
            total REAL NOT NULL,
            stage TEXT NOT NULL,
            temperature TEXT NOT NULL,
            disqualified_reason TEXT,
            reasons TEXT NOT NULL DEFAULT '[]',
            last_signal_at TEXT,
            icp_hash TEXT,
            as_of TEXT NOT NULL,
            run_id TEXT NOT NULL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX scores_stage ON scores(stage);
        """,
    )


def _v7_dedupe(conn: sqlite3.Connection) -> None:
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


def _v8_people_company_index(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- Companies' people_count counts live people (not merged away) per company: with
        -- merged_into in the company index, the count reads the index alone (6 to 12
        -- times faster), and lookups by company use it as before.
        DROP INDEX people_company;
        CREATE INDEX people_company ON people(company_id, merged_into);
        """,
    )


def _v9_packed_statements(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- What several enrichers found about one person in one run is one statement
        -- (source 'enrichers') whose facts name their own source, as a fourth element:
        -- [field, value, confidence, source]. The view reads it from there.
        DROP VIEW observations;
        CREATE VIEW observations AS
            SELECT
                s.id AS statement_id,
                s.entity_id AS entity_id,
                json_extract(f.value, '$[0]') AS field,
                json_extract(f.value, '$[1]') AS value,
                coalesce(json_extract(f.value, '$[3]'), s.source) AS source,
                s.locator AS locator,
                s.observed_at AS observed_at,
                coalesce(json_extract(f.value, '$[2]'), s.confidence) AS confidence,
                s.run_id AS run_id
            FROM statements AS s, json_each(s.facts) AS f;
        """,
    )


def _v10_answered_pairs(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- The pairs a person answered (or an unmerge rejected): a few among all the
        -- scored ones, read whenever the review queue is listed or counted.
        CREATE INDEX pairs_answered ON pairs(kind) WHERE review IS NOT NULL;
        """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_foundation, _v2_enrichment, _v3_activities, _v4_sequences, _v5_connectors,
    _v6_scoring, _v7_dedupe, _v8_people_company_index, _v9_packed_statements,
    _v10_answered_pairs,
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
