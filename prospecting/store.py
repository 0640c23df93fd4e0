"""The one SQLite file every stage reads from and writes back to.

:class:`Store` opens (or creates and migrates) the file in WAL mode, groups writes
in ``BEGIN IMMEDIATE`` transactions so a second process waits instead of failing,
and rebuilds the ``people`` and ``companies`` views from observations with
:meth:`Store.refresh_people` / :meth:`Store.refresh_companies`.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import operator
import os
import sqlite3
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from json.encoder import encode_basestring as encode_string  # type: ignore[attr-defined]
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from . import __version__
from .errors import ConfigError, StoreError
from .migrations import SCHEMA_VERSION, migrate
from .models import (
    COMPANY_FIELDS,
    LEGAL_FORM_WORDS,
    LEGAL_ID_FIELDS,
    PACKED_SOURCE,
    PERSON_FIELDS,
    Fact,
    Observation,
    PendingStatement,
    best_of,
    canonical_value,
    company_name_key,
    dumps,
    email_identity,
    explode,
    fact_observations,
    facts_json,
    group_fields,
    loads,
    object_json,
    pending_observations,
    rank_of,
    ranked_of,
    statement_id,
    strip_accents,
    tied_with_best,
    usable_address,
)
from .privacy import SuppressionMatcher, e164_shape, normalize_email_key, untagged

if TYPE_CHECKING:
    import sqlite_utils

__all__ = [
    "DirectPerson",
    "PreparedFacts",
    "StatedFacts",
    "Store",
    "chunked",
    "direct_person_entry",
    "enriched_person_row",
    "moved_companies",
    "packed_statement_row",
    "people_columns",
    "people_values",
    "prepare_facts",
    "source_rank",
    "split_same_links",
    "utc_now",
]

_SQLITE_HEADER = b"SQLite format 3\x00"
# Page size of a new store. Each page SQLite reads or writes is a system call (a page
# committed costs three: the log frame's header and body, then the checkpoint's copy),
# and the big stages change rows all over the people and statements tables. With 16 KiB
# pages they make a quarter of the calls: at 200k people dedupe spends 40 % less system
# time, and enrich about 10 % less CPU per record. Existing files keep theirs.
PAGE_SIZE = 16384
_DEFERRED = "deferred_indexes"  # meta key: indexes a bulk load drops and builds at its end
STATEMENT_COLUMNS = (
    "id", "entity_id", "source", "locator", "observed_at", "confidence", "run_id", "facts",
)
_INSERT_STATEMENT = (
    f"INSERT OR IGNORE INTO statements ({', '.join(STATEMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in STATEMENT_COLUMNS)})"
)
# The same for statements without a locator (every enricher's): sqlite3 binds a None
# parameter through its adapter lookup, about a microsecond each; a literal NULL is free.
_INSERT_UNLOCATED = _INSERT_STATEMENT.replace("?, ?, ?, ?", "?, ?, ?, NULL", 1)
_UNLOCATED = operator.itemgetter(0, 1, 2, 4, 5, 6, 7)  # a statement tuple without its locator
_PEOPLE_COLUMNS = (
    "id",
    *[f for f in PERSON_FIELDS],
    "email",
    "phone",
    "emails",
    "phones",
    "extra",
    "source_ids",
    "sources",
    "tags",
    "suppressed",
    "updated_at",
)
_COMPANY_COLUMNS = (
    "id",
    *COMPANY_FIELDS,
    "legal_ids",
    "emails",
    "phones",
    "extra",
    "people_count",
    "source_ids",
    "sources",
    "updated_at",
)
_people_values = operator.itemgetter(*_PEOPLE_COLUMNS)  # a row dict's values, in order
# What people's tags and their rebuilds read of a company (see _companies_by_id).
_COMPANY_READ = ("id", "name", "domain", "website", "industry", "naf", "headcount", "siren")


def people_columns() -> tuple[str, ...]:
    """The people columns a refresh derives from statements (and writes, in order)."""
    return _PEOPLE_COLUMNS


def people_values(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """People row dicts as tuples in the column order :meth:`Store.write_people` takes."""
    return [_people_values(row) for row in rows]

_company_values = operator.itemgetter(*_COMPANY_COLUMNS)


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the microsecond."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _upsert_sql(table: str, columns: Sequence[str]) -> str:
    # Only the view's own columns are replaced; stage-owned columns (stage, score,
    # merged_into…) keep what their stage wrote.
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}"
    )


def source_rank(priority: Any) -> dict[str, int]:
    """``[enrichers] source_priority`` (best first) as the rank map views break ties with.

    Entries are source families (``enricher``, ``csv``, ``crawl``, ``connector``) or
    whole sources (``csv:crm``); they decide between values of equal confidence and age.
    """
    if isinstance(priority, str) or not all(isinstance(p, str) for p in priority):
        raise ConfigError(
            "enrichers.source_priority: expected a list of source names, e.g. "
            '["enricher", "csv", "crawl", "connector"]'
        )
    return {name: rank for rank, name in enumerate(priority)}


# (canonical keys of the facts or None, their JSON, the statement id), see ``prepare_facts``.
PreparedFacts = tuple[list[tuple[str, str]] | None, str, int]


def prepare_facts(
    entity_id: str, source: str, facts: Sequence[Fact], *, keys: bool = True
) -> PreparedFacts:
    """What :meth:`Store.state_facts` computes per item, computable anywhere beforehand.

    ``keys=False`` leaves the canonical keys to ``state_facts``, which only needs them
    for a source that stated something about the entity before.
    """
    payload = facts_json(facts)
    return (
        [(f[0], canonical_value(f[1])) for f in facts] if keys else None,
        payload,
        statement_id(entity_id, source, payload),
    )


class StatedFacts(NamedTuple):
    """What :meth:`Store.state_facts` wrote and read."""

    added: int
    changed: set[str]
    known: set[str]
    observations: dict[str, list[Observation]]


class BuiltPeople(NamedTuple):
    """People rows derived and not yet written (see :meth:`Store.build_people_rows`)."""

    # Every column of ``people``, tags and suppression included; a row from a
    # ``direct`` entry (see direct_person_entry) is already a tuple in column order.
    rows: list[Any]
    deleted: list[str]  # ids left without any observation
    companies: dict[str, dict[str, Any]]  # their companies' rows, by id
    # Companies whose only rows here are people new to the table (direct entries), with
    # how many: their count grows by that many, with no recount (see write_people).
    added: dict[str, int] | None = None


class Store:
    """A prospecting database file.

    >>> store = Store("prospects.db")          # doctest: +SKIP
    >>> store.counts()["people"]               # doctest: +SKIP
    0
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        exists = self.path.exists() and self.path.stat().st_size > 0
        if exists:
            self._check_header()
        elif not create:
            raise StoreError(f"{self.path}: no such database (run 'prospecting init {path}')")
        elif not self.path.parent.exists():
            raise StoreError(f"{self.path}: folder {self.path.parent} does not exist")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self.conn.execute("PRAGMA busy_timeout = 10000")
            if not exists:
                # Before the first table (and WAL mode): the size is fixed from then on.
                self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                raise StoreError(f"{self.path}: cannot switch to WAL mode (got {mode})")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA cache_size = -131072")  # 128 MiB
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer version (schema {version}, this version "
                    f"knows {SCHEMA_VERSION}); upgrade prospecting-pipeline"
                )
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(self.path, exc)) from exc
        self.source_rank: dict[str, int] = {}
        self.tag_rule: Any = None
        self.settings: Any = None
        self._recount: dict[str, None] | None = None  # see people_counts_at_end
        self._added: Counter[str] = Counter()  # see people_counts_at_end
        # Company rows read for people's tags, and their tag extras (companies_cached).
        self._company_cache: dict[str, dict[str, Any] | None] | None = None
        self._company_flags: dict[str | None, tuple[bool, bool]] = {}
        try:
            self.restore_indexes()  # what a bulk load killed half-way left unbuilt
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(self.path, exc)) from exc

    # (data version and this connection's changes, fingerprint of the table, matcher)
    _matcher: tuple[tuple[int, int], tuple[Any, ...], SuppressionMatcher] | None = None

    def suppression_matcher(self) -> SuppressionMatcher:
        """The suppression list, loaded again only when it may have changed.

        Rows are derived in batches of a thousand or so, and a list of unsubscribes,
        bounces and customers' domains may hold a hundred thousand entries. Nothing
        written anywhere since the last load (``PRAGMA data_version`` for other
        connections, ``total_changes`` for this one) means the same list; otherwise the
        table's row count, largest rowid and newest entry tell whether it changed.
        """
        key = (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)
        cached = self._matcher
        if cached is not None and cached[0] == key:
            return cached[2]
        fingerprint = tuple(self.conn.execute(
            "SELECT count(*), max(rowid), max(added_at) FROM suppressions"
        ).fetchone())
        if cached is not None and cached[1] == fingerprint:
            matcher = cached[2]
        else:
            matcher = SuppressionMatcher.load(self.conn)
        self._matcher = (key, fingerprint, matcher)
        return matcher

    @classmethod
    def reader(cls, path: str | os.PathLike[str], settings: Any = None) -> Store:
        """A read-only connection to an existing, migrated file, e.g. for a worker process
        that prepares rows its parent writes. Nothing is created, migrated or written."""
        store = cls.__new__(cls)
        store.path = Path(path)
        try:
            store.conn = sqlite3.connect(
                store.path.resolve().as_uri() + "?mode=ro", uri=True, isolation_level=None,
                timeout=10.0,
            )
            store.conn.execute("PRAGMA busy_timeout = 10000")
            store.conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(store.path, exc)) from exc
        store._recount = None
        store._added = Counter()
        store._company_cache, store._company_flags = None, {}
        store.source_rank = {}
        store.tag_rule = None
        store.settings = None
        if settings is not None:
            store.apply_settings(settings)
        return store

    def apply_settings(self, settings: Any) -> None:
        """Use the loaded settings (tag rule, batch sizes…) for this store's work."""
        self.settings = settings
        self.tag_rule = settings.tags
        self.source_rank = source_rank(settings.enrichers.get("source_priority", ()))

    def _check_header(self) -> None:
        try:
            with self.path.open("rb") as handle:
                head = handle.read(16)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({exc.strerror})") from exc
        if head != _SQLITE_HEADER:
            raise StoreError(f"{self.path}: not a SQLite database (corrupt or another file)")

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """The connection as a :class:`sqlite_utils.Database` (table helpers).

        Made on first use: importing sqlite-utils also imports numpy when it is
        installed, a fifth of a second at the start of every command that never needs it.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        wait_for_checkpoints()
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ---------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Store]:
        """One write transaction, started IMMEDIATE so a second writer waits its turn.

        A deferred ``BEGIN`` that reads then writes fails at once with "database is
        locked" when another process writes; ``BEGIN IMMEDIATE`` takes the write lock
        up front and honours the busy timeout. Nested calls become savepoints.
        """
        if self.conn.in_transaction:
            # A savepoint, as sqlite-utils' ``atomic`` makes one (without importing it
            # and numpy for that alone).
            name = f"write_{uuid.uuid4().hex}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # A failed statement may have ended the transaction, savepoint and all.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(_describe(self.path, exc)) from exc
        try:
            yield self
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(_describe(self.path, exc)) from exc

    @contextlib.contextmanager
    def page_cache(self, mib: int) -> Iterator[None]:
        """A page cache of ``mib`` MiB for the block (never smaller than the current one).

        A long transaction that rewrites rows scattered over a large table keeps every
        page it changed: with a cache smaller than that, SQLite spills changed pages to
        the write-ahead log and writes them again at each later change. The cache only
        grows as pages are read, and goes back to its size (its pages freed) at the end.
        """
        before = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        # Negative: KiB; positive: pages.
        current_kib = -before if before < 0 else (
            before * self.conn.execute("PRAGMA page_size").fetchone()[0] // 1024)
        if mib * 1024 <= current_kib:
            yield
            return
        self.conn.execute(f"PRAGMA cache_size = {-mib * 1024}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {before}")
            self.conn.execute("PRAGMA shrink_memory")
            _release_freed_memory()

    @contextlib.contextmanager
    def checkpoint_behind(self) -> Iterator[None]:
        """Commits in the block leave the write-ahead log to a thread, which copies it
        into the database file on a connection of its own once the block ends, while
        this one goes on.

        A commit otherwise copies the log itself before returning, once it holds over a
        thousand pages: after the one transaction of a million people's merges, 2.3 s of
        copying 1.7 GB with the other core idle. The copy is SQLite's own passive
        checkpoint, safe against a crash at any point; :meth:`close`, and any fork (see
        :func:`wait_for_checkpoints`), wait for it to finish.
        """
        before = self.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        if before <= 0:  # an enclosing block's
            yield
            return
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA wal_autocheckpoint = {before}")
        thread = threading.Thread(target=_checkpoint, args=(self.path,),
                                  name=f"checkpoint {self.path.name}")
        with _CHECKPOINTS_LOCK:
            _CHECKPOINTS.append(thread)
        thread.start()

    # -- indexes a bulk load builds at its end --------------------------------------

    def defer_indexes(self, indexes: Mapping[str, str], run_id: str) -> list[str]:
        """Drop those of ``indexes`` (index name -> its table) whose table is empty, so a
        first bulk load builds them once at its end (:meth:`restore_indexes`) instead of
        entry by entry; return the names dropped.

        Only for indexes the load itself never reads. What is dropped is recorded in
        ``meta`` in the same transaction, with the run and this process: if the process
        dies before the rebuild, the next :class:`Store` opened on the file rebuilds them.
        """
        dropped = []
        with self.write():
            held = json.loads(self.get_meta(_DEFERRED) or '{"indexes": {}}')["indexes"]
            for name, table in indexes.items():
                found = self.conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
                ).fetchone()
                if found is None or self.conn.execute(
                    f"SELECT 1 FROM {table} LIMIT 1"
                ).fetchone() is not None:
                    continue
                held[name] = found[0]
                self.conn.execute(f"DROP INDEX {name}")
                dropped.append(name)
            if dropped:
                self.set_meta(_DEFERRED, dumps(
                    {"run_id": run_id, "pid": os.getpid(), "indexes": held}))
        return dropped

    @contextlib.contextmanager
    def indexes_deferred(
        self, indexes: Mapping[str, str], run_id: str, *, when: bool = True,
    ) -> Iterator[list[str]]:
        """:meth:`defer_indexes` (when ``when``) for the block, which gets the names
        dropped; they are built at its end. If the block fails they are built then if
        possible, else by the next :class:`Store` opened on the file."""
        deferred = self.defer_indexes(indexes, run_id) if when else []
        try:
            yield deferred
        except BaseException:
            if deferred:
                with contextlib.suppress(Exception):
                    self.restore_indexes(force=True)
            raise
        if deferred:
            self.restore_indexes(force=True)

    def restore_indexes(self, *, force: bool = False) -> list[str]:
        """Build the indexes :meth:`defer_indexes` dropped, unless the run that dropped
        them is still loading in another process (``force``: build them anyway, the
        caller is that run). Returns the names built."""
        text = self.get_meta(_DEFERRED)
        if text is None or (not force and self._deferring_run_alive(json.loads(text))):
            return []
        with self.write():
            text = self.get_meta(_DEFERRED)  # read again under the write lock
            if text is None:
                return []
            held = json.loads(text)["indexes"]
            for sql in held.values():
                self.conn.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            self.conn.execute("DELETE FROM meta WHERE key = ?", (_DEFERRED,))
        return list(held)

    def _deferring_run_alive(self, held: Mapping[str, Any]) -> bool:
        pid = held.get("pid")
        if not isinstance(pid, int) or pid == os.getpid() or not _pid_alive(pid):
            return False
        row = self.conn.execute("SELECT status FROM runs WHERE id = ?",
                                (held.get("run_id"),)).fetchone()
        return row is not None and row[0] == "running"

    # -- runs ---------------------------------------------------------------------

    def start_run(self, command: str, options: Mapping[str, Any]) -> str:
        """Open a ``runs`` row; earlier rows still ``running`` whose process is gone are
        marked ``interrupted`` so a crash is visible and the next run carries on."""
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        with self.write():
            for row in self.conn.execute(
                "SELECT id, pid FROM runs WHERE status = 'running'"
            ).fetchall():
                if row[1] is None or not _pid_alive(row[1]):
                    self.conn.execute(
                        "UPDATE runs SET status = 'interrupted', ended_at = ? WHERE id = ?",
                        (utc_now(), row[0]),
                    )
            self.conn.execute(
                "INSERT INTO runs (id, command, started_at, status, options, icp_hash, version,"
                " pid) VALUES (?, ?, ?, 'running', ?, ?, ?, ?)",
                (
                    run_id,
                    command,
                    utc_now(),
                    json.dumps(dict(options), default=str, ensure_ascii=False),
                    self.get_meta("icp_hash"),
                    __version__,
                    os.getpid(),
                ),
            )
        return run_id

    def finish_run(
        self,
        run_id: str,
        counts: Mapping[str, Any],
        *,
        status: str = "done",
        error: str | None = None,
    ) -> None:
        with self.write():
            self.conn.execute(
                "UPDATE runs SET ended_at = ?, status = ?, counts = ?, error = ? WHERE id = ?",
                (utc_now(), status, dumps(dict(counts)), error, run_id),
            )

    # -- meta and ICP ---------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def store_icp(
        self, *, content_hash: str, name: str | None, path: str | None, text: str
    ) -> None:
        """Keep the ICP's text by hash and make it the one later runs record."""
        with self.write():
            self.conn.execute(
                "INSERT OR IGNORE INTO icps (hash, name, path, text, loaded_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (content_hash, name, path, text, utc_now()),
            )
            self.set_meta("icp_hash", content_hash)

    # -- observations and quarantine ----------------------------------------------

    def add_statements(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert statement tuples (in ``STATEMENT_COLUMNS`` order); return how many were
        new. A statement already made (same entity, source and facts) is ignored."""
        before = self.conn.total_changes
        # Consecutive rows with and without a locator go in runs, in the order given (the
        # order of ``seq``).
        for unlocated, run in itertools.groupby(rows, key=_no_locator):
            if unlocated:
                self.conn.executemany(_INSERT_UNLOCATED, map(_UNLOCATED, run))
            else:
                self.conn.executemany(_INSERT_STATEMENT, run)
        return self.conn.total_changes - before

    def state_facts(
        self, items: Sequence[tuple[str, str, str | None, str, float, str, list[Fact]]],
        prepared: Sequence[PreparedFacts | None] | None = None,
        *, known: set[str] | None = None, pack: bool = False,
        current: Mapping[str, list[Observation] | None] | None = None,
        folded: dict[tuple[str, str], tuple[list[Observation], int, set[tuple[str, str]]]]
        | None = None,
    ) -> StatedFacts:
        """Write statements holding only facts their source has not stated yet.

        ``items`` are (entity_id, source, locator, observed_at, confidence, run_id, facts).
        Restating a fact writes nothing: a row imported again, a later export of the same
        CRM where only the title changed, an enricher re-run on unchanged input, all add
        just what is new. Entities with no row yet and seen once (the bulk of a first
        import) skip the comparison. The observations read for the comparison come back,
        with the new facts added, so the refresh that follows need not read them again.

        ``prepared`` (one per item, or None) holds what :func:`prepare_facts` computed
        elsewhere, e.g. in a worker process: the facts' canonical keys (None: computed
        here when needed), their JSON and the statement id, used as they are when no
        fact of the item was stated before. ``known``, when the caller read it, is every
        id of ``items`` that has a row. ``pack``, ``current``: see :meth:`plan_facts`.
        """
        rows, changed, known, loaded = self.plan_facts(items, prepared, known=known, pack=pack,
                                                       current=current, folded=folded)
        return StatedFacts(self.add_statements(rows), changed, known, loaded)

    def plan_facts(
        self, items: Sequence[tuple[str, str, str | None, str, float, str, list[Fact]]],
        prepared: Sequence[PreparedFacts | None] | None = None, *,
        known: set[str] | None = None, pack: bool = False,
        current: Mapping[str, list[Observation] | None] | None = None,
        folded: dict[tuple[str, str], tuple[list[Observation], int, set[tuple[str, str]]]]
        | None = None,
    ) -> tuple[list[tuple[Any, ...]], set[str], set[str], dict[str, list[Observation]]]:
        """What :meth:`state_facts` would write, read-only: (statement rows for
        :meth:`add_statements`, changed ids, known ids, observations with the new facts).

        Usable on a read-only connection, e.g. in a worker process; the rows stay valid
        as long as nothing else writes about these entities before they are added.
        ``known``, when the caller knows it, is every id of ``items`` that has a row.
        ``pack``: the new facts of several sources about one entity, without a locator
        and stated at the same time, run and confidence (the enrichers' of one person),
        become one row of source ``PACKED_SOURCE`` whose facts name their own source.
        One row instead of one per enricher: a third of the rows and index entries.
        ``current``: entities' observations the caller read from this transaction and
        kept up to date with what it wrote since (the lists this method returns, which
        it extends with the new facts; None: not held); they are used instead of being
        read again. An import names a company in every batch its people are in.
        ``folded``: what the caller keeps between calls of the stated facts (their
        canonical keys) of the entities ``current`` holds, by entity and source: a list
        held there is read on from where the last call left it instead of from its start
        (a big company's facts, read again by every batch naming it).
        """
        seen = Counter(map(_FIRST, items))
        if known is None:
            known = self.existing_entities(seen)
        pairs = Counter(map(_FIRST_TWO, items))
        stated: dict[tuple[str, str], set[tuple[str, str]]] = {}
        if current:
            held_already = {e: current[e] for e in known if current.get(e) is not None}
            loaded = self.observations_for(e for e in known if e not in held_already)
            loaded.update(held_already)
        else:
            loaded = self.observations_for(known)
        # Only what the same source said counts as a restatement.
        if folded is None:
            for entity_id, observations in loaded.items():
                for o in observations:
                    if (entity_id, o.source) in pairs:
                        stated.setdefault((entity_id, o.source), set()).add(
                            (o.field, canonical_value(o.value))
                        )
        else:
            for entity_id, source in pairs:
                observations = loaded.get(entity_id)
                if observations is None:
                    continue
                held = folded.get((entity_id, source))
                start, keys = (held[1], held[2]) if held is not None and (
                    held[0] is observations) else (0, set())
                for o in observations[start:] if start else observations:
                    if o.source == source:
                        keys.add((o.field, canonical_value(o.value)))
                if current is not None and current.get(entity_id) is observations:
                    # Kept by the caller, and extended in place: read on from here.
                    folded[(entity_id, source)] = (observations, len(observations), keys)
                if keys:
                    stated[(entity_id, source)] = keys
        rows: list[tuple[Any, ...]] = []
        changed: set[str] = set()
        # (entity, observed_at, confidence, run_id) -> (source, facts, ready) of each item
        together: dict[tuple[str, str, float, str], list[tuple[str, list[Fact], Any]]] = {}
        for n, (entity_id, source, locator, observed_at, confidence, run_id, facts) in (
            enumerate(items)
        ):
            ready = prepared[n] if prepared is not None else None
            if entity_id in known or seen[entity_id] > 1:
                have = stated.get((entity_id, source))
                # The comparison needs the canonical keys only when the source said
                # something before, or says it twice here.
                if have is not None or pairs[(entity_id, source)] > 1:
                    have = stated.setdefault((entity_id, source), set())
                    keys = ready[0] if ready is not None and ready[0] is not None else [
                        (f[0], canonical_value(f[1])) for f in facts
                    ]
                    fewer = _not_restated(facts, keys, have)
                    if fewer is not None:
                        facts, keys = fewer
                        ready = None
                    if not facts:
                        continue
                    have.update(keys)
                elif not facts:
                    continue
            changed.add(entity_id)
            held = loaded.get(entity_id)
            if held is not None:
                held.extend(fact_observations(
                    entity_id, source, locator, observed_at, confidence, run_id, facts
                ))
            if pack and locator is None:
                together.setdefault((entity_id, observed_at, confidence, run_id), []).append(
                    (source, facts, ready)
                )
                continue
            rows.append(_statement_row(
                entity_id, source, locator, observed_at, confidence, run_id, facts, ready
            ))
        for (entity_id, observed_at, confidence, run_id), parts in together.items():
            rows.append(packed_statement_row(entity_id, observed_at, confidence, run_id, parts))
        return rows, changed, known, loaded

    def statements_of(
        self, ids: Iterable[str]
    ) -> dict[str, list[tuple[str, str | None, str, float, str, str]]]:
        """Each entity's stored statements as they are stored: (source, locator,
        observed_at, confidence, run_id, facts JSON), not exploded."""
        found: dict[str, list[tuple[str, str | None, str, float, str, str]]] = {}
        for row in self._statement_rows(ids):
            found.setdefault(row[0], []).append(row[1:])
        return found

    def observations_for(self, ids: Iterable[str]) -> dict[str, list[Observation]]:
        """Every fact about each entity, exploded from its statements."""
        grouped: dict[str, list[Observation]] = {}
        for entity_id, source, locator, observed_at, confidence, run_id, facts in (
            self._statement_rows(ids)
        ):
            grouped.setdefault(entity_id, []).extend(
                explode(entity_id, source, locator, observed_at, confidence, run_id, facts)
            )
        return grouped

    def _statement_rows(self, ids: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """(entity_id, source, locator, observed_at, confidence, run_id, facts JSON) of
        every statement about these entities, each entity's in the order they were made.

        Their rowids first (the entities' index alone holds them), then the rows in
        rowid order: read by entity, the rows of a few thousand entities lie all over
        the table, each a search of it from the root; in rowid order, neighbouring rows
        share the pages last read (at a million people, a sixth less time)."""
        select = ("SELECT entity_id, source, locator, observed_at, confidence, run_id, facts"
                  " FROM statements WHERE")
        ids = list(ids)
        if len(ids) < 500:
            marks = ", ".join("?" for _ in ids)
            yield from self.conn.execute(
                f"{select} entity_id IN ({marks}) ORDER BY seq", ids)
            return
        seqs: list[int] = []
        for chunk in chunked(ids, 500):
            marks = ", ".join("?" for _ in chunk)
            seqs.extend(row[0] for row in self.conn.execute(
                f"SELECT seq FROM statements WHERE entity_id IN ({marks})", chunk))
        seqs.sort()
        for chunk in chunked(seqs, 500):
            marks = ", ".join("?" for _ in chunk)
            yield from self.conn.execute(f"{select} seq IN ({marks})", chunk)

    def add_suppressions(
        self, rows: Iterable[tuple[str, str | None, str, str]], run_id: str
    ) -> int:
        """Add (kind, value, sha256, reason) rows to the suppression list; return how
        many were new. The id is kind and hash, so a value listed twice is one row."""
        before = self.conn.total_changes
        now = utc_now()
        self.conn.executemany(
            "INSERT OR IGNORE INTO suppressions (id, kind, value, sha256, reason, added_at,"
            " run_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((f"{kind}:{digest}", kind, value, digest, reason, now, run_id)
             for kind, value, digest, reason in rows),
        )
        return self.conn.total_changes - before

    def add_quarantine(self, rows: Iterable[Mapping[str, Any]]) -> int:
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO quarantine (id, source, row, field, reason, raw, run_id,"
            " created_at) VALUES (:id, :source, :row, :field, :reason, :raw, :run_id,"
            " :created_at)",
            rows,
        )
        return self.conn.total_changes - before

    # -- views ----------------------------------------------------------------------

    def people_with_email(self, key: str) -> list[tuple[str, str | None]]:
        """(id, merged_into) of every people row holding the normalised address ``key``.

        A LIKE on the JSON narrows the rows; the exact match is on each normalised value.
        """
        like = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return [
            (pid, merged_into)
            for pid, merged_into, emails in self.conn.execute(
                "SELECT id, merged_into, emails FROM people WHERE lower(emails) LIKE ?"
                " ESCAPE '\\'", (like,),
            )
            if any(normalize_email_key(e["value"]) == key for e in json.loads(emails))
        ]

    def golden_by_email(self) -> dict[str, tuple[str, str]]:
        """Normalised address → (the golden record holding it, the address as held there).

        An address two unmerged people share goes to the first by id, records that are
        not merged first: the same answer for every caller and every run.
        """
        index: dict[str, tuple[str, str]] = {}
        for golden, value in self.conn.execute(
            "SELECT coalesce(p.merged_into, p.id), json_extract(e.value, '$.value')"
            " FROM people AS p, json_each(p.emails) AS e"
            " ORDER BY p.merged_into IS NOT NULL, p.id"
        ):
            if value:
                index.setdefault(normalize_email_key(value), (golden, value))
        return index

    def existing_entities(self, ids: Iterable[str]) -> set[str]:
        """The ids, people's or companies', that have a row."""
        # make_id prefixes them: a company's id is never looked for among people, nor a
        # person's among companies (an id with neither prefix is looked for in both).
        ids = list(ids)
        known = self.existing("people", [i for i in ids if not i.startswith("c_")])
        known |= self.existing("companies", [i for i in ids if not i.startswith("p_")
                                             and i not in known])
        return known

    def existing(self, table: str, ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunked(list(ids), 500):
            marks = ", ".join("?" for _ in chunk)
            found.update(
                r[0]
                for r in self.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            )
        return found

    def refresh_companies(
        self, ids: Iterable[str], pending: Mapping[str, list[PendingStatement]] | None = None,
        *, known: set[str] | None = None,
        direct: Mapping[str, tuple[Any, ...] | None] | None = None,
        observations: Mapping[str, list[Observation]] | None = None,
    ) -> int:
        """Rebuild company rows from their observations.

        ``pending`` holds observations just written for ids that had no row before, so
        a bulk import derives new rows without reading its own writes back. ``direct``
        holds rows :func:`_direct_company_row` already built from those (None where it
        could not), e.g. in the process that read the file. ``observations`` holds every
        observation of some of the ids, as :meth:`state_facts` returns them.
        """
        ids = list(dict.fromkeys(ids))
        members_of = self._merged_groups("companies", ids)
        member_obs = self._gather("companies", [m for g in members_of.values() for m in g],
                                  None, given=observations)
        if known is None and pending:
            known = self.existing("companies", ids)
        single = {
            cid: pending[cid][0]
            for cid in ids
            if pending and known is not None and cid not in known
            and len(pending.get(cid, ())) == 1
        }
        grouped = self._gather("companies", [i for i in ids if i not in single], pending, known,
                               observations)
        # A company with no row yet has no people counted yet either.
        counts = self._people_counts([i for i in ids if i not in single])
        now = utc_now()
        rows = []
        for cid in ids:
            if cid in single:
                row = (direct[cid] if direct is not None and cid in direct
                       else _direct_company_row(cid, single[cid], now))
                if row is not None:
                    rows.append(row)
                    continue
                obs = pending_observations(cid, [single[cid]])
            else:
                obs = grouped.get(cid)
                if cid in members_of and obs:
                    obs = self._with_members(obs, members_of[cid], member_obs)
            if not obs:
                self.conn.execute("DELETE FROM companies WHERE id = ?", (cid,))
                continue
            rows.append(self._company_row(cid, obs, counts.get(cid, 0), now))
        # People's tags read their company (a name, firmographics): where that changes,
        # the people there are re-tagged. A company with no row before has nobody yet.
        before = self._companies_by_id([i for i in ids if i not in single])
        self.conn.executemany(_upsert_sql("companies", _COMPANY_COLUMNS), rows)
        self._forget_companies(ids)
        for cid in ids:
            # Its count was just written from the people table: people added before in
            # this people_counts_at_end block are in it already.
            self._added.pop(cid, None)
        if before:
            from sequences.segments import company_extras

            # What was just written, from the rows built (a deleted company is absent).
            after = {row[0]: dict(zip(_COMPANY_COLUMNS, row, strict=True))
                     for row in rows if row[0] in before}
            grown = [cid for cid, row in before.items()
                     if company_extras(row) != company_extras(after.get(cid))]
            if grown:
                self.retag_people(grown, after)
        return len(rows)

    def retag_people(self, company_ids: list[str], companies: Mapping[str, Mapping[str, Any]],
                     golden_of: Mapping[str, str] | None = None) -> None:
        """Re-derive the tag of everyone at ``company_ids`` from the given company rows.

        ``golden_of`` also points people at a merged company to its golden one.
        """
        from sequences.segments import tag_person

        golden_of = golden_of or {}
        cols = _TAG_COLUMNS
        updates = []
        for chunk in chunked(list(company_ids), 500):
            marks = ", ".join("?" for _ in chunk)
            for seq, *values in self.conn.execute(
                f"SELECT seq, {', '.join(cols)} FROM people WHERE company_id IN ({marks})",
                chunk,
            ):
                row = dict(zip(cols, values, strict=True))
                row["company_id"] = golden_of.get(row["company_id"], row["company_id"])
                tags = tag_person(row, companies.get(row["company_id"]), self.tag_rule,
                                  emails=json.loads(row["emails"]),
                                  phones=json.loads(row["phones"]))
                updates.append((row["company_id"], _TAGS_JSON.get(tuple(tags)) or dumps(tags),
                                seq))
        # In table order: a company's people are spread over the whole table.
        updates.sort(key=_LAST)
        self.conn.executemany("UPDATE people SET company_id = ?, tags = ? WHERE seq = ?",
                              updates)

    def refresh_people(
        self,
        ids: Iterable[str],
        pending: Mapping[str, list[PendingStatement]] | None = None,
        *,
        matcher: SuppressionMatcher | None = None,
        known: set[str] | None = None,
        observations: Mapping[str, list[Observation]] | None = None,
        direct: Mapping[str, dict[str, Any] | DirectPerson | None] | None = None,
    ) -> int:
        """Rebuild person rows from their observations (see :meth:`refresh_companies`).

        ``known`` (ids that already have a row) and ``observations`` (every observation
        of some of the ids, e.g. from :meth:`state_facts`) save reads the caller made;
        ``direct`` rows built beforehand by :func:`_direct_person_row` save that work.
        """
        built = self.build_people_rows(ids, pending, matcher=matcher, known=known,
                                       observations=observations, direct=direct)
        self.write_people_rows(built)
        return len(built.rows)

    def build_people_rows(
        self,
        ids: Iterable[str],
        pending: Mapping[str, list[PendingStatement]] | None = None,
        *,
        matcher: SuppressionMatcher | None = None,
        known: set[str] | None = None,
        observations: Mapping[str, list[Observation]] | None = None,
        direct: Mapping[str, dict[str, Any] | DirectPerson | None] | None = None,
        members_of: dict[str, list[str]] | None = None,
        keep_entries: bool = False,
        ready: Mapping[str, dict[str, Any]] | None = None,
    ) -> BuiltPeople:
        """What :meth:`refresh_people` writes, read and computed but not written.

        ``members_of`` (golden id -> merged member ids, sorted) stands for the merges
        a caller is about to write: the rows are derived as they will be once written.
        ``keep_entries`` leaves each row's ``_emails`` and ``_phones`` lists in it.
        ``ready`` holds rows already derived as :meth:`_person_row` derives them (see
        :func:`enriched_person_row`), for people who are no golden record.
        """
        from sequences.segments import tag_person

        ids = list(dict.fromkeys(ids))
        if members_of is None:
            members_of = self._merged_groups("people", ids)
        ready = ready or {}
        if ready and not ready.keys().isdisjoint(members_of):
            raise StoreError("a golden record's row is derived from all its members")
        member_obs = self._gather("people", [m for g in members_of.values() for m in g],
                                  None, given=observations)
        matcher = matcher if matcher is not None else self.suppression_matcher()
        now = utc_now()
        if known is None:
            known = self.existing("people", ids) if pending else set()
        # A new person stated once (the bulk of a first import) is derived straight from
        # that statement; everyone else from all their observations.
        single = {
            pid: pending[pid][0]
            for pid in ids
            if pending and pid not in known and len(pending.get(pid, ())) == 1
        }
        grouped = self._gather(
            "people", [i for i in ids if i not in single and i not in ready], pending, known,
            observations)
        built: list[Any] = []
        deleted: list[str] = []
        for pid in ids:
            row = ready.get(pid)
            if row is not None:
                built.append(row)
                continue
            if pid in single:
                row = (direct[pid] if direct is not None and pid in direct
                       else _direct_person_row(pid, single[pid], now))
                obs = None if row else pending_observations(pid, [single[pid]])
            else:
                obs = grouped.get(pid)
            if row is None:
                if not obs:
                    deleted.append(pid)
                    continue
                if pid in members_of:
                    obs = self._with_members(obs, members_of[pid], member_obs)
                    groups = group_fields(obs)
                    row = self._person_row(pid, obs, now, groups)
                    _golden_person(row, obs, self.source_rank, self.settings, groups)
                else:
                    row = self._person_row(pid, obs, now)
            built.append(row)
        # Entries from direct_person_entry (tuples) are finished apart, see _finish_direct.
        entries = [r for r in built if type(r) is tuple]
        if entries:
            ordered, built = built, [r for r in built if type(r) is not tuple]
        stated = {r["company_id"] for r in built}
        entry_companies = {e[0][_COMPANY_AT] for e in entries}
        # People follow their company's merge: they point at the golden company.
        golden_company = self._golden_of("companies", stated | entry_companies)
        for row in built:
            if row["company_id"] in golden_company:
                row["company_id"] = golden_company[row["company_id"]]
        # Rows built here read their company's row; entries need only its tag extras.
        companies = self._companies_by_id(
            {golden_company.get(c, c) for c in stated if c})
        for row in built:
            # A row built beforehand (see _direct_person_row) may carry its channels
            # instead of its email and phone entries: one address at most, row["email"].
            channels = row.pop("_channels", None)
            if channels is None:
                if keep_entries:
                    emails, phones = row["_emails"], row["_phones"]
                else:
                    emails, phones = row.pop("_emails"), row.pop("_phones")
                values: Iterable[str] = (e["value"] for e in emails)
            else:
                emails = phones = None
                values = (row["email"],) if row["email"] else ()
            row["suppressed"] = int(bool(matcher) and matcher.matches(values))
            company = companies.get(row["company_id"]) if row["company_id"] else None
            tags = tag_person(row, company, self.tag_rule, emails=emails, phones=phones,
                              channels=channels)
            row["tags"] = _TAGS_JSON.get(tuple(tags)) or dumps(tags)
        added = None
        if entries:
            flags = self._company_extras_of(
                {golden_company.get(c, c) for c in entry_companies if c})
            finished_rows = self._finish_direct(entries, golden_company, flags, matcher)
            recounted = {r["company_id"] for r in built}
            added = Counter(c for row in finished_rows
                            if (c := row[_COMPANY_AT]) is not None and c not in recounted)
            finished = iter(finished_rows)
            dicts = iter(built)
            built = [next(finished) if type(r) is tuple else next(dicts) for r in ordered]
        return BuiltPeople(built, deleted, companies, added)

    def _company_extras_of(self, ids: Iterable[str]) -> dict[str | None, tuple[bool, bool]]:
        """What each company gives its people's tags (:func:`company_extras`), by id;
        kept while :meth:`companies_cached` holds."""
        from sequences.segments import company_extras

        flags = self._company_flags if self._company_cache is not None else {}
        missing = [c for c in ids if c not in flags]
        if missing:
            rows = self._companies_by_id(missing)
            for cid in missing:
                flags[cid] = company_extras(rows.get(cid))
        if None not in flags:
            flags[None] = company_extras(None)
        return flags

    def _finish_direct(
        self, entries: list[DirectPerson], golden_company: Mapping[str, str],
        flags_of: Mapping[str | None, tuple[bool, bool]], matcher: SuppressionMatcher,
    ) -> list[tuple[Any, ...]]:
        """People values from :func:`direct_person_entry` entries, with what needs the
        database added as :meth:`build_people_rows` adds it to a row: the golden company,
        the suppression flag and the tag. ``flags_of`` holds every company's tag extras
        (see :meth:`_company_extras_of`)."""
        from sequences.segments import tag_from

        rule = self.tag_rule
        # The tag depends on these few parts only: computed once per combination.
        tags_of: dict[tuple[Any, ...], str] = {}
        checking = bool(matcher)
        out = []
        for values, channels, own in entries:
            cid = values[_COMPANY_AT]
            if cid in golden_company:
                cid = golden_company[cid]
                values = (*values[:_COMPANY_AT], cid, *values[_COMPANY_AT + 1:])
            email = values[_EMAIL_AT]
            suppressed = int(checking and matcher.matches((email,) if email else ()))
            flags = flags_of[cid or None]
            key = (channels, own, flags)
            tags_json = tags_of.get(key)
            if tags_json is None:
                tags = tag_from(channels, own, flags, rule)
                tags_json = tags_of[key] = _TAGS_JSON.get(tuple(tags)) or dumps(tags)
            out.append((*values[:_TAGS_AT], tags_json, suppressed, values[-1]))
        return out

    def write_people_rows(self, built: BuiltPeople) -> None:
        """Write what :meth:`build_people_rows` computed, and recount their companies."""
        added = built.added or {}
        recount = [c for c in built.companies if c not in added]
        # A person moved to another company leaves one fewer at the one they were at.
        recount += self._companies_of(
            [row["id"] for row in built.rows if type(row) is not tuple] + built.deleted)
        self.write_people([row if type(row) is tuple else _people_values(row)
                           for row in built.rows], built.deleted,
                          list(dict.fromkeys(recount)), added=added)

    def _companies_of(self, people_ids: list[str]) -> list[str]:
        """The companies these people's rows point at now."""
        found: list[str] = []
        for chunk in chunked(people_ids, 500):
            marks = ", ".join("?" for _ in chunk)
            found.extend(r[0] for r in self.conn.execute(
                f"SELECT DISTINCT company_id FROM people WHERE id IN ({marks})"
                " AND company_id IS NOT NULL", chunk))
        return found

    def write_people(
        self, rows: Sequence[tuple[Any, ...]], gone: Sequence[str], company_ids: Iterable[str],
        *, added: Mapping[str, int] | None = None,
        same_links: Sequence[tuple[Any, ...]] = (),
        seqs: Mapping[str, int] | None = None,
    ) -> None:
        """Write people rows in ``_PEOPLE_COLUMNS`` order: upsert ``rows``, delete the
        ``gone`` ids (no observation left) and recount the people of ``company_ids``.

        ``added`` counts, per company, people of ``rows`` that had no row before and
        are the company's only people here: their count grows by that much instead of
        being counted again (a bulk load adds people to the same companies batch after
        batch).

        ``same_links`` are more rows whose ``email`` and ``company_id`` are the ones
        stored (see :func:`split_same_links`), of people who have a row: written over it
        the same way, except that those two columns are not set again, which spares
        rewriting their index entries.

        ``seqs`` (id -> ``seq`` of rows the caller read, never deleted since) writes the
        rows of those people by ``seq``, in table order: no lookup in the id index and
        no insert attempt (an upsert costs half as much again as an update), and pages
        touched in their order.
        """
        if gone:
            self.conn.executemany("DELETE FROM people WHERE id = ?", [(i,) for i in gone])
        if seqs:
            rows, by_seq = _split_by_seq(rows, seqs)
            same_links, same_by_seq = _split_by_seq(same_links, seqs)
            self.conn.executemany(_UPDATE_BY_SEQ, by_seq)
            self.conn.executemany(_UPDATE_SAME_LINKS_BY_SEQ, same_by_seq)
        self.conn.executemany(_upsert_sql("people", _PEOPLE_COLUMNS), rows)
        if same_links:
            self.conn.executemany(_UPDATE_SAME_LINKS, same_links)
        if self._recount is not None:
            self._recount.update(dict.fromkeys(company_ids))
            if added:
                self._added.update(added)
        else:
            self._update_people_counts(company_ids)
            if added:
                self._add_people_counts(added)

    @contextlib.contextmanager
    def people_counts_at_end(self) -> Iterator[None]:
        """Recount companies' people once, when the block ends without an error, rather
        than after each :meth:`write_people` in it: the batches of a bulk load's
        transaction keep adding people to the same companies. Nothing in the block may
        read ``companies.people_count`` (company rows count people from ``people``)."""
        if self._recount is not None:
            yield
            return
        self._recount, self._added = {}, Counter()
        try:
            yield
            self._update_people_counts(self._recount)
            # A company recounted already counts everyone added to it.
            self._add_people_counts({c: n for c, n in self._added.items()
                                     if c not in self._recount})
        finally:
            self._recount, self._added = None, Counter()

    def _add_people_counts(self, added: Mapping[str, int]) -> None:
        self.conn.executemany(
            "UPDATE companies SET people_count = people_count + ? WHERE id = ?",
            [(n, cid) for cid, n in added.items()],
        )

    def people_rows(
        self,
        ids: Iterable[str],
        pending: Mapping[str, list[PendingStatement]] | None = None,
        *,
        matcher: SuppressionMatcher | None = None,
        known: set[str] | None = None,
        observations: Mapping[str, list[Observation]] | None = None,
        built_rows: list[dict[str, Any]] | None = None,
        ready: Mapping[str, dict[str, Any]] | None = None,
    ) -> tuple[list[tuple[Any, ...]], list[str], list[str]]:
        """The person rows :meth:`refresh_people` writes, read-only: (rows in
        ``_PEOPLE_COLUMNS`` order, ids with no observation left, their company ids).

        ``built_rows``, when given, receives each row as a dict with its ``_emails`` and
        ``_phones`` lists (what the enrich stage hashes as the person's new input).
        """
        built = self.build_people_rows(ids, pending, matcher=matcher, known=known,
                                       observations=observations,
                                       keep_entries=built_rows is not None, ready=ready)
        if built_rows is not None:
            built_rows.extend(built.rows)
        return [_people_values(row) for row in built.rows], built.deleted, list(built.companies)


    # -- merges (see dedupe/) ----------------------------------------------------------

    def _golden_of(self, table: str, ids: Iterable[str | None]) -> dict[str, str]:
        """The golden record each merged member among ``ids`` was merged into."""
        if not self._has_merges(table):
            return {}
        found: dict[str, str] = {}
        for chunk in chunked([i for i in ids if i], 500):
            marks = ", ".join("?" for _ in chunk)
            found.update(self.conn.execute(
                f"SELECT id, merged_into FROM {table} WHERE id IN ({marks})"
                " AND merged_into IS NOT NULL", chunk,
            ).fetchall())
        return found

    def has_merges(self, table: str) -> bool:
        """Whether some record of ``table`` ("people" or "companies") is merged."""
        return self._has_merges(table)

    def _has_merges(self, table: str) -> bool:
        return self.conn.execute(
            f"SELECT 1 FROM {table} WHERE merged_into IS NOT NULL LIMIT 1"
        ).fetchone() is not None

    def _merged_groups(self, table: str, ids: list[str]) -> dict[str, list[str]]:
        """Golden records among (or behind) ``ids`` with their merged members.

        A merged member keeps its own row, derived from its own facts, hidden by
        ``merged_into``; its golden record is derived from the facts of every member,
        so a new fact about a member is added to ``ids``' golden record too. ``ids`` is
        extended in place with the golden records of members it holds.
        """
        golden = self._golden_of(table, ids)
        if not golden:
            if not self._has_merges(table):
                return {}
        else:
            seen = set(ids)
            ids.extend(g for g in dict.fromkeys(golden.values()) if g not in seen)
        members: dict[str, list[str]] = {}
        for chunk in chunked(ids, 500):
            marks = ", ".join("?" for _ in chunk)
            for head, member in self.conn.execute(
                f"SELECT merged_into, id FROM {table} WHERE merged_into IN ({marks})"
                " ORDER BY id", chunk,
            ):
                members.setdefault(head, []).append(member)
        return members

    def _with_members(self, obs: list[Observation], members: list[str],
                      found: Mapping[str, list[Observation]]) -> list[Observation]:
        return obs + [o for m in members for o in found.get(m, ())]

    def _gather(
        self, table: str, ids: list[str], pending: Mapping[str, list[PendingStatement]] | None,
        known: set[str] | None = None, given: Mapping[str, list[Observation]] | None = None,
    ) -> dict[str, list[Observation]]:
        """Every observation of ``ids``: ``given`` ones as the caller read them, those
        of ``pending`` ids with no row yet from ``pending``, the others read."""
        given = given or {}
        wanted = [i for i in ids if i not in given]
        if not pending:
            found = self.observations_for(wanted)
        else:
            if known is None:
                known = self.existing(table, wanted)
            found = self.observations_for(i for i in wanted if i in known or i not in pending)
            for i in wanted:
                if i not in known and i in pending:
                    found[i] = pending_observations(i, _as_stored(pending[i]))
        found.update((i, given[i]) for i in ids if i in given)
        return found

    @contextlib.contextmanager
    def companies_cached(
        self, extras: dict[str | None, tuple[bool, bool]] | None = None
    ) -> Iterator[None]:
        """Keep the company rows read for people's tags until the block ends.

        A bulk load's batches tag people at the same companies over and over; inside
        the block each company is read once, and read again only after
        :meth:`refresh_companies` rewrites it. Meant for one write transaction, where
        nothing else writes companies. ``extras``, a dict the caller keeps from one
        transaction to the next, holds the companies' tag extras for longer; the caller
        empties it when another connection may have written in between.
        """
        if self._company_cache is not None:
            yield
            return
        self._company_cache = {}
        self._company_flags = extras if extras is not None else {}
        try:
            yield
        finally:
            self._company_cache, self._company_flags = None, {}

    def _forget_companies(self, ids: Iterable[str]) -> None:
        """Drop rewritten companies from what :meth:`companies_cached` keeps."""
        if self._company_cache is not None:
            for cid in ids:
                self._company_cache.pop(cid, None)
                self._company_flags.pop(cid, None)

    def _companies_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        cache = self._company_cache
        if cache is None:
            return self._read_companies(ids)
        ids = list(ids)
        missing = [i for i in ids if i not in cache]
        if missing:
            found = self._read_companies(missing)
            for cid in missing:
                cache[cid] = found.get(cid)
        return {cid: row for cid in ids if (row := cache[cid]) is not None}

    def remember_companies(self, rows: Mapping[str, Mapping[str, Any]]) -> None:
        """Company rows (by id) the caller has just read whole, kept as if
        :meth:`_companies_by_id` had read them, while :meth:`companies_cached` holds
        (otherwise nothing is kept)."""
        cache = self._company_cache
        if cache is not None:
            for cid, row in rows.items():
                cache[cid] = {k: row[k] for k in _COMPANY_READ}

    def _read_companies(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        keys = _COMPANY_READ
        found: dict[str, dict[str, Any]] = {}
        for chunk in chunked(list(ids), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self.conn.execute(
                f"SELECT {', '.join(keys)} FROM companies WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = dict(zip(keys, row, strict=True))
        return found

    def _person_row(self, pid: str, obs: list[Observation], now: str,
                    groups: dict[str, list[Observation]] | None = None) -> dict[str, Any]:
        rank = self.source_rank
        if groups is None:
            groups = group_fields(obs)
        row: dict[str, Any] = dict.fromkeys(PERSON_FIELDS)
        row["id"], row["updated_at"] = pid, now
        for field, group in groups.items():
            if field in _PERSON_FIELD_SET:
                row[field] = group[0].value if len(group) == 1 else best_of(group, rank)
        statuses = _checks(groups.get("email_status"), "email")
        emails = [
            _email_entry(value, statuses.get(value.casefold()) if statuses else None, sources)
            for value, sources in ranked_of(groups.get("email", []), rank)
        ]
        phones, written = _phone_entries(groups, rank,
                                         _checks(groups.get("phone_check"), "raw"))
        if phones is not written:
            # Survivorship's "recent" rule reads each writing's own observations.
            row["_phone_writings"] = written
        row["email"] = best_email(emails)
        row["phone"] = _best_phone(phones)
        row["_emails"] = emails
        row["_phones"] = phones
        row["emails"] = dumps(emails)
        row["phones"] = dumps(phones)
        row["extra"] = _extra_json(groups, rank)
        row["source_ids"] = _values_json(groups.get("source_id"))
        row["sources"] = dumps(sorted(set(map(_SOURCE, obs))))
        return row

    def _company_row(
        self, cid: str, obs: list[Observation], people_count: int, now: str
    ) -> tuple[Any, ...]:
        rank = self.source_rank
        groups = group_fields(obs)
        # Only the fields stated are ranked (a company has a few of the many there are).
        row: dict[str, Any] = dict.fromkeys(COMPANY_FIELDS)
        for field, group in groups.items():
            if field in _COMPANY_FIELD_SET:
                row[field] = (_best_written(group, rank) if field in _NAME_FIELDS
                              else best_of(group, rank))
        row["id"], row["updated_at"], row["people_count"] = cid, now, people_count
        row["name"] = row["name"] or row["legal_name"]
        # The identifiers a company row has a column for, then the others, each in
        # LEGAL_ID_FIELDS order.
        legal = {f: value for f in _LEGAL_ID_COLUMNS if (value := row[f])}
        for f in _LEGAL_ID_OTHERS:
            group = groups.get(f)
            if group:
                legal[f] = best_of(group, rank)
        if "legal_id_check" in groups:
            invalid = _invalid_ids(groups["legal_id_check"], legal)
            if invalid:
                legal["invalid"] = invalid
        row["legal_ids"] = dumps(legal) if legal else "{}"
        group = groups.get("email")
        row["emails"] = dumps([v for v, _ in ranked_of(group, rank)]) if group else "[]"
        group = groups.get("phone")
        if group:
            checks = _checks(groups.get("phone_check"), "raw")
            phones: list[str] = []
            for value, _ in ranked_of(group, rank):
                check = checks.get(value.casefold()) if checks else None
                e164 = check.get("e164") if check else e164_shape(value)
                if e164 and e164 not in phones:
                    phones.append(e164)
            row["phones"] = dumps(phones)
        else:
            row["phones"] = "[]"
        row["extra"] = _extra_json(groups, rank)
        row["source_ids"] = _values_json(groups.get("source_id"))
        source = obs[0].source
        row["sources"] = (f"[{encode_string(source)}]" if all(o.source == source for o in obs)
                          else dumps(sorted({o.source for o in obs})))
        return _company_values(row)

    def _people_counts(self, company_ids: list[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in chunked(company_ids, 500):
            marks = ", ".join("?" for _ in chunk)
            counts.update(
                self.conn.execute(
                    f"SELECT company_id, count(*) FROM people WHERE company_id IN ({marks})"
                    " AND merged_into IS NULL GROUP BY company_id",
                    chunk,
                ).fetchall()
            )
        return counts

    def _update_people_counts(self, company_ids: Iterable[str]) -> None:
        ids = list(company_ids)
        counts = self._people_counts(ids)
        self.conn.executemany(
            "UPDATE companies SET people_count = ? WHERE id = ?",
            [(counts.get(cid, 0), cid) for cid in ids],
        )

    # -- reading ----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = (
            "people",
            "companies",
            "statements",
            "observations",
            "quarantine",
            "suppressions",
            "runs",
        )
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


_CHECKPOINTS: list[threading.Thread] = []
_CHECKPOINTS_LOCK = threading.Lock()


def _checkpoint(path: Path) -> None:
    """Copy the write-ahead log into the database file (passive: writers go on). Where it
    cannot, the next checkpoint (a later commit's, the last connection's close) does."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(path, isolation_level=None, timeout=10.0)
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()


def wait_for_checkpoints() -> None:
    """Wait for the checkpoints :meth:`Store.checkpoint_behind` started. Also run before
    every fork: a process forked while another thread is inside SQLite could inherit
    its locks held."""
    while True:
        with _CHECKPOINTS_LOCK:
            if not _CHECKPOINTS:
                return
            thread = _CHECKPOINTS.pop()
        if thread is not threading.current_thread():
            thread.join()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=wait_for_checkpoints)

_FIRST = operator.itemgetter(0)
_LAST = operator.itemgetter(-1)
# The source of the email finder's statements (``enrichers.pipeline``): an address it
# alone gives is a guess.
GUESS_SOURCE = "enricher:finder"
BOUNCE_CONFIDENCE = 0.99  # the mail server refused the address: stronger than any check
VERDICT_CONFIDENCE = 0.8  # what a source's verification says, as any of its columns


def bounce_fact(address: str) -> Fact:
    """The ``email_status`` fact of an address a mail server refused (a hard bounce a
    sending tool, a CRM or a data vendor reports): ``invalid``, reason ``bounced``,
    which outranks any later check (see :func:`_checks`)."""
    payload = {"email": address, "normalized": normalize_email_key(address),
               "status": "invalid", "flags": [], "reason": "bounced", "code": "bounced",
               "method": "import"}
    return ("email_status", dumps(payload), BOUNCE_CONFIDENCE)


def verdict_fact(address: str, status: str, flags: tuple[str, ...] = ()) -> Fact:
    """The ``email_status`` fact of what a source's own verification said of an address
    (a verifier's or a data vendor's column: ``invalid``, ``risky``, ``valid``), method
    ``import``, code ``source_verdict``. A mailbox check like an SMTP probe's, it
    outranks a later syntax or DNS check (see :func:`_checks`), which cannot tell a
    mailbox that does not exist."""
    payload = {"email": address, "normalized": normalize_email_key(address),
               "status": status, "flags": list(flags),
               "reason": f"the source's verification: {status}"
                         + (" (catch-all)" if "catch_all" in flags else ""),
               "code": "source_verdict", "method": "import"}
    return ("email_status", dumps(payload), VERDICT_CONFIDENCE)


def _not_restated(
    facts: list[Fact], keys: list[tuple[str, str]], have: set[tuple[str, str]]
) -> tuple[list[Fact], list[tuple[str, str]]] | None:
    """``facts`` (with their canonical ``keys``) less those whose key the same source
    stated before (``have``); None when none is."""
    if not have or have.isdisjoint(keys):
        return None
    kept = [i for i, key in enumerate(keys) if key not in have]
    return [facts[i] for i in kept], [keys[i] for i in kept]


def _as_stored(statements: list[PendingStatement]) -> list[PendingStatement]:
    """A new entity's pending statements as :meth:`Store.plan_facts` stores them: a
    fact its source already stated in an earlier one (the same value, up to case and
    spacing) left out. A file holding two records of one person or company, written in
    other cases, then gives the row the stored statements give (read back later, the
    same), not a spelling no statement keeps."""
    if len(statements) < 2:
        return statements
    stated: dict[str, set[tuple[str, str]]] = {}
    kept: list[PendingStatement] = []
    for source, locator, observed_at, confidence, run_id, facts in statements:
        have = stated.setdefault(source, set())
        keys = [(f[0], canonical_value(f[1])) for f in facts]
        fewer = _not_restated(facts, keys, have)
        if fewer is not None:
            facts, keys = fewer
        if facts:
            kept.append((source, locator, observed_at, confidence, run_id, facts))
            have.update(keys)
    return kept


def _statement_row(
    entity_id: str, source: str, locator: str | None, observed_at: str, confidence: float,
    run_id: str, facts: list[Fact], ready: PreparedFacts | None,
) -> tuple[Any, ...]:
    """One row for :meth:`Store.add_statements`, its JSON and id as prepared if they were."""
    if ready is not None:
        payload, sid = ready[1], ready[2]
    else:
        payload = facts_json(facts)
        sid = statement_id(entity_id, source, payload)
    return sid, entity_id, source, locator, observed_at, confidence, run_id, payload


def packed_statement_row(
    entity_id: str, observed_at: str, confidence: float, run_id: str,
    parts: Sequence[tuple[str, list[Fact], PreparedFacts | None]],
) -> tuple[Any, ...]:
    """The one statement row of several sources' (source, facts, prepared) about one
    entity, stated at the same time, run and confidence: of source ``PACKED_SOURCE``,
    each fact naming its own source, unless there is only one source."""
    if len(parts) == 1:
        source, facts, ready = parts[0]
    else:
        source, facts, ready = PACKED_SOURCE, [
            (f[0], f[1], f[2] if len(f) > 2 else confidence, f[3] if len(f) > 3 else part)
            for part, stated_facts, _ in parts for f in stated_facts
        ], None
    return _statement_row(entity_id, source, None, observed_at, confidence, run_id, facts, ready)


def _no_locator(row: Sequence[Any]) -> bool:
    return row[3] is None


_SOURCE = operator.itemgetter(3)  # an Observation's source
_FIRST_TWO = operator.itemgetter(0, 1)
_TAGS_JSON = {("enriched",): '["enriched"]', ("non-enriched",): '["non-enriched"]'}
# What tag_person reads of a person row.
_TAG_COLUMNS = ("id", "company_id", "email", "emails", "phone", "phones", "linkedin_url",
                "title", "city", "region", "country", "address")
_PERSON_FIELD_SET = frozenset(PERSON_FIELDS)
_NOT_VERIFIED = ('"status": "unknown", "flags": [], "reason": "not verified yet",'
                 ' "code": "not_checked", "method": null, "sources": ')


def _direct_person_row(pid: str, statement: PendingStatement, now: str, *,
                       slim: bool = False) -> dict[str, Any] | None:
    """The row :meth:`Store._person_row` would build from this one statement, built faster.

    Only for the plain case: each field stated once, at most one email and one phone,
    nothing but file columns. Anything else returns None and takes the general path;
    tests hold both paths to the same output. ``slim`` puts the row's contact channels
    (what :func:`sequences.segments.channels_of` finds) in ``_channels``, in place of
    the ``_emails`` and ``_phones`` entries.
    """
    source, _locator, _at, _confidence, _run, facts = statement
    plain = _plain_facts(facts, repeats=True)
    if plain is None:
        return _several_contacts_row(pid, statement, now, slim)
    values, email, phone, source_id, extra, _ = plain
    row: dict[str, Any] = dict.fromkeys(PERSON_FIELDS)
    row.update(values)
    sources = f"[{encode_string(source)}]"
    row["id"] = pid
    row["updated_at"] = now
    row["email"] = email
    if slim:
        # An unverified address and an unchecked number are both usable channels.
        channels = ["email"] if email is not None else []
        if phone is not None:
            channels.append("phone")
        if row["linkedin_url"]:
            channels.append("linkedin")
        row["_channels"] = channels
    if email is None:
        if not slim:
            row["_emails"] = []
        row["emails"] = "[]"
    else:
        if not slim:
            row["_emails"] = [_email_entry(email, None, [source])]
        row["emails"] = f'[{{"value": {encode_string(email)}, {_NOT_VERIFIED}{sources}}}]'
    if phone is None:
        row["phone"] = None
        if not slim:
            row["_phones"] = []
        row["phones"] = "[]"
    else:
        e164 = e164_shape(phone)
        row["phone"] = e164
        if not slim:
            row["_phones"] = [{"raw": phone, "e164": e164, "valid": None, "type": None,
                               "reason": "not checked yet", "sources": [source]}]
        row["phones"] = (
            f'[{{"raw": {encode_string(phone)}, "e164": '
            f'{"null" if e164 is None else encode_string(e164)}, "valid": null, "type": null,'
            f' "reason": "not checked yet", "sources": {sources}}}]'
        )
    row["extra"] = object_json(sorted(extra.items())) if extra else "{}"
    row["source_ids"] = "[]" if source_id is None else f"[{encode_string(source_id)}]"
    row["sources"] = sources
    return row


_CONTACT_FACTS = frozenset({"email", "phone", "email_status"})


def _several_contacts_row(pid: str, statement: PendingStatement, now: str,
                          slim: bool) -> dict[str, Any] | None:
    """:func:`_direct_person_row` of a statement giving several addresses or numbers (a
    CRM's phone and mobile columns, a second email), or what the source's verification
    said of an address (Apollo's Email Status, a bounce): they are ranked and read as
    :meth:`Store._person_row` does, from their own observations only; the other fields
    as the plain case takes them. ``slim`` declines several addresses: the writer's
    suppression check of a slim row reads its one address."""
    source, locator, at, confidence, run, facts = statement
    if source == PACKED_SOURCE:
        return None
    contacts = [fact for fact in facts if fact[0] in _CONTACT_FACTS]
    if any(type(fact[1]) is not str for fact in contacts):
        return None
    # The other facts, read as the plain case reads them.
    plain = _plain_facts([fact for fact in facts if fact[0] not in _CONTACT_FACTS],
                         repeats=True)
    if plain is None:
        return None
    values, _, _, source_id, extra, _ = plain
    groups = group_fields(fact_observations(pid, source, locator, at, confidence, run,
                                            contacts))
    statuses = _checks(groups.get("email_status"), "email")
    # One source: the ranks of sources never decide between these.
    emails = [_email_entry(value, statuses.get(value.casefold()) if statuses else None,
                           sources)
              for value, sources in ranked_of(groups.get("email", []), {})]
    if slim and len(emails) > 1:
        return None
    phones, written = _phone_entries(groups, {}, None)
    row: dict[str, Any] = dict.fromkeys(PERSON_FIELDS)
    row.update(values)
    row["id"] = pid
    row["updated_at"] = now
    row["email"] = best_email(emails)
    row["phone"] = _best_phone(phones)
    if slim:
        from sequences.segments import channels_of

        row["_channels"] = channels_of(row, emails, phones)
    else:
        row["_emails"] = emails
        row["_phones"] = phones
        if phones is not written:
            row["_phone_writings"] = written  # as Store._person_row keeps them
    row["emails"] = dumps(emails)
    row["phones"] = dumps(phones)
    row["extra"] = object_json(sorted(extra.items())) if extra else "{}"
    row["source_ids"] = "[]" if source_id is None else f"[{encode_string(source_id)}]"
    row["sources"] = f"[{encode_string(source)}]"
    return row


def _plain_facts(facts: Iterable[Sequence[Any]], *, repeats: bool = False) -> tuple[
    dict[str, Any], Any, Any, Any, dict[str, Any], dict[str, float]
] | None:
    """A statement's facts read the plain way: (person fields, email, phone, source id,
    extra columns, the confidences facts give of their own by field), or None when a
    field is stated twice or is none of these.

    ``repeats`` lets a person field or extra column be stated again with the same value
    (a file's City and Company City columns, the second at a lower confidence): the
    value is the row's either way. The confidences are then not read.
    """
    values: dict[str, Any] = {}
    email = phone = source_id = None
    extra: dict[str, Any] = {}
    own: dict[str, float] = {}
    for fact in facts:
        field, value = fact[0], fact[1]
        if field in _PERSON_FIELD_SET:
            if field in values:
                if repeats and values[field] == value:
                    continue
                return None
            values[field] = value
        elif field == "email":
            if email is not None:
                return None
            email = value
        elif field == "phone":
            if phone is not None:
                return None
            phone = value
        elif field == "source_id":
            if source_id is not None:
                return None
            source_id = value
        elif field.startswith("extra:") and field[6:] not in extra:
            extra[field[6:]] = value
        elif repeats and field.startswith("extra:") and extra[field[6:]] == value:
            continue
        else:
            return None
        if len(fact) > 2:
            own[field] = fact[2]
    return values, email, phone, source_id, extra, own


def enriched_person_row(
    pid: str, stored: tuple[str, str | None, str, float, str, Any],
    added: Sequence[tuple[str, Any, float, str, str]], rank: dict[str, int], now: str,
) -> dict[str, Any] | None:
    """The row :meth:`Store._person_row` would build from a person's one statement by a
    source and what enrichers said about them, built faster (the bulk of an enrich run
    after an import).

    ``stored`` is (source, locator, observed_at, confidence, run_id, facts) with its
    facts as a list; ``added`` holds the enrichers' facts as (field, value, confidence,
    source, observed_at). Only for the plain case: the stored statement as
    :func:`_direct_person_row` takes it; at most one added fact per person field; added
    addresses (a guess) that no other address spells alike; at most one check per
    address and one of the stated number. Anything else returns None and takes the
    general path; tests hold both paths to the same output. The row keeps its
    ``_emails`` and ``_phones`` entries.
    """
    source, _locator, at, confidence, _run, facts = stored
    plain = _plain_facts(facts) if facts else None
    if plain is None:
        return None
    values, email, phone, source_id, extra, own = plain
    if (email is not None and type(email) is not str) or (
        phone is not None and type(phone) is not str
    ):
        return None
    row: dict[str, Any] = dict.fromkeys(PERSON_FIELDS)
    row.update(values)
    statuses: dict[str, dict[str, Any]] = {}
    guesses: list[tuple[float, str, int, str, str]] = []  # added addresses, ranked as keys
    phone_check = None
    newer: set[str] = set()
    sources = {source}
    for field, value, fact_confidence, fact_source, fact_at in added:
        sources.add(fact_source)
        if field in _PERSON_FIELD_SET:
            if field in newer:
                return None
            newer.add(field)
            if field not in values or values[field] == value:
                row[field] = value
                continue
            # best_of over the two: confidence, then recency, then source rank, then value.
            if (fact_confidence, fact_at, -rank_of(fact_source, rank), value) > (
                own.get(field, confidence), at, -rank_of(source, rank), values[field]
            ):
                row[field] = value
        elif field == "email_status":
            check = _check_of(value, "email", None)
            if check is None:
                return None
            subject = str(check.get("email", "")).casefold()
            if subject in statuses:
                return None
            statuses[subject] = check
        elif field == "email" and type(value) is str:
            guesses.append((fact_confidence, fact_at, -rank_of(fact_source, rank), value,
                            fact_source))
        elif field == "phone_check" and phone_check is None and phone is not None:
            # The same number's check comes back often (a switchboard): parsed once.
            phone_check = _PHONE_CHECKS.get(value)
            if phone_check is None:
                phone_check = _check_of(value, "raw", phone)
                if phone_check is not None and len(_PHONE_CHECKS) < 65536:
                    _PHONE_CHECKS[value] = phone_check
            elif str(phone_check.get("raw", "")).casefold() != phone.casefold():
                phone_check = None
            if phone_check is None:
                return None
        else:
            return None
    row["id"] = pid
    row["updated_at"] = now
    emails: list[dict[str, Any]] = []
    if email is not None or guesses:
        # ranked_of: each address with its one source, best first.
        ranked = [(*key[:4], [key[4]]) for key in guesses]
        if email is not None:
            ranked.append((own.get("email", confidence), at, -rank_of(source, rank), email,
                           [source]))
        if len(ranked) > 1:
            if len({email_identity(r[3]) for r in ranked}) < len(ranked):
                return None  # spellings of one address: merged the general way
            ranked.sort(key=_FIRST_FOUR, reverse=True)
        emails = [_email_entry(value, statuses.get(value.casefold()), value_sources)
                  for _, _, _, value, value_sources in ranked]
    row["email"] = best_email(emails)
    phones = [] if phone is None else [_phone_entry(phone, phone_check, [source])]
    row["phone"] = _best_phone(phones)
    row["_emails"] = emails
    row["_phones"] = phones
    row["emails"] = dumps(emails)
    row["phones"] = dumps(phones)
    row["extra"] = dumps(dict(sorted(extra.items()))) if extra else "{}"
    if source_id is None:
        row["source_ids"] = "[]"
    elif type(source_id) is str:
        row["source_ids"] = f"[{encode_string(source_id)}]"
    else:
        row["source_ids"] = dumps([source_id])
    key = frozenset(sources)
    text = _SOURCES_JSON.get(key)
    if text is None:
        text = dumps(sorted(sources))
        if len(_SOURCES_JSON) < 4096:
            _SOURCES_JSON[key] = text
    row["sources"] = text
    return row


_FIRST_FOUR = operator.itemgetter(0, 1, 2, 3)


# What enriched_person_row reads again and again, kept: each phone check parsed (a
# check's JSON text -> its payload, read only) and the JSON of each set of sources.
_PHONE_CHECKS: dict[str, dict[str, Any]] = {}
_SOURCES_JSON: dict[frozenset[str], str] = {}


def _check_of(value: Any, key: str, subject: str | None) -> dict[str, Any] | None:
    """A verification result (JSON), as :func:`_checks` reads it, about ``subject`` when
    given; None if it is not one, or about something else."""
    try:
        payload = loads(value)
    except (ValueError, TypeError):
        return None
    if type(payload) is not dict or (
        subject is not None and str(payload.get(key, "")).casefold() != subject.casefold()
    ):
        return None
    return payload


def _email_entry(value: str, check: Mapping[str, Any] | None,
                 sources: list[str]) -> dict[str, Any]:
    """One address of a person's ``emails``, with what its check (if any) said: the
    status, flags and reason, the machine-readable code and the method that decided it
    (see ``enrichers.email_status``; when: the check statement's ``observed_at``).

    An address is ``guessed`` only while the finder alone gives it: one a source states
    too (a record the finder guessed for, merged with records stating the address) is
    no guess, whichever check of it is kept."""
    check = check or {}
    flags = check.get("flags", [])
    if "guessed" in flags and any(source != GUESS_SOURCE for source in sources):
        flags = [flag for flag in flags if flag != "guessed"]
    return {
        "value": value,
        "status": check.get("status", "unknown"),
        "flags": flags,
        "reason": check.get("reason", "not verified yet"),
        "code": check.get("code", "not_checked" if not check else None),
        "method": check.get("method"),
        "sources": sources,
    }


def _phone_entry(raw: str, check: Mapping[str, Any] | None,
                 sources: list[str]) -> dict[str, Any]:
    """One number of a person's ``phones``, with what its check said; unchecked, its
    E.164 form if it is written internationally."""
    if check is None:
        check = {"e164": e164_shape(raw), "reason": _UNCHECKED}
    return {
        "raw": raw,
        "e164": check.get("e164"),
        "valid": check.get("valid"),
        "type": check.get("type"),
        "reason": check.get("reason"),
        "sources": sources,
    }


_NAME_FIELDS = frozenset({"name", "legal_name"})


def _best_written(group: list[Observation], rank: dict[str, int]) -> str:
    """A company name as ``best_of`` ranks it, written the best way (see
    :func:`_writing`) among the spellings of that name (the same ``company_name_key``:
    case, accents, punctuation and legal form aside) and those that tie with it (stated
    by one source at one time and confidence: one file's rows, the members of a merge).

    "L'Oréal" over "Loreal SA" and "L OREAL"; "Société Générale" from a CRM over the
    "SOCIETE GENERALE SA" a later list or a registry writes. Another name ("Meta" after
    "Facebook") is no spelling: ``best_of`` decides between names, and between
    spellings written alike."""
    first = group[0].value
    if all(o.value == first for o in group):
        return first
    top, tied = tied_with_best(group, rank)
    key = company_name_key(top.value)
    spelled = {value for value in {o.value for o in group}
               if value == top.value or company_name_key(value) == key}
    # Written alike, the ranked value (and those tied with it) before another spelling:
    # "Copperleaf Software" stays, not "Copperleaf Software Ltd" for its text.
    return max(tied | spelled, key=lambda value: (*_writing(value)[:3], value in tied, value))


def _writing(name: str) -> tuple[bool, int, int, str]:
    """How well a name is written, greatest best: no word cut short ("Lutèce Conseil"
    over "Lutèce Cons.", "Saint-Gobain" over "St Gobain"; dotted initials such as
    "S.A.R.L." and a legal form such as "Inc." are no cut), then in upper and lower case
    over lower case alone over capitals, then its accents, then the text."""
    words = name.split()
    cut = any(len(w) > 2 and w.endswith(".") and "." not in w[:-1] and w[:-1].isalpha()
              and strip_accents(w[:-1]).casefold() not in LEGAL_FORM_WORDS
              for w in words) or any(
        strip_accents(w).casefold().rstrip(".") in _SHORT_FORMS for w in words)
    case = 2 if name != name.upper() and name != name.lower() else int(name != name.upper())
    return (not cut, case, sum(not c.isascii() for c in name), name)


# Words company names shorten without a dot: Saint, Sainte, Société, Compagnie,
# Groupe, Établissements, International.
_SHORT_FORMS = frozenset({"st", "ste", "cie", "gpe", "grpe", "ets", "etbs", "intl", "natl",
                          "mfg", "bros", "svcs", "mgmt", "assoc", "hldgs"})


_UNCHECKED = "not checked yet"


def _phone_entries(groups: Mapping[str, list[Observation]], rank: dict[str, int],
                   checks: Mapping[str, Mapping[str, Any]] | None,
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A person's phone entries, each number once (see :func:`one_per_number`), and
    each writing apart, ranked, with its check (``checks`` by raw text, folded)."""
    written = [
        _phone_entry(value, checks.get(value.casefold()) if checks else None, sources)
        for value, sources in ranked_of(groups.get("phone", []), rank)
    ]
    return one_per_number(written), written


def one_per_number(phones: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A person's phone entries with each number once: the same number written two ways
    ("06 12 34 56 78" and "+33 6 12 34 56 78" once checked, "+33612345678" and "+33 6 12
    34 56 78" in a phone and a mobile column) is its best-ranked writing, with the
    sources of every writing (and the check of a checked one where it has none). An
    entry without an E.164 form stays as it is. ``phones`` itself when nothing repeats.
    """
    if len(phones) < 2:
        return phones
    out: list[dict[str, Any]] = []
    at: dict[str, int] = {}  # each number's place in ``out``
    for entry in phones:
        e164 = entry["e164"]
        k = at.get(e164) if e164 else None
        if k is None:
            if e164:
                at[e164] = len(out)
            out.append(entry)
            continue
        head = out[k] = dict(out[k])
        head["sources"] = sorted({*head["sources"], *entry["sources"]})
        if head["reason"] == _UNCHECKED and entry["reason"] != _UNCHECKED:
            head["valid"], head["type"], head["reason"] = (
                entry["valid"], entry["type"], entry["reason"])
    return phones if len(out) == len(phones) else out


def _best_phone(phones: list[dict[str, Any]]) -> str | None:
    """The E.164 form of the first number of a person's ranked ones not known invalid."""
    return next((p["e164"] for p in phones if p["e164"] and p["valid"] is not False), None)


def best_email(emails: Iterable[Mapping[str, Any]]) -> str | None:
    """The first usable address (see ``usable_address``) of a person's ranked ones, a
    professional one before a personal one (at a free-mail domain: B2B prospecting
    writes to people at their work address; the personal one stays listed as another
    channel)."""
    personal = None
    usable = [e for e in emails if usable_address(e)]
    for e in usable:
        if not is_personal_address(e):
            return untagged_twin(e["value"], usable)
        if personal is None:
            personal = e["value"]
    return untagged_twin(personal, usable) if personal is not None else None


def untagged_twin(address: str, usable: Sequence[Mapping[str, Any]]) -> str:
    """``address``, or the same mailbox without its ``+tag`` when the person has that
    usable too: ``jean.dupont@acme.example`` over ``jean.dupont+crm@acme.example`` (a
    sign-up alias), whichever a source ranked first."""
    local, _, domain = address.rpartition("@")
    if "+" not in local:
        return address
    plain = f"{untagged(local)}@{domain}".casefold()
    return next((str(e["value"]) for e in usable
                 if str(e["value"]).casefold() == plain), address)


def is_personal_address(entry: Mapping[str, Any]) -> bool:
    """Whether an email entry is at a free-mail domain (flagged so by the email check, or
    found in the free-mail list before any check ran)."""
    return "free" in entry["flags"] or (
        str(entry["value"]).rpartition("@")[2].lower() in free_mail_domains())


@functools.cache
def free_mail_domains() -> frozenset[str]:
    """The mail providers' domains (``gmail.com``): the email check's list, read when
    first needed."""
    from enrichers.lists import free_domains

    return free_domains()


_COMPANY_FIELD_SET = frozenset(COMPANY_FIELDS)
# Legal identifiers with a column of their own on a company row, and the others.
_LEGAL_ID_COLUMNS = tuple(f for f in LEGAL_ID_FIELDS if f in _COMPANY_FIELD_SET)
_LEGAL_ID_OTHERS = tuple(f for f in LEGAL_ID_FIELDS if f not in _COMPANY_FIELD_SET)


# A new person's row built where the file is read (see direct_person_entry): its values
# in _PEOPLE_COLUMNS order (tags and suppressed left None), its contact channels and its
# own tag extras; the writer adds what needs the database (company, suppression, tag).
DirectPerson = tuple[tuple[Any, ...], tuple[str, ...], tuple[str, ...]]
_TAGS_AT = _PEOPLE_COLUMNS.index("tags")
_COMPANY_AT = _PEOPLE_COLUMNS.index("company_id")
_EMAIL_AT = _PEOPLE_COLUMNS.index("email")


def _people_update(kept: tuple[str, ...], where: str) -> str:
    """An UPDATE of one people row taking its values in _PEOPLE_COLUMNS order as they
    are (numbered parameters), ``kept`` columns left as stored, the row found by
    ``where``."""
    return "UPDATE people SET " + ", ".join(
        f"{c} = ?{n}" for n, c in enumerate(_PEOPLE_COLUMNS, 1) if c not in ("id", *kept)
    ) + f" WHERE {where}"


# The people rows written over stored ones without setting the two indexed columns
# again (see write_people): by id, which spares the upsert's insert attempt.
_UPDATE_SAME_LINKS = _people_update(("email", "company_id"),
                                    f"id = ?{_PEOPLE_COLUMNS.index('id') + 1}")
# Both writes by seq (see write_people's ``seqs``): the row's values, then its seq.
_BY_SEQ = f"seq = ?{len(_PEOPLE_COLUMNS) + 1}"
_UPDATE_BY_SEQ = _people_update((), _BY_SEQ)
_UPDATE_SAME_LINKS_BY_SEQ = _people_update(("email", "company_id"), _BY_SEQ)


def _split_by_seq(rows: Sequence[tuple[Any, ...]], seqs: Mapping[str, int],
                  ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """``rows`` split into those of no known seq and, in seq order, the others with
    their seq appended (the parameters of the by-seq updates)."""
    other, keyed = [], []
    for row in rows:
        seq = seqs.get(row[0])
        if seq is None:
            other.append(row)
        else:
            keyed.append((*row, seq))
    keyed.sort(key=operator.itemgetter(-1))
    return other, keyed


def split_same_links(
    rows: Iterable[tuple[Any, ...]], stored: Mapping[str, tuple[str | None, str | None]],
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """People rows (``_PEOPLE_COLUMNS`` order) split in two for :meth:`Store.write_people`:
    those whose email or company differ from ``stored`` (id -> (email, company_id) as
    the caller read them, in the state the rows will be written over), and the others."""
    changed, same = [], []
    for row in rows:
        held = stored.get(row[0])
        if held is not None and held[0] == row[_EMAIL_AT] and held[1] == row[_COMPANY_AT]:
            same.append(row)
        else:
            changed.append(row)
    return changed, same
assert _PEOPLE_COLUMNS[_TAGS_AT:] == ("tags", "suppressed", "updated_at")


def moved_companies(
    rows: Iterable[Sequence[Any]], gone: Iterable[str],
    links: Mapping[str, tuple[str | None, str | None]],
) -> list[str]:
    """The companies people rows (``Store.write_people`` order) move people between, as
    against ``links`` (id -> (email, company id) stored), and those the ``gone`` ids
    leave."""
    moved: dict[str, None] = {}
    for row in rows:
        held = links.get(row[0])
        before, after = held[1] if held else None, row[_COMPANY_AT]
        if before != after:
            moved.update((c, None) for c in (before, after) if c)
    for pid in gone:
        held = links.get(pid)
        if held and held[1]:
            moved[held[1]] = None
    return list(moved)


def direct_person_entry(pid: str, statement: PendingStatement, now: str) -> DirectPerson | None:
    """:func:`_direct_person_row` in the light form :meth:`Store.refresh_people` takes
    as ``direct``: quick to send between processes and to finish in the writer."""
    row = _direct_person_row(pid, statement, now, slim=True)
    if row is None:
        return None
    channels = tuple(row.pop("_channels"))
    row["tags"] = row["suppressed"] = None
    return _people_values(row), channels, _person_extras()(row, channels)


@functools.cache
def _person_extras() -> Any:
    # Imported once, not per row: core modules import sequences/ only where used.
    from sequences.segments import person_extras

    return person_extras


def _direct_company_row(cid: str, statement: PendingStatement, now: str) -> tuple[Any, ...] | None:
    """The row :meth:`Store._company_row` would build from one statement of a new company.

    Only for the plain case (each field once, at most one email and phone, no extra
    columns, no source id); anything else returns None and takes the general path.
    """
    source, _locator, _at, _confidence, _run, facts = statement
    row: dict[str, Any] = dict.fromkeys(COMPANY_FIELDS)
    email = phone = None
    for fact in facts:
        field, value = fact[0], fact[1]
        if field in _COMPANY_FIELD_SET:
            if row[field] is not None:
                return None
            row[field] = value
        elif field == "email" and email is None:
            email = value
        elif field == "phone" and phone is None:
            phone = value
        else:
            return None
    row["id"] = cid
    row["updated_at"] = now
    row["people_count"] = 0
    row["name"] = row["name"] or row["legal_name"]
    row["legal_ids"] = object_json((f, row[f]) for f in _LEGAL_ID_COLUMNS if row[f])
    row["emails"] = "[]" if email is None else f"[{encode_string(email)}]"
    e164 = e164_shape(phone) if phone else None
    row["phones"] = "[]" if e164 is None else f"[{encode_string(e164)}]"
    row["extra"] = "{}"
    row["source_ids"] = "[]"
    row["sources"] = f"[{encode_string(source)}]"
    return _company_values(row)


def _golden_person(row: dict[str, Any], obs: list[Observation], rank: dict[str, int],
                   settings: Any, groups: dict[str, list[Observation]] | None = None) -> None:
    """Apply the ``[dedupe]`` survivorship rules to a golden record built from all members."""
    from dedupe.survivorship import apply_person_rules

    rules = settings.dedupe.get("survivorship", {}) if settings is not None else {}
    apply_person_rules(row, obs, rank, rules, groups)


# Checks of the mailbox itself (an SMTP probe's answer, a source's verification): above
# any check of the syntax or the domain alone, whatever their times.
_MAILBOX_CHECKS = frozenset({"smtp", "import"})


def _checks(group: list[Observation] | None, key: str) -> dict[str, dict[str, Any]]:
    """The newest verification result per address or number, from JSON observations.

    A bounce reported by a sending tool is what happened to a real message: it outranks
    any later check (an MX lookup or an SMTP probe only predicts delivery), so a later
    enrich run never turns a bounced address back into a deliverable one. The finder's
    pattern guess checks nothing: any check of the address outranks it.
    """
    if not group:
        return {}
    if len(group) == 1:  # the common case: one check of one address or number
        try:
            payload = loads(group[0].value)
        except ValueError:
            return {}
        if type(payload) is not dict:
            return {}
        return {str(payload.get(key, "")).casefold(): payload}
    found: dict[str, tuple[tuple[bool, str], dict[str, Any]]] = {}
    for o in group:
        try:
            payload = loads(o.value)
        except ValueError:
            continue
        if type(payload) is not dict:
            continue
        subject = str(payload.get(key, "")).casefold()
        method = payload.get("method")
        rank = (payload.get("reason") == "bounced", method in _MAILBOX_CHECKS,
                method != "pattern", o.observed_at)
        held = found.get(subject)
        if held is None or rank > held[0]:
            found[subject] = (rank, payload)
    return {k: v for k, (_, v) in found.items()}


def _invalid_ids(group: list[Observation] | None, legal: dict[str, Any]) -> dict[str, str]:
    """Why the identifiers a company now carries failed their check (``legal_id_check``
    observations: ``{"field", "value", "valid", "reason"}``), by field; a check of a value
    the company no longer carries does not count."""
    invalid = {
        check["field"]: str(check.get("reason") or "invalid")
        for check in _checks(group, "value").values()
        if not check.get("valid") and legal.get(check.get("field")) == check.get("value")
    }
    return dict(sorted(invalid.items()))


def _extra_json(groups: dict[str, list[Observation]], rank: dict[str, int]) -> str:
    fields = [field for field in groups if field.startswith("extra:")]
    if not fields:
        return "{}"
    fields.sort()
    return dumps({field[6:]: best_of(groups[field], rank) for field in fields})


def _values_json(group: list[Observation] | None) -> str:
    if not group:
        return "[]"
    if len(group) == 1 and type(value := group[0].value) is str:
        return f"[{encode_string(value)}]"  # one source id, the usual case: as dumps writes it
    return dumps(sorted({o.value for o in group}))


def _release_freed_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``): the
    pages of a page cache just shrunk are freed among live objects, where the heap
    cannot shrink by itself, and would count against the process's peak later on."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # another C library
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def chunked(items: list[str], size: int) -> Iterator[list[str]]:
    """Consecutive slices of at most ``size`` items (SQLite limits bound parameters)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path}: database is locked by another process; try again when it finishes"
    if "not a database" in text or "malformed" in text:
        return f"{path}: database file is corrupt ({text})"
    if "readonly" in text or "unable to open" in text:
        return f"{path}: cannot open for writing ({text})"
    return f"{path}: {text}"
