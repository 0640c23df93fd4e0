"""``prospecting source``: options, ICP and settings in; one connector run out.

Kept apart from :mod:`prospecting.api` so the API module stays a list of one-screen
functions; :func:`source_run` is what ``api.source`` calls.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import ConfigError
from ..icp import Icp, load_icp, loads_icp
from ..runs import Progress, RunReport, stage_run
from ..store import Store
from .base import parse_cli_options, truthy
from .registry import ConnectorSetup, build_connector, connector_class
from .runner import run_connector

__all__ = ["source_run", "stored_icp"]


def stored_icp(store: Store) -> Icp | None:
    """The ICP ``prospecting init --icp`` stored, or None."""
    content_hash = store.get_meta("icp_hash")
    if not content_hash:
        return None
    row = store.conn.execute(
        "SELECT text, path FROM icps WHERE hash = ?", (content_hash,)
    ).fetchone()
    if row is None:
        return None
    return loads_icp(row[0], source=row[1])


def source_run(
    db: str | os.PathLike[str] | Store, connector: str, *, base_url: str | None = None,
    options: Iterable[str] | Mapping[str, str] = (), icp: str | os.PathLike[str] | None = None,
    force: bool = False, max_pages: int | None = None, no_cache: bool = False,
    config: str | os.PathLike[str] | None = None, progress: Progress | None = None,
) -> RunReport:
    from ..api import open_store

    parsed = dict(options) if isinstance(options, Mapping) else parse_cli_options(
        list(options)
    )
    parsed = {k.replace("-", "_"): str(v) for k, v in parsed.items()}
    force = force or truthy(parsed.pop("force", "false"))
    no_cache = no_cache or truthy(parsed.pop("no_cache", "false"))
    if "max_pages" in parsed:
        text = parsed.pop("max_pages")
        if not text.isdigit() or int(text) < 1:
            raise ConfigError(f"source: --max-pages expects a positive number, got {text!r}")
        max_pages = int(text)
    icp_path = parsed.pop("icp", None) or icp
    if "base_url" in parsed:
        base_url = base_url or parsed.pop("base_url")
    cls = connector_class(connector)  # an unknown name fails before the database opens
    loaded = load_icp(icp_path) if icp_path else None
    shown = {k: "***" if k in ("api_key", "token") else v for k, v in parsed.items()}
    run_options = {
        "connector": cls.name, "base_url": base_url, "options": shown, "force": force,
        "max_pages": max_pages, "icp": str(icp_path) if icp_path else None,
    }
    with open_store(db, config) as store:
        icp_obj = loaded or stored_icp(store)
        if icp_obj is None:
            raise ConfigError(
                f"source: no ICP stored in {store.path}; run 'prospecting init "
                f"{store.path} --icp FILE' first or pass --icp FILE"
            )
        setup = ConnectorSetup(db_path=Path(store.path), no_cache=no_cache)
        built = build_connector(
            cls.name, store.settings, icp_obj, base_url=base_url, options=parsed, setup=setup
        )
        try:
            with stage_run(store, "source", run_options) as state:
                run_connector(store, state, built, force=force, max_pages=max_pages,
                              progress=progress)
                state.add("requests", built.client.requests_made)
                state.add("cache_hits", built.client.cache_hits)
                if state.counts.get("quarantined"):
                    state.messages.append(
                        f"{state.counts['quarantined']} page(s) or record(s) quarantined: see "
                        f"'SELECT * FROM quarantine WHERE run_id = \"{state.run_id}\"'"
                    )
        finally:
            built.client.close()
    return state.report("source")

