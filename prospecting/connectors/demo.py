"""The demo's ``source`` step: recorded answers served on 127.0.0.1, real connectors, offline.

Each folder of ``data/demo/connectors/`` holds a ``manifest.json`` (the connector, its
options, the routes) and the answers; :func:`demo_sources` serves each folder with
:class:`~prospecting.connectors.replay.ReplayServer` and runs ``source`` against it.
"""

from __future__ import annotations

import json
import os
from importlib import resources

from ..runs import Progress, RunReport
from .replay import ReplayServer
from .sourcing import source_run

__all__ = ["DEMO_CONNECTORS", "demo_sources"]

DEMO_CONNECTORS = ("recherche_entreprises", "github")


def demo_sources(
    db: str | os.PathLike[str], *, config: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> list[RunReport]:
    """Run every demo connector against its recorded answers; one report each."""
    reports = []
    root = resources.files("prospecting.data").joinpath("demo", "connectors")
    for name in DEMO_CONNECTORS:
        with resources.as_file(root.joinpath(name)) as folder:
            manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
            with ReplayServer.from_folder(folder) as server:
                reports.append(source_run(
                    db, manifest["connector"], base_url=server.url,
                    options=dict(manifest.get("options", {})), no_cache=True,
                    config=config, progress=progress,
                ))
    return reports
