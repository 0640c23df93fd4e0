"""Shared fixtures: a real SQLite file per test and the CLI as a user runs it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from prospecting.cli import cli

DEMO = Path(str(resources.files("prospecting.data").joinpath("demo")))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "prospects.db"


@pytest.fixture
def run():
    """Run ``prospecting ARGS...``; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], obj={}, input=input,
                             catch_exceptions=False)

    return invoke


def dump(db: Path, *extra: str) -> list[dict]:
    """The full JSONL dump of ``db``, parsed."""
    out = db.parent / "dump.jsonl"
    result = CliRunner().invoke(
        cli, ["export", str(db), "--format", "jsonl", "--out", str(out), *extra], obj={},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    if isinstance(text, str):
        text = text.encode(encoding)
    path.write_bytes(text)
    return path


def imported_people_db(folder: Path, rows: int, seed: int) -> Path:
    """A database holding a generated CRM export of ``rows`` people (source ``crm``)."""
    from prospecting import api

    path = generated_people_csv(folder / "people.csv", rows, seed)
    db = folder / "imported.db"
    api.import_files(db, [path], source="crm", id_column="Record ID")
    return db


def generated_people_csv(path: Path, rows: int, seed: int) -> Path:
    """A CRM-style people CSV from ``bench/gen_people.py`` (the benchmarks' generator)."""
    import importlib.util

    source = Path(__file__).resolve().parents[1] / "bench" / "gen_people.py"
    spec = importlib.util.spec_from_file_location("gen_people", source)
    if spec is None or spec.loader is None:
        pytest.skip("bench/gen_people.py is not in this checkout")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_people_csv(path, rows, seed=seed)
    return path
