"""The one writer every export goes through: formula-safe CSV and JSONL, atomically.

Rules (OWASP CSV injection; reliability.md DS-1, DS-6):

* a cell starting with ``=`` ``+`` ``-`` ``@`` TAB, CR, LF or NUL gets a leading ``'`` so
  a spreadsheet shows it as text instead of running it;
* a validated E.164 number (``^\\+[1-9]\\d{1,14}$``) in a phone column is left as is,
  since email tools and CRMs need the ``+``;
* CR/LF inside a cell become a space (most email tools mis-import them), NUL is removed;
* every field is quoted (RFC 4180), UTF-8, optional BOM for Excel;
* the file is written to a temporary name beside the target and renamed into place,
  so a crash or a full disk never leaves a half-written export.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from prospecting.errors import ExportError

__all__ = ["atomic_output", "safe_cell", "write_csv", "write_jsonl", "write_jsonl_lines"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_LINE_BREAKS = re.compile(r"[\r\n]+")


def safe_cell(value: Any, *, phone: bool = False) -> str:
    """The text of one CSV cell, neutralised against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)
    if phone and _E164.match(text):
        return text
    if text.startswith(_TRIGGERS):
        text = "'" + text
    return _LINE_BREAKS.sub(" ", text.replace("\0", ""))


@contextmanager
def atomic_output(path: Path, *, encoding: str = "utf-8", newline: str = "") -> Iterator[IO[str]]:
    """A text file at a temporary name, renamed to ``path`` only once fully written."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name with --out")
    if not path.parent.exists():
        raise ExportError(f"{path}: folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(tmp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    phone_columns: Iterable[str] = (),
) -> int:
    """Write ``rows`` under ``columns``; return the number of data rows written."""
    phones = set(phone_columns)
    count = 0
    with atomic_output(path, encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter, quoting=csv.QUOTE_ALL,
                            lineterminator="\r\n")
        writer.writerow([safe_cell(c) for c in columns])
        for row in rows:
            writer.writerow([safe_cell(row.get(c), phone=c in phones) for c in columns])
            count += 1
    return count


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """One JSON object per line, UTF-8; return the number of lines written."""
    count = 0
    with atomic_output(path, newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
            handle.write("\n")
            count += 1
    return count


def write_jsonl_lines(path: Path, lines: Iterable[str]) -> int:
    """Lines of JSON already encoded, one per line, UTF-8; return how many."""
    with atomic_output(path, newline="\n") as handle:
        return write_lines(handle, lines)


def write_lines(handle: IO[str], lines: Iterable[str]) -> int:
    """``lines`` into an open text file, each ended by a line break; return how many."""
    count = 0
    for line in lines:
        handle.write(line)
        handle.write("\n")
        count += 1
    return count
