"""Offline enrichment speed next to a plain email-validator + phonenumbers loop.

    python bench/enrich.py [--rows 100000] [--keep DIR] [--seed 0] [--varied]

Generates N contacts (French, British and German, about 10 % malformed emails and
phones), imports them, then in the same run times:

* ``prospecting enrich --offline`` on the database (in a child process, whose peak
  memory is reported), and
* a plain single-process loop calling ``email_validator.validate_email`` (no DNS) and
  ``phonenumbers.parse`` / ``is_valid_number`` / ``format_number`` on the same rows.

By default names, titles and numbers come from small pools, the companies' domains
end in ``.example`` and every address is first.last; ``--varied`` makes the file a real
CRM export's: few repeated names, titles or numbers, domains on country-code and
generic top-level domains, each company's own address pattern, capitals in addresses
and names, numbers written several ways.

It prints records/s for both and their ratio (target: >= 1.0). The plain loop runs
before and after enrich; its figure is the mean of the two. Peak memory is the
largest single process of the enrich run (the parent or one of its workers).

Then it checks what enrich stored against the same library calls, row by row: the
email verdict (the address email-validator normalizes to, or none) and the E.164 number
(or none), and prints the rows that agree and the kinds of differences, with an example
of each (``logo@2x.png``: an asset name the library accepts, refused on purpose).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FIRST = {
    "FR": ["Jean", "Marie", "Hélène", "François", "Zoé", "Jean-Pierre", "Clémence", "Loïc"],
    "GB": ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Jack", "Emily"],
    "DE": ["Lukas", "Sophie", "Jürgen", "Lea", "Maximilian", "Anna", "Jörg", "Marie"],
}
LAST = {
    "FR": ["Dupont", "Lefèvre", "de La Fontaine", "Martin", "Bernard", "Roussel", "Guérin"],
    "GB": ["Smith", "Jones", "O'Neill", "Taylor", "Brown", "Williams", "McDonald"],
    "DE": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "von Trapp", "Wagner"],
}
TITLES = {
    "FR": ["Directeur commercial", "Responsable marketing", "PDG", "DAF", "Chargée d'affaires"],
    "GB": ["Head of Sales", "VP Marketing", "CTO", "Account Executive", "Office Manager"],
    "DE": ["Geschäftsführer", "Vertriebsleiter", "Head of Marketing", "CFO", "Entwickler"],
}
BAD_EMAILS = ["jean@@acme", "no-at-sign.example", "x@", "@acme.example", "a b@acme.example",
              "logo@2x.png", "jean..dupont@acme.example"]
BAD_PHONES = ["0612", "abc", "+33 6 12 34 56 78 9", "112", "00000", "3615"]


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isascii() and (c.isalnum() or c in "-")).lower()


def _phone(rng: random.Random, country: str) -> str:
    if country == "FR":
        return f"01 99 00 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
    if country == "GB":
        return f"020 7946 0{rng.randint(0, 999):03d}"
    return f"030 {rng.randint(1000000, 9999999)}"


SYLLABLES = ["ma", "ri", "lo", "be", "na", "chi", "dé", "fon", "tai", "gu", "é", "ro", "an",
             "mü", "ler", "schm", "ö", "ka", "st", "son", "mc", "ni", "vi", "el", "ja", "ques"]
VARIED_TITLES = [
    "{lvl} {dept}", "{dept} {lvl}", "Directeur {fr}", "Responsable {fr}", "Head of {dept}",
    "VP {dept}", "Chargé{e} de {fr}", "{dept}leiter", "Senior {dept} Manager",
    "Chief {dept} Officer",
]
LEVELS = ["Junior", "Senior", "Lead", "Principal", "Associate", "Assistant", "Deputy", "Global"]
DEPTS = ["Sales", "Marketing", "Finance", "Engineering", "Operations", "Product", "Legal", "HR",
         "Customer Success", "Procurement", "Data", "Security", "Partnerships", "Design"]
FR_DEPTS = ["commercial", "marketing", "financier", "technique", "des opérations", "juridique",
            "clientèle", "achats", "communication", "informatique", "recrutement", "export"]
TLDS = {"FR": ["fr", "com", "eu", "io"], "GB": ["co.uk", "com", "uk", "io"],
        "DE": ["de", "com", "eu"]}
EMAIL_STYLES = ["{f}.{l}", "{f0}{l}", "{f}", "{l}.{f}", "{f}_{l}", "{f0}.{l}", "{f}{l}"]


def _word(rng: random.Random, parts: tuple[int, int]) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts))).capitalize()


def _varied_phone(rng: random.Random, country: str) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
    if country == "FR":
        return rng.choice([f"0{rng.choice('1234567')} {digits[:2]} {digits[2:4]} {digits[4:6]} "
                           f"{digits[6:]}", f"+33 {rng.choice('67')}{digits}",
                           f"+33 (0){rng.choice('1245')} {digits}"])
    if country == "GB":
        return rng.choice([f"07{rng.choice('345789')}{digits[:2]} {digits[2:]}",
                           f"+44 20 {digits}", f"(01632) {digits[:6]}"])
    return rng.choice([f"0{rng.choice(['151', '160', '171', '30', '40', '89'])} {digits}",
                       f"+49 {rng.choice(['30', '69', '89', '176'])} {digits}"])


def write_varied_contacts(path: Path, rows: int, seed: int = 0) -> None:
    """Contacts as a real CRM export holds them, few values repeated: names made of
    syllables, titles built from levels and departments, a domain per 20 people on
    several top-level domains with each company's own address pattern, numbers drawn
    from whole national ranges in several writings."""
    _write(path, _varied_rows(rows, seed))


def _varied_rows(rows: int, seed: int) -> Iterator[list[Any]]:
    rng = random.Random(seed)
    companies = max(10, rows // 20)
    for i in range(rows):
        k = rng.randrange(companies)
        company = random.Random(k * 7919 + seed)
        country = company.choice(("FR", "GB", "DE"))
        domain = f"{_fold(_word(company, (2, 3)))}-{k}.{company.choice(TLDS[country])}"
        style = company.choice(EMAIL_STYLES)
        first, last = _word(rng, (1, 3)), _word(rng, (2, 3))
        if rng.random() < 0.1:
            first = f"{first}-{_word(rng, (1, 2))}"
        f, lname = _fold(first), _fold(last)
        email = style.format(f=f, l=lname, f0=f[:1]) + f"@{domain}"
        if rng.random() < 0.3:
            email = email.capitalize() if rng.random() < 0.5 else email.upper()
        if rng.random() < 0.1:
            email = rng.choice(BAD_EMAILS)
        phone = _varied_phone(rng, country)
        if rng.random() < 0.1:
            phone = rng.choice(BAD_PHONES)
        title = rng.choice(VARIED_TITLES).format(
            lvl=rng.choice(LEVELS), dept=rng.choice(DEPTS), fr=rng.choice(FR_DEPTS),
            e=rng.choice(["", "e"]))
        name_case = rng.random()
        if name_case < 0.1:
            first, last = first.upper(), last.upper()
        elif name_case < 0.2:
            first, last = first.lower(), last.lower()
        form = company.choice(["SAS", "SARL", "Ltd", "GmbH", "SA", ""])
        name = f"{domain.split('.')[0].title()} {form}".strip()
        yield [i + 1, first, last, email, phone, title, name, country]


def _write(path: Path, rows: Iterable[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Record ID", "First Name", "Last Name", "Email", "Phone", "Job Title",
                         "Company", "Country"])
        writer.writerows(rows)


def write_contacts(path: Path, rows: int, seed: int = 0) -> None:
    _write(path, _contact_rows(rows, seed))


def _contact_rows(rows: int, seed: int) -> Iterator[list[Any]]:
    rng = random.Random(seed)
    companies = max(10, rows // 20)
    for i in range(rows):
        country = rng.choice(("FR", "GB", "DE"))
        first = rng.choice(FIRST[country])
        last = rng.choice(LAST[country])
        k = rng.randrange(companies)
        domain = f"company{k}.example"
        email = f"{_fold(first)}.{_fold(last)}{i % 97}@{domain}"
        if rng.random() < 0.1:
            email = rng.choice(BAD_EMAILS)
        phone = _phone(rng, country)
        if rng.random() < 0.1:
            phone = rng.choice(BAD_PHONES)
        yield [i + 1, first, last, email, phone, rng.choice(TITLES[country]), f"Company {k}",
               country]


def plain_loop(path: Path) -> tuple[int, float]:
    """The baseline: the two libraries called directly, one row at a time."""
    import email_validator
    import phonenumbers

    start = time.perf_counter()
    count = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            with contextlib.suppress(email_validator.EmailNotValidError):
                email_validator.validate_email(row["Email"], check_deliverability=False)
            try:
                number = phonenumbers.parse(row["Phone"], row["Country"])
                if phonenumbers.is_valid_number(number):
                    phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                    phonenumbers.number_type(number)
            except phonenumbers.NumberParseException:
                pass
            count += 1
    return count, time.perf_counter() - start


def agreement(path: Path, db: Path) -> tuple[int, Counter, Counter, dict[tuple[str, str], str]]:
    """Rows whose stored email verdict and E.164 number differ from the libraries' own,
    called as :func:`plain_loop` calls them: (rows, email differences, phone differences
    by our reason, an example of each)."""
    import email_validator
    import phonenumbers

    stored: dict[str, tuple[list[dict], list[dict]]] = {}
    with contextlib.closing(sqlite3.connect(db)) as conn:
        for source_ids, emails, phones in conn.execute(
            "SELECT source_ids, emails, phones FROM people WHERE merged_into IS NULL"
        ):
            for source_id in json.loads(source_ids):
                stored[source_id.split(":", 1)[1]] = (json.loads(emails), json.loads(phones))
    rows = 0
    emails_differ: Counter = Counter()
    phones_differ: Counter = Counter()
    examples: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            emails, phones = stored.get(row["Record ID"], ([], []))
            try:
                theirs: str | None = email_validator.validate_email(
                    row["Email"], check_deliverability=False).normalized
            except email_validator.EmailNotValidError:
                theirs = None
            entry = next((e for e in emails if "guessed" not in e.get("flags", ())), None)
            ours = entry["value"] if entry and entry["status"] != "invalid" else None
            if ours != theirs:
                reason = entry["reason"] if entry else "no address stored"
                emails_differ[reason] += 1
                examples.setdefault(("email", reason), row["Email"])
            try:
                number = phonenumbers.parse(row["Phone"], row["Country"])
                their_e164 = phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.E164
                ) if phonenumbers.is_valid_number(number) else None
            except phonenumbers.NumberParseException:
                their_e164 = None
            phone = phones[0] if phones else {}
            our_e164 = phone.get("e164") if phone.get("valid") else None
            if our_e164 != their_e164:
                reason = phone.get("reason") or "no number stored"
                phones_differ[reason] += 1
                examples.setdefault(("phone", reason), row["Phone"])
    return rows, emails_differ, phones_differ, examples


CHILD = """
import sys, time
from prospecting import api
start = time.perf_counter()
report = api.enrich(sys.argv[1], offline=True)
print(report.read, time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--varied", action="store_true",
                        help="Few repeated values (names, titles, domains, numbers), as in "
                             "a real CRM export, instead of small pools.")
    parser.add_argument("--keep", type=Path, help="Folder to keep the CSV and database in.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-enrich-"))
    folder.mkdir(parents=True, exist_ok=True)
    kind = "varied-" if args.varied else ""
    csv_path = folder / f"contacts-{kind}{args.rows}-seed{args.seed}.csv"
    if not csv_path.exists():
        (write_varied_contacts if args.varied else write_contacts)(
            csv_path, args.rows, args.seed)
    db = folder / f"contacts-{args.rows}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)

    from prospecting import api

    started = time.perf_counter()
    report = api.import_files(db, [csv_path], source="bench", id_column="Record ID")
    print(f"import         {report.written:,} rows in {time.perf_counter() - started:.1f} s")

    # The plain loop runs before and after enrich and the ratio uses their mean: on a
    # shared machine the load changes during a run, and one side should not get the
    # quiet minute alone.
    plain_cpu = time.process_time()
    count, plain_before = plain_loop(csv_path)
    plain_cpu = time.process_time() - plain_cpu
    before = resource.getrusage(resource.RUSAGE_CHILDREN)  # the import's reader, if any
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(db)], capture_output=True, text=True, check=True,
        env=os.environ.copy(),
    )
    enriched, seconds = child.stdout.split()
    enriched_n, enrich_s = int(enriched), float(seconds)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and its workers
    peak_mb = usage.ru_maxrss / 1024
    enrich_cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    _, plain_after = plain_loop(csv_path)
    plain_s = (plain_before + plain_after) / 2
    ours = enriched_n / enrich_s if enrich_s else 0.0
    theirs = count / plain_s if plain_s else 0.0
    print(f"enrich         {enriched_n:,} people in {enrich_s:.1f} s: {ours:,.0f} records/s "
          f"(peak memory {peak_mb:,.0f} MB)")
    print(f"plain loop     {count:,} rows in {plain_s:.1f} s: {theirs:,.0f} records/s "
          f"(email-validator + phonenumbers, one process; {plain_before:.1f} s before "
          f"enrich, {plain_after:.1f} s after)")
    print(f"ratio          {ours / theirs:.2f} (target >= 1.0)")
    # CPU seconds do not depend on what else the machine runs: the figures to compare
    # on a shared machine.
    print(f"cpu            enrich {enrich_cpu:.1f} s (all processes), plain loop "
          f"{plain_cpu:.1f} s; per record {1e6 * enrich_cpu / max(enriched_n, 1):,.0f} vs "
          f"{1e6 * plain_cpu / max(count, 1):,.0f} µs")
    rows, emails_differ, phones_differ, examples = agreement(csv_path, db)
    print(f"agreement      email verdict as email-validator's: "
          f"{rows - sum(emails_differ.values()):,} / {rows:,} rows; E.164 as phonenumbers': "
          f"{rows - sum(phones_differ.values()):,} / {rows:,} rows")
    for kind, differ in (("email", emails_differ), ("phone", phones_differ)):
        for reason, n in differ.most_common(5):
            print(f"  {kind} differs {n:,}x: {examples[(kind, reason)]!r} ({reason})")


if __name__ == "__main__":
    main()
