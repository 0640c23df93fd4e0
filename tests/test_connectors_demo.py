"""The demo's source step: recorded answers replayed on 127.0.0.1 through the real connectors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from prospecting import api
from prospecting.models import make_id


def test_demo_sources_offline_and_merges_by_siren(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = api.demo(tmp_path / "demo.db")
    sources = [r for r in report.reports if r.stage == "source"]
    assert [r.details.get("fit") for r in sources] == [4, 1]
    assert sources[0].details["excluded"] == 1
    with sqlite3.connect(tmp_path / "demo.db") as conn:
        options = [json.loads(o) for (o,) in conn.execute(
            "SELECT options FROM runs WHERE command = 'source'")]
        assert all(o["base_url"].startswith("http://127.0.0.1:") for o in options)
        # The badge-scanned Numéria Cloud and the registry's NUMERIA CLOUD are one company.
        (sources_json, people_count) = conn.execute(
            "SELECT sources, people_count FROM companies WHERE id = ?",
            (make_id("company", "siren:372274738"),)).fetchone()
        assert "connector:recherche_entreprises" in json.loads(sources_json)
        assert "csv:salon" in json.loads(sources_json)
        assert people_count >= 3
        # The customer SIREN of icp.example.toml is never stored.
        assert conn.execute("SELECT count(*) FROM companies WHERE siren = '123456782'"
                            ).fetchone() == (0,)
        emails = sorted(e["value"] for (row,) in conn.execute(
            "SELECT emails FROM people WHERE sources LIKE '%connector:github%'")
            for e in json.loads(row) if "connector:github" in e["sources"])
        assert emails == ["lea.fontaine@nuage-dev.example", "sarah@kaddour.test"]
        names = {n for (n,) in conn.execute(
            "SELECT full_name FROM people WHERE sources LIKE '%connector:github%'")}
        assert names == {"Léa Fontaine", "Hugo Martin", "Sarah Kaddour"}
