"""Streaming reader for the CSV, JSONL and Excel (.xlsx) files given to ``import``.

A file is opened once to settle how to read it (kind, encoding, delimiter, header), then
streamed record by record. Detection holds at most a 256 KiB sample of the file's head;
the passes that check the encoding over the whole file read it in 1 MiB chunks, so a file
of a million rows never sits in memory.

Speed comes from keeping the per-row path to one :func:`csv.reader` step, a length check
and a tuple: blank rows, short or long rows, repeated headers and bad bytes leave that
path for a slower one. A record that cannot be used carries :attr:`Record.error` and the
caller quarantines it and goes on; only a file that cannot be opened at all raises
:class:`~prospecting.errors.InputError`.

Encoding, in order: a byte-order mark (UTF-8, UTF-16 and UTF-32, both byte orders); a
UTF-16 file without one, told by its NUL bytes; UTF-8 when the whole file decodes as
UTF-8, or when its valid multi-byte characters outnumber its bad bytes (only the records
holding bad bytes then fail, with "undecodable bytes"); otherwise cp1252 for text whose
accented letters stand alone between ASCII letters, as in Western European languages
(Mac Roman when those letters are the bytes Mac Roman gives them, as Excel for Mac
saves), and else the guess of charset-normalizer, read from the lines that hold
non-ASCII bytes.
A Latin-1 guess becomes cp1252: the two agree on every printable Latin-1 character and
cp1252 also has ``€`` and curly quotes where Latin-1 has invisible C1 controls.

An Excel workbook (.xlsx or .xlsm, as HubSpot, Salesforce and Pipedrive export) is read
with openpyxl in read-only mode, which streams the sheet: the sheet whose header names the
most known columns (the first holding data on a tie),
cells as the text Excel shows for them (a number stored for a phone number without its
".0", a date as ISO 8601), rows numbered as in Excel. An Excel 97-2003 (.xls), an
encrypted or an OpenDocument workbook is refused with what to do instead.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import os
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Generator, Iterator
from functools import partial
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple
from weakref import WeakSet

import charset_normalizer

from prospecting.errors import InputError

__all__ = ["FIELD_LIMIT", "Record", "TabularFile", "open_tabular", "repair_mojibake"]

#: Largest field accepted, in characters; a longer one makes its record an error record.
FIELD_LIMIT = 1 << 20
#: Bytes of the file's head read to detect the kind, encoding, delimiter and header.
SAMPLE_BYTES = 256 << 10
#: A physical line longer than this (in characters) is read in pieces, which bounds memory
#: on a file without line breaks; each piece is then parsed as a line of its own.
LINE_LIMIT = 4 << 20

_CHUNK_BYTES = 1 << 20
_TEXT_CHUNK_CHARS = 1 << 16
_CHARSET_SAMPLE_BYTES = 64 << 10
_RAW_LIMIT = 64 << 10
_LINE_ENDS = ("\n", "\r")  # how a field read to the end of the file ends
_FLAT_DEPTH = 4  # nested JSON objects flattened to paths this deep, deeper ones kept as JSON
_DELIMITERS = (",", ";", "\t", "|")
_HEAD_ROWS = 100
_MAX_TITLE_ROWS = 5  # title lines looked past above a header
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})

# Checked in this order: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ESCAPE = "prospecting-undecodable"


def _tracked(lines: Iterator[str], tail: list[str]) -> Iterator[str]:
    """``lines``, each kept in ``tail[0]`` as it is handed out: the line a reader read
    last. Only the file's last line can lack a line break."""
    for line in lines:
        tail[0] = line
        yield line


def _escape_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Turn each undecodable byte into a lone surrogate U+DC00 + byte.

    The same as Python's ``surrogateescape`` for bytes >= 0x80, and also defined for the
    low bytes a UTF-16 or UTF-32 decoder can reject, so decoding never raises and the bad
    bytes stay recognisable (no valid text decodes to a lone surrogate).
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(0xDC00 + b) for b in bad), exc.end


codecs.register_error(_ESCAPE, _escape_undecodable)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_bad_text(text: str) -> str:
    """Make text holding undecodable bytes storable: ``\\xe9`` for a bad byte."""

    def show(match: re.Match[str]) -> str:
        code = ord(match[0])
        return f"\\x{code - 0xDC00:02x}" if 0xDC00 <= code <= 0xDCFF else "\ufffd"

    return _LONE_SURROGATE.sub(show, text)


def _is_storable(text: str) -> bool:
    """False when text holds a lone surrogate (an undecodable byte or a bad JSON escape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_as_cp1252(low: int, high: int) -> str:
    """What bytes ``low`` to ``high`` read as in cp1252, or in Latin-1 where cp1252 has no
    character, escaped for a regular expression's character class."""
    chars = {chr(b) for b in range(low, high + 1)}
    chars |= {bytes([b]).decode("cp1252", errors="ignore") for b in range(low, high + 1)}
    chars.discard("")
    return re.escape("".join(sorted(chars)))


def _build_mojibake_pattern() -> re.Pattern[str]:
    # UTF-8 lead bytes C2/C3 and E2 80 read as cp1252 ("Â", "Ã", "â€"), followed by a
    # continuation byte 80-BF read as cp1252 or Latin-1: "SociÃ©tÃ©", "lâ€™", "Â°".
    cont = _read_as_cp1252(0x80, 0xBF)
    return re.compile(f"[ÂÃ][{cont}]|â€[{cont}]")


_MOJIBAKE = _build_mojibake_pattern()


def _build_mojibake_run() -> re.Pattern[str]:
    # A whole UTF-8 sequence read that way: a lead byte C2-DF then one continuation byte,
    # E0-EF then two, F0-F4 then three.
    cont = _read_as_cp1252(0x80, 0xBF)
    return re.compile(f"[{_read_as_cp1252(0xC2, 0xDF)}][{cont}]"
                      f"|[{_read_as_cp1252(0xE0, 0xEF)}][{cont}]{{2}}"
                      f"|[{_read_as_cp1252(0xF0, 0xF4)}][{cont}]{{3}}")


_MOJIBAKE_RUN = _build_mojibake_run()
_CP1252_BYTE = {bytes([b]).decode("cp1252", errors="ignore"): b for b in range(256)}
_CP1252_BYTE.pop("", None)


def _undo_run(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        raw = bytes(_CP1252_BYTE.get(c, ord(c)) for c in text)
        return raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return text  # not UTF-8 once re-encoded: real text, left alone


def _nfc(text: str) -> str:
    """``text`` in Unicode's composed form (NFC); most lines are ASCII or already are."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def repair_mojibake(text: str) -> str:
    """UTF-8 text that was read as cp1252 and saved again, read back:
    ``SociÃ©tÃ© GÃ©nÃ©rale`` → ``Société Générale``, ``lâ€™Atelier`` → ``l’Atelier``.

    Only whole sequences that decode as UTF-8 are replaced, so the accented letters a
    file also holds correctly stay as they are.
    """
    # Every sequence it replaces opens on a letter outside ASCII: most lines have none.
    return text if text.isascii() else _MOJIBAKE_RUN.sub(_undo_run, text)


class Record(NamedTuple):
    """One record of an input file.

    A named tuple rather than a frozen dataclass: one is built per row, and a tuple is
    built several times faster, which shows on a million rows. It is just as immutable.

    - ``row``: for CSV, the spreadsheet row of the record (the first line is row 1, as in
      a spreadsheet: a quoted field spanning several lines is still one row, blank lines
      count); for JSONL, the 1-based line number.
    - ``cells``: CSV only, aligned to :attr:`TabularFile.headers` (short rows padded with
      ``""``); ``None`` for an error record.
    - ``error``: why the record cannot be used, or ``None``.
    - ``raw``: the record's text, filled only for error records (``""`` otherwise, to keep
      the per-row path fast); bad bytes shown as ``\\xNN``, cut at 64 KiB.
    - ``values``: JSONL only, the object's values as text (``null`` -> ``""``, lists as
      JSON), nested objects flattened to dotted paths (``{"person": {"email": …}}`` gives
      ``person.email``); ``None`` for an error record and for CSV.
    """

    row: int
    cells: list[str] | None
    error: str | None = None
    raw: str = ""
    values: dict[str, str] | None = None


_new_record = tuple.__new__


class _Scan(NamedTuple):
    bad: bool  # some bytes do not decode
    bad_bytes: int  # how many (counted on the UTF-8 pass only)
    good_chars: int  # non-ASCII characters that decoded (UTF-8 pass only)
    has_nul: bool
    stopped: bool  # the UTF-8 pass gave up early: the file is plainly not UTF-8
    non_ascii_lines: bytes  # a sample of lines holding non-ASCII bytes (UTF-8 pass only)


class TabularFile:
    """A CSV or JSONL file ready to be streamed; a context manager.

    Attributes: ``path``; ``kind`` (``"csv"`` or ``"jsonl"``); ``encoding`` (the codec
    used, e.g. ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16-le"``, ``"cp1252"``); ``delimiter``
    (``None`` for JSONL); ``headers``; ``mojibake_suspected`` (the head holds UTF-8 read
    as cp1252, like ``SociÃ©tÃ©``: the file was mis-converted before it reached us; its
    headers and records are read repaired, see :func:`repair_mojibake`);
    ``skipped_blank`` and ``skipped_headers``, counted while :meth:`records` runs.

    CSV ``headers`` are the first non-blank row, cleaned: byte-order mark and surrounding
    spaces removed, an empty header named ``column_N`` (N from 1), a repeated one renamed
    ``email_2``, ``email_3``... (compared without case). JSONL ``headers`` are the keys of
    the objects in the sample (nested ones as dotted paths), in first-seen order; a later
    line may hold other keys, so use :attr:`Record.values`.
    """

    def __init__(
        self,
        path: Path,
        *,
        kind: Literal["csv", "jsonl"],
        encoding: str,
        skip: int,
        delimiter: str | None,
        raw_headers: list[str],
        headers: list[str],
        scan: _Scan,
        mojibake_suspected: bool,
        preamble: int = 0,
        titles: list[str] | None = None,
        sheet: str | None = None,
        header_row: int = 0,
    ) -> None:
        self.path = path
        self.kind: Literal["csv", "jsonl"] = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.headers = [_nfc(h) for h in headers]
        self.mojibake_suspected = mojibake_suspected
        self.skipped_blank = 0
        self.skipped_headers = 0
        self._skip = skip
        # Rows before the header that are not data: Excel's "sep=;" line, title lines.
        self._preamble = preamble
        self.titles = titles or []
        # The header's row number in the file: known once records() has run (CSV), or
        # from the start (a workbook).
        self.header_row = header_row
        self.sheet = sheet  # the worksheet read, for an Excel workbook; else None
        self._raw_headers = raw_headers
        self._header_fold = [_fold(_nfc(h)) for h in raw_headers]
        self._has_bad = scan.bad
        self._has_nul = scan.has_nul
        self._open_iterators: WeakSet[Generator[Record, None, None]] = WeakSet()

    def __enter__(self) -> TabularFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the files of every :meth:`records` iterator still open."""
        for iterator in list(self._open_iterators):
            iterator.close()

    def records(self) -> Iterator[Record]:
        """Stream the records; each call starts again from the top and resets the counts.

        Never raises for what the file holds: a record that cannot be used comes back with
        :attr:`Record.error`. Blank rows and repeated header rows are counted in
        :attr:`skipped_blank` and :attr:`skipped_headers`, not yielded.
        """
        self.skipped_blank = 0
        self.skipped_headers = 0
        if self.kind == "jsonl":
            iterator = self._jsonl_records()
        elif self.sheet is not None:
            iterator = self._sheet_records()
        else:
            iterator = self._csv_records()
        self._open_iterators.add(iterator)
        return iterator

    # -- reading -------------------------------------------------------------------------

    def _open_text(self) -> io.TextIOWrapper:
        try:
            binary = open(self.path, "rb", buffering=_CHUNK_BYTES)  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"{self.path}: cannot be read ({exc.strerror})") from exc
        binary.seek(self._skip)
        errors = "surrogateescape" if self.encoding == "utf-8" else _ESCAPE
        # newline="": line breaks inside quoted fields reach the csv module untouched, and
        # "\r" alone (old Mac files) still ends a line.
        text = io.TextIOWrapper(binary, encoding=self.encoding, errors=errors, newline="")
        # Decoding 64 KiB at a time instead of 8 KiB reads about 10 % more rows per second.
        text._CHUNK_SIZE = _TEXT_CHUNK_CHARS  # type: ignore[attr-defined]
        return text

    def _lines(self, text: io.TextIOWrapper) -> Iterator[str]:
        lines: Iterator[str] = iter(partial(text.readline, LINE_LIMIT), "")
        if self._has_nul:
            lines = (line.replace("\0", "") for line in lines)
        if self.mojibake_suspected:
            lines = map(repair_mojibake, lines)
        # Decomposed accents (a Mac's "e" + combining accent) read composed, as the store
        # keeps all text (NFC): "Société" is one company whichever way a file wrote it.
        return map(_nfc, lines)

    def _csv_records(self) -> Generator[Record, None, None]:
        csv.field_size_limit(FIELD_LIMIT)
        with self._open_text() as text:
            if not self.headers:
                return
            # Only a last line with no line break after it can open a quote the reader
            # takes for a field: its lines are followed when the file ends that way.
            tail: list[str] | None = [""] if self._ends_unterminated() else None
            lines = self._lines(text)
            reader = csv.reader(
                lines if tail is None else _tracked(lines, tail), delimiter=self.delimiter or ","
            )
            row = self.header_row = self._skip_to_header(reader)
            yield from self._rows(reader, row, self._file_lines, tail)

    def _rows(
        self,
        reader: Iterator[list[str]],
        row: int,
        lines_from: Callable[[int, int | None], list[str]],
        tail: list[str] | None,
    ) -> Generator[Record, None, int]:
        """Turn what ``reader`` gives into records, the first numbered ``row + 1``.

        Return the last row number used. ``lines_from(start, stop)`` gives the text lines
        ``start + 1`` to ``stop`` (to the end for ``None``) that ``reader`` reads, counted
        as its ``line_num`` counts them: the raw text of a record whose quote is left open.
        ``tail[0]``, if given, is the last line ``reader`` read (see :func:`_tracked`),
        for a file that may end with no line break.

        The reader is not strict, so a quote opened and never closed swallows every line
        after it into one field. That record is always the last one, or it ends in an
        error once its field passes :data:`FIELD_LIMIT`. So a record spanning several
        lines is held back until the next one is read: at the end of the file it is
        checked, and if its quote is open, its first line is quarantined and the lines
        after it are read again as rows of their own. While every record holds one line,
        ``reader.line_num - row`` does not change: that keeps the check out of the
        per-row path.
        """
        classify = self._classify
        width = len(self.headers)
        # A row whose first cell holds the first header, in any case, may be the header
        # repeated: it takes the slow path, which compares the whole row. An empty first
        # header never matches here; its repeat has an empty first cell, which takes the
        # slow path anyway.
        header_start = self._header_fold[0] or "\0"
        fast = width > 1 and not self._has_bad
        new = _new_record
        line_num = reader.line_num  # type: ignore[attr-defined]
        offset = line_num - row
        while True:
            try:
                for cells in reader:
                    row += 1
                    if reader.line_num - row != offset:  # type: ignore[attr-defined]
                        break
                    if cells and cells[-1][-1:] in _LINE_ENDS:
                        # A line break inside a field of a one-line record: a quote
                        # opened on the file's last line (any later line would have been
                        # read into the field).
                        return (yield from self._last_record(
                            row, cells, offset + row - 1, lines_from))
                    if tail is not None and self._open_at_end(tail[0]):
                        return (yield from self._open_quote(row, tail[:1], ""))
                    if (
                        fast
                        and len(cells) == width
                        and (first := cells[0])
                        and not first.isspace()
                        and header_start not in first.casefold()
                    ):
                        yield new(Record, (row, cells, None, "", None))
                    else:
                        record = classify(row, cells)
                        if record is not None:
                            yield record
                else:
                    return row
                # ``cells`` holds lines start + 1 to end: hold it until the next record.
                start, end = offset + row - 1, reader.line_num  # type: ignore[attr-defined]
                while True:
                    offset = end - row  # where an error in the next record starts
                    try:
                        following = next(reader, None)
                    except csv.Error:
                        record = classify(row, cells)
                        if record is not None:
                            yield record
                        raise
                    if following is None:
                        return (yield from self._last_record(row, cells, start, lines_from))
                    if self._swallowed(cells):
                        row = yield from self._open_quote(
                            row, lines_from(start, end), "", closed=True)
                    else:
                        record = classify(row, cells)
                        if record is not None:
                            yield record
                    row += 1
                    if reader.line_num - end > 1:  # type: ignore[attr-defined]
                        cells, start, end = following, end, reader.line_num  # type: ignore[attr-defined]
                        continue
                    if tail is not None and self._open_at_end(tail[0]):
                        return (yield from self._open_quote(row, tail[:1], ""))
                    record = classify(row, following)
                    if record is not None:
                        yield record
                    offset = reader.line_num - row  # type: ignore[attr-defined]
                    break
            except csv.Error as exc:
                start = offset + row
                stop = reader.line_num  # type: ignore[attr-defined]
                row += 1
                message = _csv_error_message(exc)
                if stop - start > 1 and message.startswith("field larger"):
                    lines = lines_from(start, stop)
                    row = yield from self._open_quote(row, lines, f"{message}: ")
                else:
                    yield Record(row, None, message)
                offset = stop - row

    def _last_record(
        self,
        row: int,
        cells: list[str],
        start: int,
        lines_from: Callable[[int, int | None], list[str]],
    ) -> Generator[Record, None, int]:
        """The file's last record, spanning lines ``start + 1`` to the end."""
        last = cells[-1] if cells else ""
        if "\n" in last or "\r" in last:  # an open quote ends the record inside a field
            lines = lines_from(start, None)
            if not self._closes(lines):
                return (yield from self._open_quote(row, lines, ""))
        if self._swallowed(cells):
            return (yield from self._open_quote(row, lines_from(start, None), "", closed=True))
        record = self._classify(row, cells)
        if record is not None:
            yield record
        return row

    def _open_at_end(self, line: str) -> bool:
        """Whether ``line``, just read, is the file's last line, with no line break after
        it, and leaves a quote open (the reader, not strict, takes the rest of the line
        as a field). A line cut at :data:`LINE_LIMIT` is no last line."""
        return (
            bool(line) and line[-1] not in _LINE_ENDS and len(line) < LINE_LIMIT
            and not self._closes([line])
        )

    def _ends_unterminated(self) -> bool:
        """Whether the file's last byte is no line break (in UTF-16, always said yes)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() == 0:
                    return False
                handle.seek(-1, os.SEEK_END)
                return handle.read(1) not in (b"\n", b"\r")
        except OSError:
            return True

    def _closes(self, lines: list[str]) -> bool:
        """Whether the record these lines hold ends outside quotes, read as ``reader`` does.

        A line after it comes back as a row of its own only if no quote is left open.
        """
        sentinel = "\uffff"
        reader = csv.reader([*lines, "\n", sentinel], delimiter=self.delimiter or ",")
        try:
            last = deque(reader, maxlen=1)
        except csv.Error:
            return False
        return list(last) == [[sentinel]]

    def _swallowed(self, cells: list[str]) -> bool:
        """Whether a record read over several lines took whole rows into one field: a
        stray quote opened in a field and closed only by a quote of a later line
        (``…,Directeur",Paris`` … ``"New York, NY"``). Its cells are too many or too few,
        and a line inside a field holds as many delimiters as a row. A quoted field
        with a line break of its own (``"12 rue X\nBât B"``) is neither."""
        width = len(self.headers)
        if len(cells) == width or width < 3:
            return False
        delimiter = self.delimiter or ","
        return any(
            line.count(delimiter) >= width - 1
            for cell in cells if "\n" in cell or "\r" in cell
            for line in cell.splitlines()
        )

    def _open_quote(self, row: int, lines: list[str], why: str,
                    closed: bool = False) -> Generator[Record, None, int]:
        """Quarantine the first of ``lines``, where a quote opened and never closed (or,
        ``closed``, closed only lines later), and read the lines after it again as
        records, the first numbered ``row + 1``."""
        message = f"{why}quote opened and never closed (the lines after it are read as rows)"
        if closed:
            message = (f"quote opened in a field and closed only {len(lines) - 1} line(s) "
                       "later, taking them into one row (they are read as rows)")
        yield Record(row, None, message, _escape_bad_text(lines[0].rstrip("\r\n")[:_RAW_LIMIT]))
        rest = lines[1:]
        tail = [""]
        reader = csv.reader(_tracked(iter(rest), tail), delimiter=self.delimiter or ",")
        return (yield from self._rows(reader, row, lambda a, b: rest[a:b], tail))

    def _file_lines(self, start: int, stop: int | None) -> list[str]:
        """Lines ``start + 1`` to ``stop`` of the records after the header's file offset."""
        with self._open_text() as text:
            return list(islice(self._lines(text), start, stop))

    def _sheet_records(self) -> Generator[Record, None, None]:
        workbook = _load_workbook(self.path)
        number = 0
        try:
            rows = workbook[self.sheet].iter_rows(min_row=1, values_only=True)
            for number, values in enumerate(rows, 1):
                if number <= self.header_row:
                    continue
                record = self._classify(number, [_cell_text(v) for v in values])
                if record is not None:
                    yield record
        except Exception as exc:  # the sheet's XML breaks off: what follows is lost
            yield Record(number + 1, None, f"workbook unreadable from this row on ({exc})")
        finally:
            workbook.close()

    def _skip_to_header(self, reader: Iterator[list[str]]) -> int:
        """Consume rows up to and including the header; return how many."""
        row = 0
        try:
            for _ in range(self._preamble):
                next(reader, None)
                row += 1
            for cells in reader:
                row += 1
                if not _is_blank(cells):
                    return row
                self.skipped_blank += 1
        except csv.Error:
            row += 1  # the header itself is broken; it was read from the sample
        return row

    def _classify(self, row: int, cells: list[str]) -> Record | None:
        """The slow path: every case the per-row fast path leaves out."""
        width = len(self.headers)
        if self._has_bad and not _is_storable("".join(cells)):
            return Record(row, None, "undecodable bytes", self._raw(cells))
        count = len(cells)
        if _is_blank(cells):
            self.skipped_blank += 1
            return None
        if count > width:
            if not _is_blank(cells[width:]):
                message = f"too many fields ({count}, header has {width})"
                return Record(row, None, message, self._raw(cells))
            del cells[width:]  # trailing empty cells some exports add
            count = width
        if (
            count == width
            and _fold(cells[0]) == self._header_fold[0]
            and [_fold(c) for c in cells] == self._header_fold
        ):
            self.skipped_headers += 1
            return None
        if count == 1 and width > 1:
            delimiter = self.delimiter
            if any(d != delimiter and d in cells[0] for d in _DELIMITERS):
                message = f"delimiter mismatch (expected {delimiter!r})"
                return Record(row, None, message, self._raw(cells))
        if count < width:
            cells.extend([""] * (width - count))  # exports trim trailing empty cells
        return _new_record(Record, (row, cells, None, "", None))

    def _raw(self, cells: list[str]) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=self.delimiter or ",", lineterminator="").writerow(cells)
        return _escape_bad_text(out.getvalue()[:_RAW_LIMIT])

    def _jsonl_records(self) -> Generator[Record, None, None]:
        with self._open_text() as text:
            readline = partial(text.readline, LINE_LIMIT)
            has_nul = self._has_nul
            lineno = 0
            for line in iter(readline, ""):
                lineno += 1
                if len(line) >= LINE_LIMIT and line[-1] not in "\r\n":
                    rest = readline()
                    while rest and rest[-1] not in "\r\n":
                        rest = readline()
                    message = f"line longer than {LINE_LIMIT >> 20} MiB"
                    yield Record(lineno, None, message, _escape_bad_text(line[:_RAW_LIMIT]))
                    continue
                if has_nul:
                    line = line.replace("\0", "")
                if self.mojibake_suspected:
                    line = repair_mojibake(line)
                record = self._jsonl_record(lineno, line)
                if record is not None:
                    yield record

    def _jsonl_record(self, lineno: int, line: str) -> Record | None:
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            self.skipped_blank += 1
            return None
        raw = _escape_bad_text(stripped[:_RAW_LIMIT])
        if self._has_bad and not _is_storable(stripped):
            return Record(lineno, None, "undecodable bytes", raw)
        try:
            obj = json.loads(stripped)
        except ValueError as exc:
            if isinstance(exc, json.JSONDecodeError):
                detail = f"{exc.msg} (column {exc.colno})"
            else:
                detail = str(exc)
            return Record(lineno, None, f"invalid JSON: {detail}", raw)
        except RecursionError:
            return Record(lineno, None, "invalid JSON: nested too deeply", raw)
        if not isinstance(obj, dict):
            return Record(lineno, None, "JSON line is not an object", raw)
        try:
            values: dict[str, str] = {}
            _flatten(obj, values)
        except RecursionError:
            return Record(lineno, None, "invalid JSON: nested too deeply", raw)
        if "\\u" in stripped:
            joined = "".join(values) + "".join(values.values())
            if not _is_storable(joined):
                return Record(lineno, None, "invalid JSON: lone surrogate escape", raw)
            if "\0" in joined:
                values = {k.replace("\0", ""): v.replace("\0", "") for k, v in values.items()}
        if not any(v.strip() for v in values.values()):
            self.skipped_blank += 1
            return None
        return Record(lineno, None, None, "", values)


def _flatten(obj: dict[Any, Any], out: dict[str, str], prefix: str = "", depth: int = 0) -> None:
    """An object's values as text, nested objects as dotted paths (``person.name.first``)
    down to :data:`_FLAT_DEPTH` levels; lists, and objects deeper than that, as JSON."""
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value and depth < _FLAT_DEPTH:
            _flatten(value, out, f"{name}.", depth + 1)
        else:
            out[name] = _json_text(value)


def _json_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)  # numbers and booleans as JSON writes them


def _csv_error_message(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"field larger than {FIELD_LIMIT >> 20} MiB"
    return f"unreadable CSV: {text}"


def _is_blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


def _fold(cell: str) -> str:
    return cell.replace("\ufeff", "").strip().casefold()


# -- opening and detection -------------------------------------------------------------


def open_tabular(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> TabularFile:
    """Open a CSV or JSONL file for streaming, detecting what is not given.

    ``encoding`` overrides detection (a byte-order mark still wins over another UTF
    codec); ``delimiter`` overrides the CSV delimiter guess. Raises :class:`InputError`
    only when the file is missing, a directory or unreadable, or when the override is
    not a known codec or a one-character delimiter.
    """
    path = Path(path)
    if delimiter is not None and len(delimiter) != 1:
        raise InputError(f"{path}: the delimiter must be one character, got {delimiter!r}")
    head = _read_head(path)
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        return _open_workbook(path, head)
    try:
        encoding, skip, scan = _settle_encoding(path, head, encoding)
        complete = len(head) < SAMPLE_BYTES or path.stat().st_size <= SAMPLE_BYTES
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    sample = _decode_sample(head[skip:], encoding, complete=complete)
    if scan.has_nul:
        sample = sample.replace("\0", "")
    if _HTML.match(sample):
        # Salesforce's "printable view" and some CRMs save an HTML table named .xls.
        raise InputError(
            f"{path}: is an HTML page, not a CSV or JSONL file: export the data as CSV "
            "or .xlsx"
        )
    mojibake = _MOJIBAKE.search(sample) is not None
    if mojibake:
        sample = repair_mojibake(sample)
    if path.suffix.lower() in _JSONL_SUFFIXES or sample.lstrip(" \t\r\n\ufeff")[:1] == "{":
        keys = _jsonl_keys(sample)
        return TabularFile(
            path,
            kind="jsonl",
            encoding=encoding,
            skip=skip,
            delimiter=None,
            raw_headers=keys,
            headers=keys,
            scan=scan,
            mojibake_suspected=mojibake,
        )
    csv.field_size_limit(FIELD_LIMIT)
    # Excel writes (and reads) a first line "sep=;" naming the delimiter of the rest.
    sep_line = _SEP_LINE.match(sample)
    if sep_line is not None:
        sample = sample[sep_line.end():]
        delimiter = delimiter or sep_line.group(1)
    if delimiter is None:
        delimiter = _guess_delimiter(sample)
    rows, lines = _sample_rows_at(sample, delimiter, _HEAD_ROWS + _MAX_TITLE_ROWS + 1)
    start = _header_index(rows)
    raw_headers = rows[start] if rows else []
    # Title lines above the header ("Export des contacts du 01/12/2026") are not data.
    preamble = (1 if sep_line is not None else 0) + (lines[start - 1] if start else 0)
    titles = _titles(rows[:start])
    return TabularFile(
        path,
        kind="csv",
        encoding=encoding,
        skip=skip,
        delimiter=delimiter,
        raw_headers=raw_headers,
        headers=_clean_headers(_grouped(rows, start, raw_headers)),
        scan=scan,
        mojibake_suspected=mojibake,
        preamble=preamble,
        titles=titles,
    )


_HTML = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<table[\s>])", re.IGNORECASE)
_ZIP_MAGIC = b"PK\x03\x04"
_MAX_SHEETS = 20  # sheets looked at for the one holding the contacts
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, or an encrypted .xlsx


def _open_workbook(path: Path, head: bytes) -> TabularFile:
    """An Excel workbook's sheet of contacts (see the module docstring), ready to stream
    like a CSV file."""
    if head.startswith(_OLE_MAGIC):
        raise InputError(
            f"{path}: is an Excel 97-2003 (.xls) or password-protected workbook, which "
            "cannot be read: save it as .xlsx (without a password) or as CSV"
        )
    if b"opendocument.spreadsheet" in head[:200]:
        raise InputError(f"{path}: is an OpenDocument spreadsheet: save it as .xlsx or CSV")
    workbook = _load_workbook(path)
    try:
        # The sheet whose header names the most known columns: a summary or an
        # instructions sheet often comes before the contacts. Ties go to the first.
        best: tuple[int, Any, list[list[str]], list[int]] | None = None
        for sheet in workbook.worksheets[:_MAX_SHEETS]:
            rows, numbers = [], []
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1):
                cells = [_cell_text(v) for v in values]
                if not _is_blank(cells):
                    rows.append(cells)
                    numbers.append(number)
                    if len(rows) > _HEAD_ROWS + _MAX_TITLE_ROWS:
                        break
            if not rows:
                continue
            known = _known_headers(rows[_header_index(rows)])
            if best is None or known > best[0]:
                best = (known, sheet, rows, numbers)
        if best is None:
            raise InputError(f"{path}: the workbook has no sheet with data")
        _, sheet, rows, numbers = best
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: the workbook cannot be read ({exc})") from exc
    finally:
        workbook.close()
    start = _header_index(rows)
    # Trailing empty header cells are the sheet's width, not columns.
    raw_headers = rows[start]
    while raw_headers and not raw_headers[-1].strip():
        raw_headers = raw_headers[:-1]
    return TabularFile(
        path,
        kind="csv",
        encoding="xlsx",
        skip=0,
        delimiter=None,
        raw_headers=raw_headers,
        headers=_clean_headers(_grouped(rows, start, raw_headers)),
        scan=_Scan(False, 0, 0, False, False, b""),
        mojibake_suspected=False,
        titles=_titles(rows[:start]),
        sheet=sheet.title,
        header_row=numbers[start],
    )


class _Workbook:
    """An openpyxl workbook in read-only mode and the file it streams from, closed
    together (given an open file, openpyxl ignores the file name's extension)."""

    def __init__(self, path: Path) -> None:
        import openpyxl

        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            self._book = openpyxl.load_workbook(self._handle, read_only=True, data_only=True)
        except Exception as exc:  # any failure of the library on this file is the file's
            self._handle.close()
            raise InputError(
                f"{path}: is a ZIP archive but not a readable .xlsx workbook ({exc})"
            ) from exc

    @property
    def worksheets(self) -> list[Any]:
        return list(self._book.worksheets)

    def __getitem__(self, name: str) -> Any:
        return self._book[name]

    def close(self) -> None:
        try:
            self._book.close()
        finally:
            self._handle.close()


def _load_workbook(path: Path) -> _Workbook:
    try:
        return _Workbook(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def _cell_text(value: object) -> str:
    """A cell as the text Excel shows: whole numbers without ".0" (a phone number typed
    as a number), dates in ISO 8601, nothing for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


_SEP_LINE = re.compile(r'\ufeff?"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\n|\r)', re.IGNORECASE)


def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(SAMPLE_BYTES)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a directory, not a file") from exc
    except OSError as exc:
        if path.is_dir():  # Windows reports a directory as a permission error
            raise InputError(f"{path}: is a directory, not a file") from exc
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc


def _settle_encoding(path: Path, head: bytes, given: str | None) -> tuple[str, int, _Scan]:
    """Return (codec, bytes to skip at the start, scan of the whole file)."""
    bom, bom_encoding = next(((b, e) for b, e in _BOMS if head.startswith(b)), (b"", ""))
    if given is not None:
        try:
            name = codecs.lookup(given).name
        except LookupError as exc:
            raise InputError(f"{path}: unknown encoding {given!r}") from exc
        if bom and name.startswith("utf"):
            return bom_encoding, len(bom), _scan(path, bom_encoding, len(bom))
        return name, 0, _scan(path, name, 0)
    if bom:
        return bom_encoding, len(bom), _scan(path, bom_encoding, len(bom))
    utf16 = _guess_utf16(head)
    if utf16:
        return utf16, 0, _scan(path, utf16, 0)
    scan = _scan(path, "utf-8", 0, utf8=True)
    if not scan.bad or (not scan.stopped and scan.good_chars > scan.bad_bytes):
        return "utf-8", 0, scan
    legacy = _guess_legacy(scan.non_ascii_lines)
    return legacy, 0, _scan(path, legacy, 0)


def _guess_utf16(head: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII text leaves a NUL in every other byte."""
    sample = head[: 4096 & ~1]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.4 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.4 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _scan(path: Path, encoding: str, skip: int, *, utf8: bool = False) -> _Scan:
    """Decode the whole file in chunks, noting bad bytes and NULs.

    The UTF-8 pass also counts bad bytes against good non-ASCII characters, keeps a sample
    of the lines holding non-ASCII bytes for charset detection, and stops early once the
    file is plainly not UTF-8.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict" if utf8 else _ESCAPE)
    bad = has_nul = stopped = False
    bad_bytes = good_chars = 0
    sample: list[bytes] = []
    sample_size = 0
    with open(path, "rb") as f:
        f.seek(skip)
        while True:
            chunk = f.read(_CHUNK_BYTES)
            final = not chunk
            if utf8:
                pending = decoder.getstate()[0]
                try:
                    text = decoder.decode(chunk, final)
                except UnicodeDecodeError:
                    # Keep counting with an escaping decoder from the bytes the strict one
                    # had not yet turned into text.
                    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
                    text = decoder.decode(pending + chunk, final)
                    bad = True
                if not text.isascii():
                    ascii_chars = len(text.encode("ascii", "ignore"))
                    if bad:
                        escaped = len(text.encode("utf-8", "surrogateescape"))
                        bad_here = escaped - len(text.encode("utf-8", "ignore"))
                    else:
                        bad_here = 0
                    bad_bytes += bad_here
                    good_chars += len(text) - ascii_chars - bad_here
                    if sample_size < _CHARSET_SAMPLE_BYTES and not chunk.isascii():
                        for line in chunk.splitlines():
                            if not line.isascii():
                                sample.append(line[:1024])
                                sample_size += min(len(line), 1024)
                                if sample_size >= _CHARSET_SAMPLE_BYTES:
                                    break
                    if bad_bytes > 10_000 and good_chars * 10 < bad_bytes:
                        stopped = True
                        break
            else:
                text = decoder.decode(chunk, final)
                if not bad and not text.isascii() and not _is_storable(text):
                    bad = True
            if not has_nul and "\0" in text:
                has_nul = True
            if final:
                break
    return _Scan(bad, bad_bytes, good_chars, has_nul, stopped, b"\n".join(sample))


_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


# Bytes that are accented letters in Mac Roman (é 8E, è 8F, à 88, ç 8D, ü 9F…) and, in
# cp1252, signs a word never holds (Ž, ˆ, ™) or nothing at all. Left out: 80, 85, 91-94,
# 96, 97, which cp1252 text puts inside words (€, …, curly quotes, dashes).
_MAC_ROMAN_LETTERS = frozenset(
    [0x81, 0x82, 0x83, 0x84, *range(0x86, 0x91), 0x95, *range(0x98, 0xA0)])


def _mac_roman_letters(alone: list[int]) -> bool:
    """Whether lone non-ASCII bytes read as Mac Roman's accented letters (as Excel for
    Mac saves "Comma Separated Values") rather than cp1252's, whose letters are C0-FF."""
    mac = sum(1 for b in alone if b in _MAC_ROMAN_LETTERS)
    windows = sum(1 for b in alone if b >= 0xC0)
    return mac >= 3 and mac > 2 * windows


def _guess_legacy(sample: bytes) -> str:
    """Choose a single-byte (or CJK) codec for a file that is not UTF-8."""
    runs = _NON_ASCII_RUN.findall(sample)
    total = sum(len(r) for r in runs)
    if not total:
        return "cp1252"
    # In French, German, Spanish... an accented letter sits between ASCII letters; in
    # Cyrillic, Greek or CJK text non-ASCII bytes come in runs.
    alone = [r[0] for r in runs if len(r) == 1]
    if len(alone) >= 0.5 * total:
        return "mac_roman" if _mac_roman_letters(alone) else "cp1252"
    best = charset_normalizer.from_bytes(sample).best()
    if best is None:
        return "cp1252"
    name = codecs.lookup(best.encoding).name
    if name in ("latin-1", "iso8859-1", "ascii") or name.startswith("utf"):
        return "cp1252"  # UTF-8 and UTF-16 were ruled out before this guess
    return name


def _decode_sample(head: bytes, encoding: str, *, complete: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors=_ESCAPE)
    text = decoder.decode(head, final=complete)
    if not complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        if cut > 0:
            text = text[: cut + 1]
    return text


def _sample_rows_at(sample: str, delimiter: str, limit: int) -> tuple[
    list[list[str]], list[int]
]:
    """Up to ``limit`` non-blank rows of the sample, and how many rows (blank ones
    included) the reader had returned once each was read."""
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    read = 0
    try:
        for cells in reader:
            read += 1
            if not _is_blank(cells):
                rows.append(cells)
                lines.append(read)
                if len(rows) >= limit:
                    break
    except csv.Error:
        pass  # the rows read so far are enough to judge
    return rows, lines


def _titles(rows: list[list[str]]) -> list[str]:
    """The text of title rows (see :func:`_header_index`): their first cell."""
    return [row[0].strip() if row else "" for row in rows]


def _filled(cells: list[str]) -> int:
    return sum(1 for cell in cells if cell.strip())


def _fit(rows: list[list[str]], start: int) -> float:
    """How well the rows after ``rows[start]`` match its width (see _guess_delimiter)."""
    width = len(rows[start])
    later = rows[start + 1 : start + 1 + _HEAD_ROWS]
    score = sum(1.0 if len(r) == width else 0.5 if 1 < len(r) < width else 0.0 for r in later)
    return score / len(later) if later else 0.0


def _header_index(rows: list[list[str]]) -> int:
    """Which of the first non-blank rows is the header: the first, unless it holds a
    single filled cell that names no known column (a title such as "Export des contacts
    du 01/12/2026", alone or padded with delimiters by Excel) over a table of several
    columns. Then the header is the first row of two filled cells or more, if at most
    ``_MAX_TITLE_ROWS`` title rows stand above it, two of its cells name known columns
    and most rows below have its width. A first row that only groups the columns of the
    next (merged cells: "Contact;;;Entreprise;") is passed over the same way."""
    if not rows:
        return 0
    if len(rows) > 2 and _grouping_row(rows[0], rows[1]) and _fit(rows, 1) >= 0.6:
        return 1
    if _filled(rows[0]) > 1 or _known_headers(rows[0]):
        return 0
    for start in range(1, min(len(rows) - 1, _MAX_TITLE_ROWS + 1)):
        if _filled(rows[start]) > 1:
            fits = _known_headers(rows[start]) >= 2 and _fit(rows, start) >= 0.6
            return start if fits else 0
    return 0


def _grouped(rows: list[list[str]], start: int, header: list[str]) -> list[str]:
    """The header with the label of its group when a grouping row names whose columns
    they are: "Nom" under "Entreprise" reads "Nom Entreprise" (the company's name), under
    "Contact" "Nom Contact". Other groups ("Coordonnées") leave the header as it is."""
    from prospecting.headers import entity_label

    if start != 1 or not _grouping_row(rows[0], header):
        return header
    out, label = [], ""
    for index, cell in enumerate(header):
        group = rows[0][index].strip() if index < len(rows[0]) else ""
        label = group or label  # a merged cell is written in its first column only
        out.append(f"{cell.strip()} {label}" if cell.strip() and entity_label(label) else cell)
    return out


def _grouping_row(first: list[str], second: list[str]) -> bool:
    """Whether ``first`` groups the columns of the header below it, as a spreadsheet's
    merged cells export ("Contact;;;Entreprise;" over "Prénom;Nom;Email;Nom;Ville"): at
    most half its cells filled, the next row filled across and naming more known columns.
    """
    width = max(len(first), len(second))
    if width < 3 or _filled(first) * 2 > width or _filled(second) * 5 < width * 4:
        return False
    below = _known_headers(second)
    return below >= 2 and below > _known_headers(first)


def _known_headers(cells: list[str]) -> int:
    """How many cells name a column the importer knows (people or companies)."""
    from prospecting.headers import map_headers

    cells = [cell for cell in cells if cell.strip()]
    people = map_headers(cells, "people")
    companies = map_headers(cells, "companies")
    return sum(1 for a, b in zip(people, companies, strict=True) if a or b)


def _guess_delimiter(sample: str) -> str:
    """Pick the delimiter that splits the header into the most columns and most rows alike.

    Each candidate is scored on the first 100 rows: rows with the header's field count
    score 1, shorter rows with more than one field 0.5 (exports trim trailing empty
    cells); a candidate that leaves the header in one piece scores nothing. Ties go to the
    wider header, then to :class:`csv.Sniffer`'s choice, then to the order , ; TAB |.
    """
    try:
        small = "".join(io.StringIO(sample[: 16 << 10], newline="").readlines()[:20])
        sniffed: str | None = csv.Sniffer().sniff(small, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    best = ","
    best_key: tuple[float, int, bool, int] | None = None
    for index, delimiter in enumerate(_DELIMITERS):
        rows, _ = _sample_rows_at(sample, delimiter, _HEAD_ROWS + _MAX_TITLE_ROWS + 1)
        rows = rows[_header_index(rows):][: _HEAD_ROWS + 1]
        width = len(rows[0]) if rows else 0
        if width < 2:
            key = (0.0, 0, delimiter == sniffed, -index)
        else:
            score = sum(
                1.0 if len(r) == width else 0.5 if 1 < len(r) < width else 0.0 for r in rows[1:]
            )
            key = (score, width, delimiter == sniffed, -index)
        if best_key is None or key > best_key:
            best, best_key = delimiter, key
    return best


def _clean_headers(raw: list[str]) -> list[str]:
    """Headers fit to name columns: trimmed, never empty, never repeated."""
    cleaned = []
    for number, cell in enumerate(raw, 1):
        name = _escape_bad_text(cell.replace("\ufeff", "").replace("\0", "")).strip()
        cleaned.append(name or f"column_{number}")
    reserved = {name.casefold() for name in cleaned}
    used: set[str] = set()
    headers = []
    for name in cleaned:
        if name.casefold() in used:
            suffix = 2
            while f"{name}_{suffix}".casefold() in reserved | used:
                suffix += 1
            name = f"{name}_{suffix}"
        used.add(name.casefold())
        headers.append(name)
    return headers


def _jsonl_keys(sample: str) -> list[str]:
    keys: dict[str, None] = {}
    seen = 0
    for line in io.StringIO(sample, newline=""):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped:
            continue
        seen += 1
        if seen > _HEAD_ROWS:
            break
        try:
            obj = json.loads(stripped)
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict):
            flat: dict[str, str] = {}
            try:
                _flatten(obj, flat)
            except RecursionError:
                continue
            keys.update(dict.fromkeys(_escape_bad_text(k) for k in flat))
    return list(keys)
