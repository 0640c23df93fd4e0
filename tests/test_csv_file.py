"""The CSV/JSONL reader against the bad-input catalogue (reliability.md, section 3, C1-C17).

Fixtures under ``tests/fixtures/bad_inputs/`` are exact bytes written by
``make_csv_fixtures.py``; files too big to commit are generated in ``tmp_path``.
"""

from __future__ import annotations

import codecs
import csv
import importlib.util
import tempfile
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospecting.connectors.csv_file import (
    FIELD_LIMIT,
    Record,
    TabularFile,
    open_tabular,
)
from prospecting.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "bad_inputs"


def read(path: Path, **options: str) -> tuple[TabularFile, list[Record]]:
    with open_tabular(path, **options) as table:
        return table, list(table.records())


def good_cells(records: list[Record]) -> list[list[str]]:
    return [r.cells for r in records if r.error is None and r.cells is not None]


def errors(records: list[Record]) -> list[tuple[int, str]]:
    return [(r.row, r.error) for r in records if r.error is not None]


def test_fixtures_match_their_generator():
    spec = importlib.util.spec_from_file_location(
        "make_csv_fixtures", FIXTURES / "make_csv_fixtures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.FIXTURES.items():
        assert (FIXTURES / name).read_bytes() == data, name


# -- C1-C4: encodings --------------------------------------------------------------------


def test_c01_utf8_bom_is_not_part_of_the_first_header():
    table, records = read(FIXTURES / "c01_utf8_bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["email", "nom"]
    assert good_cells(records) == [
        ["jean.dupont@exemple.fr", "Dupont"],
        ["elodie@exemple.fr", "Lefèvre"],
    ]
    assert [r.row for r in records] == [2, 3]


def test_c02_cp1252_keeps_euro_and_curly_quotes():
    table, records = read(FIXTURES / "c02_cp1252.csv")
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.headers == ["nom", "société", "note"]
    cells = good_cells(records)
    assert cells[0] == ["Dupont", "Société Générale", "coût 5 €, ‘devis’ reçu"]
    assert cells[1][2] == "“à rappeler”"
    assert not errors(records)


def test_c02_a_latin1_file_with_a_stray_undefined_byte_fails_only_its_row(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("nom;ville\nLefèvre;Orléans\n".encode("cp1252") + b"Bad\x81;X\nZo\xe9;Y\n")
    table, records = read(path)
    assert table.encoding == "cp1252"
    assert errors(records) == [(3, "undecodable bytes")]
    assert records[1].raw == "Bad\\x81;X"
    assert good_cells(records) == [["Lefèvre", "Orléans"], ["Zoé", "Y"]]


def test_decomposed_accents_are_read_composed(tmp_path):
    # A file written on a Mac may hold "é" as "e" and a combining accent (NFD): every
    # value is read composed (NFC), as the store keeps all text, so "Société Générale"
    # is one company whichever way a file wrote it.
    path = tmp_path / "nfd.csv"
    text = ("Prénom,Nom,Société\nHélène,Lefèvre,Société Générale\n"
            "Prénom,Nom,Société\n")  # the header again (two exports pasted together)
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    table, records = read(path)
    assert table.headers == ["Prénom", "Nom", "Société"]
    assert good_cells(records) == [["Hélène", "Lefèvre", "Société Générale"]]
    assert table.skipped_headers == 1
    assert all(unicodedata.is_normalized("NFC", c) for c in good_cells(records)[0])


def test_c03_mojibake_is_flagged_and_repaired():
    table, records = read(FIXTURES / "c03_mojibake.csv")
    assert table.encoding == "utf-8"
    assert table.mojibake_suspected
    assert table.headers == ["nom", "société"]
    assert good_cells(records) == [["Dupont", "Société Générale"], ["Martin", "l’Atelier"]]


@pytest.mark.parametrize("text", [
    "Société Générale", "Zoë Lefèvre-Müller", "l’Atelier « Paris »", "Œuvre — 12 €",
    "Łódź, Kraków", "Пётр", "東京", "Team 🚀 ok", "naïve café", "Ã ete", "Â", "plain ascii",
])
def test_repair_mojibake_undoes_cp1252_double_encoding_and_nothing_else(text: str):
    from prospecting.connectors.csv_file import repair_mojibake

    garbled = text.encode("utf-8").decode("cp1252", errors="replace")
    if "\ufffd" not in garbled:
        assert repair_mojibake(garbled) == text
    assert repair_mojibake(text) == text  # correct text is left as it is


def test_clean_accented_file_is_not_flagged_as_mojibake():
    table, _ = read(FIXTURES / "c02_cp1252.csv")
    assert not table.mojibake_suspected


def test_c04_utf16_excel_unicode_text_is_tab_separated():
    table, records = read(FIXTURES / "c04_utf16le_tab.txt")
    assert table.encoding == "utf-16-le"
    assert table.delimiter == "\t"
    assert table.headers == ["Prénom", "Nom", "Société"]
    assert good_cells(records) == [
        ["Élodie", "Lefèvre", "Café Noir"],
        ["Jean", "Dupont", "Acme, Inc"],
    ]


@pytest.mark.parametrize(
    ("first_line", "ending"),
    [("sep=;", "\r\n"), ("SEP=;", "\n"), ('"sep=;"', "\r\n"), ("\ufeffsep=;", "\r\n")],
)
def test_excel_sep_line_names_the_delimiter_and_is_not_a_header(tmp_path, first_line, ending):
    path = tmp_path / "excel.csv"
    lines = [first_line, "Prénom;Nom;E-mail;Société", "Jean;Dupont;jean@acme.fr;Acme, Inc",
             "Zoé;Lefèvre;zoe@beta.fr;Beta"]
    path.write_text(ending.join(lines) + ending, encoding="utf-8", newline="")
    table, records = read(path)
    assert table.delimiter == ";"
    assert table.headers == ["Prénom", "Nom", "E-mail", "Société"]
    assert [r.row for r in records] == [3, 4]
    assert good_cells(records)[0] == ["Jean", "Dupont", "jean@acme.fr", "Acme, Inc"]


def test_a_given_delimiter_wins_over_the_sep_line(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nFirst,Last\nJean,Dupont\n", encoding="utf-8")
    table, records = read(path, delimiter=",")
    assert table.headers == ["First", "Last"]
    assert good_cells(records) == [["Jean", "Dupont"]]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf16be_bom.csv", "utf-16-be"),
        ("utf32le_bom.csv", "utf-32-le"),
        ("utf16le_no_bom.csv", "utf-16-le"),
    ],
)
def test_other_unicode_encodings(name, encoding):
    table, records = read(FIXTURES / name)
    assert table.encoding == encoding
    assert table.headers == ["email", "nom"]
    assert good_cells(records) == [["a@exemple.fr", "Lefèvre"]]


def test_utf8_with_a_few_bad_bytes_fails_only_those_records():
    table, records = read(FIXTURES / "utf8_few_bad_bytes.csv")
    assert table.encoding == "utf-8"
    assert errors(records) == [(5, "undecodable bytes")]
    assert records[3].raw == "B\\xe9ziers,C\\x9cur"
    assert good_cells(records)[-1] == ["Zoé", "Évry"]


def test_given_encoding_overrides_detection(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("nom\nLefèvre\n".encode("cp1252"))
    table, records = read(path, encoding="latin-1")
    assert table.encoding == "iso8859-1"
    assert good_cells(records) == [["Lefèvre"]]


def test_given_utf_encoding_yields_to_the_byte_order_mark():
    table, records = read(FIXTURES / "c01_utf8_bom.csv", encoding="utf-8")
    assert table.headers == ["email", "nom"]
    assert len(good_cells(records)) == 2


def test_a_mac_roman_file_is_read_as_mac_roman(tmp_path):
    # Excel for Mac saves "Comma Separated Values (.csv)" in Mac Roman, where the
    # accented letters are bytes that cp1252 reads as other signs or not at all.
    path = tmp_path / "mac.csv"
    rows = ["Prénom,Nom,Société", "Hélène,Müller,Café du Léman", "François,Lefèvre,Crédit Agricole",
            "Gérard,Dupré,Tôlerie Française", "Zoé,Kühn,Bäckerei Würth"]
    path.write_bytes("\r".join(rows).encode("mac_roman") + b"\r")
    table, records = read(path)
    assert table.encoding == "mac_roman"
    assert table.headers == ["Prénom", "Nom", "Société"]
    assert good_cells(records)[0] == ["Hélène", "Müller", "Café du Léman"]
    assert not errors(records)
    # French cp1252 text with curly apostrophes (the bytes Mac Roman gives í, ë…) stays
    # cp1252.
    path = tmp_path / "win.csv"
    rows = ["nom;note"] + [f"Lefèvre{i};l’entreprise d’Orléans, “à rappeler”" for i in range(5)]
    path.write_bytes("\n".join(rows).encode("cp1252"))
    table, records = read(path)
    assert table.encoding == "cp1252"
    assert good_cells(records)[0] == ["Lefèvre0", "l’entreprise d’Orléans, “à rappeler”"]


def test_a_cyrillic_cp1251_file_is_not_read_as_cp1252(tmp_path):
    path = tmp_path / "ru.csv"
    rows = ["имя;город"] + [f"Александр{i};Москва Санкт-Петербург Новосибирск" for i in range(30)]
    path.write_bytes("\n".join(rows).encode("cp1251"))
    table, records = read(path)
    assert table.encoding != "cp1252"
    assert table.headers == ["имя", "город"]
    assert good_cells(records)[0][1] == "Москва Санкт-Петербург Новосибирск"


# -- C5-C11: structure -------------------------------------------------------------------


def test_c05_semicolon_with_a_quoted_comma():
    table, records = read(FIXTURES / "c05_semicolon.csv")
    assert table.delimiter == ";"
    assert good_cells(records)[0] == ["Martin, Jr", "Jean", "Acme"]
    assert good_cells(records)[1][2] == "Durand, Fils & Cie"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path, delimiter):
    path = tmp_path / "x.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(["nom", "adresse", "ville"])
        for i in range(20):
            writer.writerow([f"N{i}", "1, rue X; bât | B", "Paris"])
    table, records = read(path)
    assert table.delimiter == delimiter
    assert good_cells(records)[0] == ["N0", "1, rue X; bât | B", "Paris"]


def test_given_delimiter_overrides_detection(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b,c\n1;2,3\n")
    table, records = read(path, delimiter=",")
    assert table.headers == ["a;b", "c"]
    assert good_cells(records) == [["1;2", "3"]]


def test_c06_mixed_delimiters_reject_the_odd_row_with_its_number():
    table, records = read(FIXTURES / "c06_mixed_delimiters.csv")
    assert table.delimiter == ";"
    assert errors(records) == [(3, "delimiter mismatch (expected ';')")]
    assert records[1].raw == "Martin,Marie,marie@exemple.fr"
    assert [c[0] for c in good_cells(records)] == ["Dupont", "Petit"]


def test_c07_embedded_newline_stays_one_record():
    _, records = read(FIXTURES / "c07_embedded_newline.csv")
    assert good_cells(records) == [
        ["Dupont", "12 rue X\nBât B", "Paris"],
        ["Martin", "3 place Y", "Lyon"],
    ]
    # Rows count as a spreadsheet shows them: the two-line record is row 2.
    assert [r.row for r in records] == [2, 3]


def test_c08_duplicate_headers_are_renamed():
    table, records = read(FIXTURES / "c08_duplicate_headers.csv")
    assert table.headers == ["email", "nom", "email_2"]
    assert good_cells(records) == [["a@exemple.fr", "Dupont", "b@exemple.fr"]]


def test_header_cleaning(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(" Email ,,email,email_2,Email\n1,2,3,4,5\n")
    table, _ = read(path)
    assert table.headers == ["Email", "column_2", "email_3", "email_2", "Email_4"]


def test_c09_ragged_rows():
    _, records = read(FIXTURES / "c09_ragged.csv")
    assert errors(records) == [(3, "too many fields (7, header has 5)")]
    assert records[1].raw == "1,2,3,4,5,6,7"
    assert records[1].cells is None
    assert good_cells(records) == [list("12345"), ["1", "2", "", "", ""], list("12345")]


def test_trailing_empty_cells_beyond_the_header_are_dropped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2,,\n")
    _, records = read(path)
    assert good_cells(records) == [["1", "2"]]


def test_c10_blank_rows_are_skipped_and_counted():
    table, records = read(FIXTURES / "c10_blank_rows.csv")
    assert table.headers == ["nom", "email"]
    assert good_cells(records) == [["Dupont", "d@exemple.fr"], ["Martin", "m@exemple.fr"]]
    assert table.skipped_blank == 8
    # The leading blank line counts, as in a spreadsheet: the header is row 2.
    assert [r.row for r in records] == [4, 9]


def test_whitespace_only_cells_with_the_right_width_are_blank(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n 1,2,3\n  , ,\t\n4,5,6\n")
    table, records = read(path)
    assert good_cells(records) == [[" 1", "2", "3"], ["4", "5", "6"]]
    assert table.skipped_blank == 1


def test_c11_repeated_header_is_dropped_and_counted():
    table, records = read(FIXTURES / "c11_repeated_header.csv")
    assert good_cells(records) == [["a@exemple.fr", "A"], ["b@exemple.fr", "B"]]
    assert table.skipped_headers == 1
    assert [r.row for r in records] == [2, 4]


def test_repeated_header_with_its_own_bom_and_odd_case(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(
        codecs.BOM_UTF8 + b"email,nom\na@x.fr,A\n" + codecs.BOM_UTF8 + b"eMaIl, Nom \nb@x.fr,B\n"
    )
    table, records = read(path)
    assert good_cells(records) == [["a@x.fr", "A"], ["b@x.fr", "B"]]
    assert table.skipped_headers == 1


def test_a_value_equal_to_a_header_is_data(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("pays,ville\npays,Paris\n")
    table, records = read(path)
    assert good_cells(records) == [["pays", "Paris"]]
    assert table.skipped_headers == 0


# -- C12-C17: sizes, NULs, line endings, raw text ---------------------------------------


def test_c12_large_fields_up_to_one_mib_are_read(tmp_path):
    path = tmp_path / "x.csv"
    over_default = "x" * 131_073  # over csv's default 128 KiB limit
    too_big = "y" * (FIELD_LIMIT + 1)
    path.write_text(f'a,b\n1,{over_default}\n2,"{too_big}"\n3,{too_big}\n4,ok\n')
    _, records = read(path)
    assert records[0].cells == ["1", over_default]
    assert errors(records) == [(3, "field larger than 1 MiB"), (4, "field larger than 1 MiB")]
    assert records[-1].cells == ["4", "ok"]
    assert records[-1].row == 5


def test_an_unclosed_quote_is_quarantined_and_the_lines_after_it_are_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        'first_name,last_name,email\n"Ann,Lee,ann@x.test\nBob,,not-an-email\nCid,Roe,cid@y.test\n'
    )
    _, records = read(path)
    assert errors(records) == [
        (2, "quote opened and never closed (the lines after it are read as rows)")
    ]
    assert records[0].raw == '"Ann,Lee,ann@x.test'
    assert good_cells(records) == [["Bob", "", "not-an-email"], ["Cid", "Roe", "cid@y.test"]]
    assert [r.row for r in records] == [2, 3, 4]


@pytest.mark.parametrize("more", ["", 'Eve,Lo,"eve@x.test"\n'])
def test_a_stray_quote_closed_by_a_later_line_takes_only_its_own_row(tmp_path, more):
    """A quote opened at a field's start is closed by the quote of a later, well-quoted field:
    the rows in between are not one row's field, and are read (the last record of the
    file or not)."""
    path = tmp_path / "x.csv"
    path.write_text(
        'first_name,last_name,email,city\n'
        'Ann,Lee,ann@x.test,"Lyon\n'
        'Bob,Ray,bob@x.test,Paris\n'
        'Cid,Roe,cid@y.test,"New York, NY"\n'
        'Dan,Fox,dan@y.test,Nice\n' + more
    )
    _, records = read(path)
    assert errors(records) == [(2, "quote opened in a field and closed only 2 line(s) "
                                   "later, taking them into one row (they are read as rows)")]
    assert records[0].raw == 'Ann,Lee,ann@x.test,"Lyon'
    assert good_cells(records)[:3] == [
        ["Bob", "Ray", "bob@x.test", "Paris"],
        ["Cid", "Roe", "cid@y.test", "New York, NY"],
        ["Dan", "Fox", "dan@y.test", "Nice"],
    ]
    assert [r.row for r in records][:4] == [2, 3, 4, 5]


def test_a_quoted_field_with_a_line_break_of_its_own_stays_one_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b,c,d\n1,"12 rue X\nBât B",x,y\n2,"p, q",z,"extra",w\n3,s,t,u\n')
    _, records = read(path)
    assert good_cells(records)[0] == ["1", "12 rue X\nBât B", "x", "y"]
    assert [r.row for r in records] == [2, 3, 4]


def test_an_unclosed_quote_on_the_last_line_is_quarantined(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('first_name,last_name,email\nJean,Dupont,jean@acme.fr\n"Marie,Curie,m@acme.fr\n')
    _, records = read(path)
    assert good_cells(records) == [["Jean", "Dupont", "jean@acme.fr"]]
    assert errors(records) == [
        (3, "quote opened and never closed (the lines after it are read as rows)")
    ]
    assert records[1].raw == '"Marie,Curie,m@acme.fr'
    path.write_text('a,b,c\n1,2,"open\n')  # in the last field, with every cell there
    _, records = read(path)
    assert errors(records) == [
        (2, "quote opened and never closed (the lines after it are read as rows)")
    ]


@pytest.mark.parametrize("last", ['"Marie,Curie,m@acme.fr', 'Marie,Curie,"m@acme.fr',
                                  'Marie,"Curie,m@acme.fr'])
def test_an_unclosed_quote_on_an_unterminated_last_line_is_quarantined(tmp_path, last):
    """The file's last line, with no line break after it, opens a quote it never closes."""
    path = tmp_path / "x.csv"
    for end in ("\n", "\r\n"):
        path.write_text(f"first_name,last_name,email{end}Jean,Dupont,jean@acme.fr{end}{last}",
                        newline="")
        _, records = read(path)
        assert good_cells(records) == [["Jean", "Dupont", "jean@acme.fr"]]
        assert errors(records) == [
            (3, "quote opened and never closed (the lines after it are read as rows)")
        ]
        assert records[1].raw == last


@pytest.mark.parametrize("last", ["Marie,Curie,m@acme.fr", 'Marie,Curie,"m@acme.fr"',
                                  '"Marie ""Mimi""",Curie,m@acme.fr'])
def test_an_unterminated_last_line_whose_quotes_close_is_a_row(tmp_path, last):
    path = tmp_path / "x.csv"
    path.write_text(f"first_name,last_name,email\nJean,Dupont,jean@acme.fr\n{last}")
    _, records = read(path)
    assert errors(records) == []
    assert len(good_cells(records)) == 2


def test_an_unclosed_quote_after_a_record_spanning_lines(tmp_path):
    path = tmp_path / "x.csv"
    # Row 2 spans two lines and closes its quote; row 3 opens one in its last field and
    # the file ends without a line break.
    path.write_text('a,b,c\n1,"two\nlines",x\n2,y,"open\n3,z,w\n\n4,v,u')
    _, records = read(path)
    assert good_cells(records) == [
        ["1", "two\nlines", "x"],
        ["3", "z", "w"],
        ["4", "v", "u"],
    ]
    assert errors(records) == [
        (3, "quote opened and never closed (the lines after it are read as rows)")
    ]
    assert records[1].raw == '2,y,"open'
    assert [r.row for r in records] == [2, 3, 4, 6]  # the blank line is row 5


def test_records_spanning_lines_up_to_the_end_are_kept(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"x\ny"\n2,"z\n\nw"\n3,"last\nline"\n')
    _, records = read(path)
    assert good_cells(records) == [["1", "x\ny"], ["2", "z\n\nw"], ["3", "last\nline"]]
    assert [r.row for r in records] == [2, 3, 4]


def test_an_unclosed_quote_in_a_big_file_loses_no_row(tmp_path):
    path = tmp_path / "x.csv"
    count = FIELD_LIMIT // 20 + 5_000  # the open field passes the limit on the way
    with path.open("w") as out:
        out.write('name,email\nAnn,"ann@x.test\n')
        for i in range(count):
            out.write(f"p{i:07d},p{i:07d}@x.test\n")
    _, records = read(path)
    assert errors(records) == [
        (
            2,
            "field larger than 1 MiB: quote opened and never closed "
            "(the lines after it are read as rows)",
        )
    ]
    cells = good_cells(records)
    assert len(cells) == count
    assert cells[0] == ["p0000000", "p0000000@x.test"]
    assert cells[-1] == [f"p{count - 1:07d}", f"p{count - 1:07d}@x.test"]
    assert [r.row for r in records] == list(range(2, count + 3))


def test_a_row_grouping_the_columns_is_not_the_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Contact;;;Entreprise;\nPrénom;Nom;Email;Nom;Ville\n"
                    "Jean;Dupont;jean@acme.fr;ACME;Lyon\nAnn;Lee;ann@y.fr;Y;Paris\n")
    table, records = read(path)
    # The group names whose columns follow: the company's "Nom" is not a second surname.
    assert table.headers == ["Prénom Contact", "Nom Contact", "Email Contact",
                             "Nom Entreprise", "Ville Entreprise"]
    assert table.titles == ["Contact"]
    assert good_cells(records) == [["Jean", "Dupont", "jean@acme.fr", "ACME", "Lyon"],
                                   ["Ann", "Lee", "ann@y.fr", "Y", "Paris"]]


def test_a_sparse_first_row_over_data_stays_the_header(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Email;;;Société;\njean@acme.fr;a;b;ACME;c\nann@y.fr;d;e;Y;f\n")
    table, _ = read(path)
    assert table.headers[0] == "Email"


def test_c13_nul_bytes_are_removed():
    _, records = read(FIXTURES / "c13_nul_bytes.csv")
    assert good_cells(records) == [["Dupont", "d@exemple.fr"], ["Martin", "m@exemple.fr"]]


def test_c14_cr_only_line_endings():
    table, records = read(FIXTURES / "c14_cr_only.csv")
    assert table.headers == ["nom", "ville"]
    assert good_cells(records) == [["Dupont", "Paris"], ["Martin", "Lyon"]]


def test_c15_c16_numbers_and_formulas_are_kept_as_text():
    _, records = read(FIXTURES / "c15_c16_excel_and_formulas.csv")
    assert good_cells(records) == [
        ["Dupont", "33612345678", "5520325", "1.23E+12"],
        ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1"],
    ]


def test_single_column_file(tmp_path):
    table, records = read(FIXTURES / "single_column.csv")
    assert table.delimiter == ","
    assert table.headers == ["email"]
    assert good_cells(records) == [["a@exemple.fr"], ["b@exemple.fr"]]
    path = tmp_path / "x.csv"
    path.write_text("email\n  \na@x.fr\n")
    table, records = read(path)
    assert good_cells(records) == [["a@x.fr"]]
    assert table.skipped_blank == 1


@pytest.mark.parametrize("name", ["empty.csv", "header_only.csv"])
def test_empty_and_header_only_files_have_no_records(name):
    _, records = read(FIXTURES / name)
    assert records == []


def test_header_only_file_keeps_its_headers():
    table, _ = read(FIXTURES / "header_only.csv")
    assert table.headers == ["email", "nom", "prenom"]


def test_records_can_be_read_twice_and_counts_restart():
    with open_tabular(FIXTURES / "c10_blank_rows.csv") as table:
        first = list(table.records())
        second = list(table.records())
        assert first == second
        assert table.skipped_blank == 8


def test_closing_the_table_closes_open_iterators():
    table = open_tabular(FIXTURES / "c09_ragged.csv")
    iterator = table.records()
    next(iterator)
    table.close()
    assert list(iterator) == []


def _write_big_csv(path: Path, rows: int) -> None:
    """Rows of about 130 bytes, written as they are generated."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["nom", "email", "adresse", "note"])
        writer.writerows(
            (
                f"Lefèvre {n}",
                f"prenom.nom.{n}@exemple-societe.fr",
                f"{n} avenue des Champs-Élysées, 75008 Paris",
                "client depuis 2019, à rappeler en septembre",
            )
            for n in range(rows)
        )


def test_c17_large_file_is_streamed_in_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    _write_big_csv(path, 200_000)
    size = path.stat().st_size
    assert size > 24 << 20
    tracemalloc.start()
    try:
        table = open_tabular(path)
        _, open_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with table:
            count = sum(1 for r in table.records() if r.error is None)
        _, read_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    # Detection decodes 1 MiB chunks; reading holds a few buffers and one row.
    assert open_peak < 8 << 20, f"{open_peak} bytes to open a {size}-byte file"
    assert read_peak < 4 << 20, f"{read_peak} bytes to read a {size}-byte file"


# -- JSONL -------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines():
    table, records = read(FIXTURES / "people.jsonl")
    assert table.kind == "jsonl"
    assert table.delimiter is None
    assert table.headers == ["email", "nom", "age", "tags", "vip", "note", "adresse.ville"]
    assert records[0] == Record(
        1,
        None,
        values={
            "email": "a@exemple.fr",
            "nom": "Dupont",
            "age": "42",
            "tags": '["x", "y"]',
            "vip": "true",
            "note": "",
        },
    )
    assert records[1].values == {
        "email": "b@exemple.fr",
        "nom": "Lefèvre",
        "adresse.ville": "Lyon",  # a nested object is flattened to paths
    }
    assert errors(records) == [
        (4, "invalid JSON: Expecting value (column 33)"),
        (5, "JSON line is not an object"),
        (6, "JSON line is not an object"),
    ]
    assert records[2].raw == '{"email": "c@exemple.fr", "nom":'
    assert records[-1].row == 7
    assert records[-1].values == {"email": "d@exemple.fr", "nom": "Martin"}
    assert table.skipped_blank == 1


def test_nested_jsonl_objects_are_flattened_to_paths(tmp_path):
    path = tmp_path / "api.jsonl"
    path.write_text(
        '{"id": 1, "properties": {"firstname": "Jean", "email": "j@x.fr"}, "tags": ["a"],'
        ' "empty": {}, "deep": {"a": {"b": {"c": {"d": {"e": 1}}}}}}\n'
    )
    table, records = read(path)
    assert records[0].values == {
        "id": "1",
        "properties.firstname": "Jean",
        "properties.email": "j@x.fr",
        "tags": '["a"]',
        "empty": "{}",
        "deep.a.b.c.d": '{"e": 1}',  # four levels flattened, the rest kept as JSON
    }
    assert table.headers == list(records[0].values)


def test_jsonl_detected_by_content(tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(codecs.BOM_UTF8 + b'\n  {"email": "a@x.fr"}\n')
    table, records = read(path)
    assert table.kind == "jsonl"
    assert records == [Record(2, None, values={"email": "a@x.fr"})]


def test_jsonl_escapes_that_cannot_be_stored(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"a": "x\\ud800y"}\n{"a": "nul\\u0000here"}\n{"a": [[[[]]]]}\n{}\n{"a": null}\n'
        + "[" * 100_000
        + "\n"
    )
    table, records = read(path)
    assert errors(records) == [
        (1, "invalid JSON: lone surrogate escape"),
        (6, "invalid JSON: nested too deeply"),
    ]
    assert records[1].values == {"a": "nulhere"}
    assert records[2].values == {"a": "[[[[]]]]"}
    assert table.skipped_blank == 2


def test_jsonl_bad_bytes(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes('{"a": "é"}\n{"a": "\xe9"}\n{"a": "è"}\n'.encode() + b'{"a": "\xe9"}\n')
    _, records = read(path)
    assert errors(records) == [(4, "undecodable bytes")]
    assert records[3].raw == '{"a": "\\xe9"}'


# -- opening -----------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_tabular(tmp_path / "nope.csv")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        open_tabular(tmp_path)


def test_bad_overrides(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n")
    with pytest.raises(InputError, match="unknown encoding"):
        open_tabular(path, encoding="klingon")
    with pytest.raises(InputError, match="one character"):
        open_tabular(path, delimiter=";;")


def test_binary_garbage_never_raises(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(bytes(range(256)) * 64 + b"\x00" * 5000 + bytes(range(255, -1, -1)) * 64)
    table, records = read(path)
    check_records(table, records)


# -- any bytes at all ----------------------------------------------------------------------


def check_records(table: TabularFile, records: list[Record]) -> None:
    """Every record is usable text aligned to the headers, or an error; all storable."""
    for header in table.headers:
        header.encode("utf-8")
    for record in records:
        record.raw.encode("utf-8")
        if record.error is not None:
            assert record.cells is None
            assert record.values is None
        elif table.kind == "csv":
            assert record.cells is not None
            assert len(record.cells) == len(table.headers)
            for cell in record.cells:
                cell.encode("utf-8")
                assert "\0" not in cell
        else:
            assert record.values is not None
            for key, value in record.values.items():
                (key + value).encode("utf-8")
                assert "\0" not in key + value


PIECES = [b",", b";", b"\t", b"|", b'"', b"\n", b"\r", b"\r\n", b"\x00", b"a", b"bc", b" "]
PIECES += [b"\xe9", b"\xc3\xa9", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x81", b"\xd8"]
PIECES += [b"{", b"}", b"[", b":", b'"k"', b"\\ud800", b"\\u0000", b"email", b"EMAIL"]
file_bytes = st.one_of(
    st.binary(max_size=600),
    st.lists(st.sampled_from(PIECES), max_size=120).map(b"".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=file_bytes, suffix=st.sampled_from([".csv", ".jsonl", ".txt"]))
def test_any_bytes_give_records_or_errors_never_an_exception(data, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        try:
            table = open_tabular(path)
        except InputError:
            return
        with table:
            records = list(table.records())
        check_records(table, records)


closed_damage = st.lists(
    st.tuples(
        st.integers(0, 39),  # which row
        st.integers(0, 2),  # which field
        st.sampled_from(['"x\ny"', 'a"b', '""', '"q,"']),  # quotes that close: put first
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(
    damage=closed_damage,
    stray=st.none() | st.tuples(st.integers(0, 38), st.integers(0, 2)),
    final_newline=st.booleans(),
)
def test_a_stray_quote_costs_its_own_row_only(damage, stray, final_newline):
    """Quotes that close leave every row a record; a quote opened and never closed again
    sends its row to quarantine and no other."""
    rows = [[f"r{i:03d}k", f"Name {i}", f"p{i}@x.test"] for i in range(40)]
    for (index, field), text in dict(((i, f), t) for i, f, t in damage).items():
        if stray is None or index < stray[0]:  # a later quote could close the stray one
            rows[index][field] = text + rows[index][field]
    if stray is not None:
        rows[stray[0]][stray[1]] = '"' + rows[stray[0]][stray[1]]
    body = "".join(",".join(cells) + "\n" for cells in rows)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "x.csv"
        path.write_text("id,name,email\n" + (body if final_newline else body[:-1]))
        table, records = read(path)
    check_records(table, records)
    owner = {}
    for record in records:
        text = record.raw if record.error else "\n".join(record.cells or [])
        for i in range(40):
            if f"r{i:03d}k" in text:
                assert i not in owner, f"row {i} twice"
                owner[i] = record
    assert sorted(owner) == list(range(40))
    bad = {i for i, record in owner.items() if record.error}
    assert bad == ({stray[0]} if stray else set())
    assert len(records) == 40


@pytest.mark.parametrize(
    "title",
    ["Export des contacts du 01/12/2026", "Export des contacts;;;", '"Rapport : 2 lignes";;;'],
)
def test_title_lines_above_the_header_are_skipped(tmp_path, title):
    path = tmp_path / "report.csv"
    path.write_text(
        f"{title}\n;;;\nPrénom;Nom;Email;Société\nJean;Dupont;jean@acme.fr;ACME\n"
        "Zoé;Lefèvre;zoe@beta.fr;Beta\n",
        encoding="utf-8",
    )
    table, records = read(path)
    assert table.delimiter == ";"
    assert table.headers == ["Prénom", "Nom", "Email", "Société"]
    assert [r.row for r in records] == [4, 5]
    assert table.header_row == 3
    assert table.titles == [title.split(";")[0].strip('"')]
    assert good_cells(records)[1] == ["Zoé", "Lefèvre", "zoe@beta.fr", "Beta"]


@pytest.mark.parametrize(
    "text",
    [
        "Email,,\njean@acme.fr,Jean,Dupont\nzoe@beta.fr,Zoé,Lefèvre\n",  # unnamed columns
        "Liste 2026,,\njean@acme.fr,Jean,Dupont\nzoe@beta.fr,Zoé,Lefèvre\n",  # no header below
        "email\njean@acme.fr\nzoe@beta.fr\n",  # one column
    ],
)
def test_a_first_row_that_is_no_title_stays_the_header(tmp_path, text):
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    table, records = read(path)
    assert table.titles == []
    assert table.header_row == 1
    assert [r.row for r in records] == [2, 3]


def _workbook(path: Path, rows: list[list[object]], title: str = "Contacts") -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_excel_workbook_reads_like_a_csv_file(tmp_path):
    import datetime

    path = _workbook(tmp_path / "hubspot-export.xlsx", [
        ["Export des contacts"],
        [],
        ["First Name", "Last Name", "Email", "Phone Number", "Created", "Score"],
        ["Jean", "Dupont", "jean@acme.fr", "+33 1 99 00 12 34", None, 12],
        [],
        ["Zoé", "Lefèvre", "zoe@beta.fr", 33199001235, datetime.datetime(2026, 11, 30), 0.5],
        ["A", "B", "c@d.fr", None, None, None, None, "stray"],
    ])
    table, records = read(path)
    assert (table.kind, table.encoding, table.sheet) == ("csv", "xlsx", "Contacts")
    assert table.headers == ["First Name", "Last Name", "Email", "Phone Number", "Created",
                             "Score"]
    assert (table.header_row, table.titles) == (3, ["Export des contacts"])
    assert good_cells(records) == [
        ["Jean", "Dupont", "jean@acme.fr", "+33 1 99 00 12 34", "", "12"],
        ["Zoé", "Lefèvre", "zoe@beta.fr", "33199001235", "2026-11-30", "0.5"],
    ]
    assert [r.row for r in records] == [4, 6, 7]
    assert errors(records) == [(7, "too many fields (8, header has 6)")]
    assert table.skipped_blank == 1


def test_the_first_sheet_with_data_is_read(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Empty"
    sheet = workbook.create_sheet("People")
    sheet.append(["Email", "Nom"])
    sheet.append(["jean@acme.fr", "Dupont"])
    workbook.save(tmp_path / "two.xlsx")
    table, records = read(tmp_path / "two.xlsx")
    assert table.sheet == "People"
    assert good_cells(records) == [["jean@acme.fr", "Dupont"]]


def test_the_sheet_of_contacts_wins_over_a_summary_before_it(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    summary = workbook.active
    summary.title = "Résumé"
    summary.append(["Export du 01/12/2026", "2 contacts"])
    summary.append(["Généré par", "CRM"])
    sheet = workbook.create_sheet("Contacts")
    sheet.append(["Prénom", "Nom", "Email"])
    sheet.append(["Jean", "Dupont", "jean@acme.fr"])
    sheet.append(["Ann", "Lee", "ann@y.fr"])
    workbook.save(tmp_path / "export.xlsx")
    table, records = read(tmp_path / "export.xlsx")
    assert table.sheet == "Contacts"
    assert good_cells(records) == [["Jean", "Dupont", "jean@acme.fr"], ["Ann", "Lee", "ann@y.fr"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "Excel 97-2003"),
        ("sheet.ods", b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis."
         b"opendocument.spreadsheet" + bytes(100), "OpenDocument spreadsheet"),
        ("broken.xlsx", b"PK\x03\x04" + bytes(200), "not a readable .xlsx workbook"),
    ],
)
def test_workbooks_that_cannot_be_read_say_what_to_do(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as caught:
        open_tabular(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    "text",
    ["<!DOCTYPE html><html><body><table><tr><td>Email</td></tr></table>",
     "\n<html>\n<head><meta charset=utf-8></head><table>", "<TABLE border=1><TR><TD>Nom"],
)
def test_an_html_table_saved_as_a_spreadsheet_is_refused(tmp_path, text):
    path = tmp_path / "report.xls"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="is an HTML page"):
        open_tabular(path)
