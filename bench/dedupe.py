"""Dedupe quality and cost on generated B2B contacts with known answers.

    python bench/dedupe.py --people 10000 [--people 100000 ...] [--seed 7] [--keep DIR]
    python bench/dedupe.py --records 1000000

``--people N`` generates N distinct people, each in one to four source records (1.51 on
average); ``--records N`` generates people until there are N source records, the size of
the file a dedupe reads (a "1M set" of record-linkage benchmarks counts its records).

For each size: writes a CSV of source records (several sources' views of the same people:
a CRM export, a team page, a registry's directors, a second export a month later), imports
it with ``--id-column``, runs ``dedupe``, exports the JSONL dump and scores it pairwise
from ``source_ids`` (two records are predicted duplicates when one exported person lists
both). Prints precision, recall, F1, wall time of the dedupe and its peak memory (the
process's ``ru_maxrss``; the largest process it forked apart), pairs scored, whether
any record was lost, and the dedupe's CPU seconds (user and system, of the process and
of those it forks) and minor page faults. Import, dedupe and export each run in a
process of their own, as the command line runs them. Before and after the dedupe, a
process of its own writes 256 MiB of memory it never used and prints how long that
took: the dedupe touches gigabytes of fresh memory, and a machine slow to give it makes
its wall time swing far more than its CPU time. On a virtual machine whose kernel
reports free memory to the host (free page reporting, through a virtio balloon), memory
left free for about two seconds goes back to the host, and the first touch of it again
costs what the host then charges: the probe before the dedupe reads that price; the one
after it mostly gets memory the dedupe has just freed, not yet given back.

The generator is this file's own (``generate``), written from how real exports differ,
not from any one evaluation file: French and English names with accents, particles and
hyphens; nicknames (Bob/Robert, Jean-Pierre/J.-P.), initials, typos (a letter dropped,
doubled, swapped or replaced), swapped first and last names, case and spaces; company
names with and without legal form, in capitals, shortened; phones as 01…, +33…,
dotted, (512) 555…; a second address (free-mail, nickname local part); missing
fields; namesakes at other companies and at the same company (with numbered addresses).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

# Run as a script, this folder comes first on sys.path and this file would hide the
# project's dedupe package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_FR = _words(
    "Jean Pierre Marie Anne Sophie Nicolas Julien Camille Léa Chloé Hélène Clémence "
    "François Grégoire Bérénice Zoé Aurélien Mathilde Théo Benoît Élodie Gaëlle Jérôme "
    "Stéphane Frédéric Émilie Sébastien Céline Valérie Thierry Laurent Isabelle Nathalie "
    "Olivier Philippe Christophe Sandrine Véronique Guillaume Antoine Manon Lucas Hugo "
    "Inès Louise Jules Arthur Capucine Solène Maëlle Noémie Loïc Yann Gaël Hervé Agnès "
    "Josiane Didier Pascal Amélie Margaux Quentin Romain Bastien"
)
FIRST_COMPOUND = _words(
    "Jean-Pierre Jean-Baptiste Marie-Claire Anne-Sophie Jean-François Marie-Hélène "
    "Pierre-Yves Jean-Luc Anne-Marie Jean-Marc"
)
FIRST_EN = _words(
    "Robert William Elizabeth Katherine James Michael David Richard Thomas Daniel Matthew "
    "Christopher Jennifer Margaret Patricia Susan Rebecca Samantha Andrew Edward Charles "
    "Anthony Stephen Jonathan Nicholas Victoria Emily Charlotte Grace Oliver Henry Lucy "
    "Amelia Jack Harry George Alice Sarah Laura Emma Hannah Benjamin Joseph Samuel "
    "Alexander Abigail Deborah Timothy Kenneth"
)
NICK = {"Robert": ["Bob", "Rob", "Bobby"], "William": ["Bill", "Will", "Liam"],
        "Elizabeth": ["Liz", "Beth", "Lizzie"], "Katherine": ["Kate", "Katie", "Kathy"],
        "James": ["Jim", "Jimmy"], "Michael": ["Mike", "Mick"], "David": ["Dave"],
        "Richard": ["Rick", "Dick", "Rich"], "Thomas": ["Tom", "Tommy"],
        "Daniel": ["Dan", "Danny"], "Matthew": ["Matt"], "Christopher": ["Chris"],
        "Jennifer": ["Jen", "Jenny"], "Margaret": ["Maggie", "Peggy", "Meg"],
        "Patricia": ["Pat", "Trish"], "Susan": ["Sue", "Susie"], "Rebecca": ["Becky"],
        "Samantha": ["Sam"], "Andrew": ["Andy", "Drew"], "Edward": ["Ed", "Ted", "Eddie"],
        "Charles": ["Charlie", "Chuck"], "Anthony": ["Tony"], "Stephen": ["Steve"],
        "Jonathan": ["Jon"], "Nicholas": ["Nick"], "Victoria": ["Vicky"],
        "Alexander": ["Alex"], "Benjamin": ["Ben"], "Joseph": ["Joe"], "Samuel": ["Sam"],
        "Abigail": ["Abby"], "Deborah": ["Debbie"], "Timothy": ["Tim"], "Kenneth": ["Ken"],
        "Jean-Pierre": ["J.-P.", "JP", "Jean Pierre"], "Jean-Baptiste": ["J.-B.", "JB"],
        "Marie-Claire": ["Marie Claire"], "Anne-Sophie": ["Anne Sophie"],
        "Jean-François": ["J.-F.", "Jean Francois"], "Frédéric": ["Fred"],
        "Sébastien": ["Seb"], "Emmanuel": ["Manu"], "Nathalie": ["Nath"],
        "Guillaume": ["Will"], "Stéphane": ["Steph"]}
LAST_FR = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André "
    "Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure "
    "Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément "
    "Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer "
    "Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez "
    "Marchand Dufour Blanchard Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin "
    "Fernandez Pierre Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois "
    "Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier "
    "Rodriguez Da_Silva Hubert Louis Charles Guillot Rivière Le_Gall Guillaume Adam Rey "
    "Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Julien Benoît "
    "Paris Maillard Marchal Aubry Vasseur Le_Roux Renault Jacquet Collet Prévost Poirier "
    "Charpentier Royer Huet Baron Dupuy Pons Paul Laine Carré Breton Rémy Schneider "
    "Perrot Guyot Barre Marty Cousin de_La_Fontaine d'Herbelot de_Villiers Le_Goff "
    "Kerbrat Garnier-Roux Morel-Jacquet"
)
LAST_EN = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson "
    "White Harris Martin Thompson Walker Young Allen King Wright Scott Green Baker Adams "
    "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins "
    "Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell "
    "Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price "
    "Sanders Myers Long Ross Foster O'Neill O'Brien McDonald MacLeod Fitzgerald "
    "Van_der_Berg"
)
WORDS = _words(
    "Lumen Hexa Orbit Cedar Ridge Summit Peak Harbour Copper Leaf Azur Kerlann Vauban "
    "Oceane Alpine Nova Atlas Delta Quartz Sirius Boreal Celtic Vega Helios Pixel Data "
    "Cloud Logic Conseil Solutions Systems Analytics Robotics Logistique Numérique "
    "Services Partners Group Labs Studio Digital Energie Santé Finance Bâtiment "
    "Transports Immobilier Industrie Software Media Marine Verde Nord Sud Ouest Est "
    "Brasserie Atelier Maison Jardins Patisserie Filature Fret"
)
FORMS_FR = ("SAS", "SARL", "SA", "SASU", "EURL")
FORMS_EN = ("Ltd", "LLC", "Inc.", "PLC", "LLP")
TITLES = ("Directeur commercial", "Directrice marketing", "DAF", "PDG", "CTO", "Comptable",
          "Responsable achats", "Office manager", "Head of Sales", "VP Marketing", "CEO",
          "Account Executive", "Software Engineer", "Chargée de communication", "DRH",
          "Product Manager", "Sales Director", "Ingénieur", "Consultant", "Gérant")
CITIES_FR = ("Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux", "Rennes",
             "Toulouse", "Strasbourg", "Nice", "Grenoble", "Montpellier", "Saint-Étienne")
CITIES_EN = ("London", "Manchester", "Bristol", "Leeds", "Austin", "Denver", "Boston",
             "Seattle", "Chicago", "Edinburgh")
FREE = ("gmail.test", "yahoo.test", "orange.test", "outlook.test", "freemail.test")
HEADERS = ["record_id", "first_name", "last_name", "email", "phone", "company",
           "website", "title", "city", "country", "source"]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.random()
    if op < 0.3:
        return word[:i] + word[i + 1:]
    if op < 0.55:
        return word[:i] + word[i] + word[i:]
    if op < 0.8:
        return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1:]


def _company(rng: random.Random, number: int) -> dict:
    french = number % 3 != 2
    words = rng.sample(WORDS, rng.choice((1, 2, 2, 3)))
    base = " ".join(words)
    slug = _plain("-".join(words)).lower()
    form = rng.choice(FORMS_FR if french else FORMS_EN)
    return {"name": base, "form": form, "french": french,
            "domain": f"{slug}{number}.{'test' if french else 'example'}",
            "pattern": rng.choice(("first.last", "flast", "first", "f.last", "first.last",
                                   "firstl")),
            "city": rng.choice(CITIES_FR if french else CITIES_EN),
            "switchboard": _phone_digits(rng, french)}


def _phone_digits(rng: random.Random, french: bool) -> str:
    if french:
        return "199" + f"{rng.randrange(1_000_000):06d}"  # 01 99 xx xx xx
    return f"{rng.choice(('512', '303', '207', '161'))}555{rng.randrange(10_000):04d}"


def _fmt_phone(rng: random.Random, digits: str, french: bool) -> str:
    if french:
        n = "0" + digits
        style = rng.random()
        if style < 0.35:
            return " ".join(n[i:i + 2] for i in range(0, 10, 2))
        if style < 0.6:
            return "+33" + digits
        if style < 0.75:
            return ".".join(n[i:i + 2] for i in range(0, 10, 2))
        if style < 0.9:
            return "+33 " + digits[0] + " " + " ".join(digits[i:i + 2] for i in range(1, 9, 2))
        return n
    style = rng.random()
    if style < 0.4:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    if style < 0.7:
        return f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"


def _local(pattern: str, first: str, last: str) -> str:
    f = _plain(first).lower().replace(" ", "-").replace("'", "")
    la = _plain(last).lower().replace(" ", "").replace("'", "").replace("_", "")
    return {"first.last": f"{f}.{la}", "flast": f"{f[0]}{la}", "first": f,
            "f.last": f"{f[0]}.{la}", "firstl": f"{f}{la[0]}"}[pattern]


def generate(people: int, seed: int, records: int | None = None,
             ) -> tuple[list[list[str]], dict[str, int]]:
    """Source records and the truth (record id → person number). With ``records``, the
    people's copies stop at that many records (``people`` must give at least as many:
    see :func:`people_for`)."""
    rng = random.Random(seed)
    companies = [_company(rng, i) for i in range(max(people // 12, 5))]
    persons = []
    used: dict[tuple[str, str], int] = {}
    for _ in range(people):
        # Some companies are far bigger than others (a few hundred people at most).
        company = companies[int(len(companies) * rng.random() ** 1.6)] if (
            rng.random() < 0.93) else None
        french = company["french"] if company else rng.random() < 0.6
        if rng.random() < 0.04 and persons:
            # A namesake: the same name as someone else, at the same company half the time.
            other = persons[rng.randrange(len(persons))]
            first, last = other["first"], other["last"]
            if rng.random() < 0.5:
                company = other["company"]
        else:
            pool = FIRST_FR if french else FIRST_EN
            first = rng.choice(FIRST_COMPOUND) if french and rng.random() < 0.08 else (
                rng.choice(pool))
            last = rng.choice(LAST_FR if french else LAST_EN).replace("_", " ")
            if rng.random() < 0.15:
                last = rng.choice(LAST_FR + LAST_EN).replace("_", " ")
        email = None
        if company:
            local = _local(company["pattern"], first, last)
            # A second person with the same pattern gets a number (marie.durand2@).
            taken = used.get((company["domain"], local), 0)
            used[(company["domain"], local)] = taken + 1
            email = f"{local}{taken + 1 if taken else ''}@{company['domain']}"
        else:
            email = f"{_local('first.last', first, last)}{rng.randrange(100)}@{rng.choice(FREE)}"
        persons.append({
            "first": first, "last": last, "company": company, "french": french,
            "email": email,
            "phone": _phone_digits(rng, french), "title": rng.choice(TITLES),
            "city": company["city"] if company else rng.choice(CITIES_FR + CITIES_EN),
        })
    rows: list[list[str]] = []
    truth: dict[str, int] = {}
    sources = ("crm", "team-page", "registry", "crm-2")
    for number, person in enumerate(persons):
        if records is not None and len(rows) >= records:
            break
        copies = 1 + (rng.random() < 0.35) + (rng.random() < 0.12) + (rng.random() < 0.04)
        if records is not None:
            copies = min(copies, records - len(rows))
        for copy in range(copies):
            rid = f"r{len(rows) + 1}"
            truth[rid] = number
            rows.append(_record(rng, person, rid, sources[copy % 4] if copy else "crm",
                                variant=copy > 0))
    if records is not None and len(rows) < records:
        raise ValueError(f"{people} people give {len(rows)} records, fewer than {records}")
    rng.shuffle(rows)
    return rows, truth


def people_for(records: int) -> int:
    """People enough for ``records`` source records: 1.51 records each on average, and
    a margin far above the spread of a sum of that many draws."""
    return int(records / 1.51 * 1.02) + 50


def _record(rng: random.Random, p: dict, rid: str, source: str, *, variant: bool) -> list[str]:
    first, last = p["first"], p["last"]
    company = p["company"]
    email = p["email"]
    phone = _fmt_phone(rng, p["phone"], p["french"])
    title, city = p["title"], p["city"]
    cname = ""
    website = ""
    if company:
        cname = f"{company['name']} {company['form']}"
        website = f"https://www.{company['domain']}" if rng.random() < 0.5 else ""
    if variant:
        r = rng.random
        if r() < 0.25:
            first = rng.choice(NICK.get(first, [first]))
        if r() < 0.08:
            first = first[0] + "."
        if r() < 0.2:
            first, last = _plain(first), _plain(last)
        if r() < 0.15:
            last = last.upper()
        if r() < 0.08:
            first, last = first.upper(), last.upper()
        if r() < 0.1:
            last = _typo(rng, last)
        if r() < 0.08:
            first = _typo(rng, first)
        if r() < 0.04:
            first, last = last, first
        if r() < 0.3:
            email = ""
        elif r() < 0.15:
            email = email.upper()
        elif r() < 0.15:
            email = f"{_local('first.last', p['first'], p['last'])}{rng.randrange(99)}" \
                    f"@{rng.choice(FREE)}"
        if r() < 0.35:
            phone = ""
        if company and r() < 0.3:
            cname = rng.choice((company["name"], company["name"].upper(),
                                f"{company['form']} {company['name']}", company["name"] + ","))
        if r() < 0.1:
            cname = ""
        if r() < 0.4:
            title = rng.choice(TITLES) if r() < 0.5 else ""
        if r() < 0.3:
            city = ""
        if r() < 0.05:
            first = first + " "
    return [rid, first, last, email, phone, cname, website, title, city,
            "FR" if p["french"] else "GB", source]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def pairwise(clusters: list[list[str]], truth: dict[str, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters against the truth."""
    from collections import Counter

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    predicted = sum(pairs(len(c)) for c in clusters)
    actual = sum(pairs(n) for n in Counter(truth.values()).values())
    cells: Counter[tuple[int, int]] = Counter()
    for k, c in enumerate(clusters):
        for rid in c:
            cells[(k, truth[rid])] += 1
    tp = sum(pairs(n) for n in cells.values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def clusters_from_dump(path: Path, source: str) -> list[list[str]]:
    out = []
    prefix = source + ":"
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            ids = [s[len(prefix):] for s in json.loads(line)["source_ids"]
                   if s.startswith(prefix)]
            out.append(ids)
    return out


def run_pipeline(csv_path: Path, work: Path, source: str = "bench") -> dict:
    """Import, dedupe and export, each in a process of its own as ``prospecting import``,
    ``dedupe`` and ``export`` run; return the timings, the dedupe's peak memory and CPU."""
    result: dict = {"fresh_s": []}
    for stage in ("import", "probe", "dedupe", "probe", "export"):
        child = subprocess.run(
            [sys.executable, __file__, "--child", stage, str(csv_path), str(work), source],
            check=True, capture_output=True, text=True,
        )
        got = json.loads(child.stdout.strip().splitlines()[-1])
        if stage == "probe":
            result["fresh_s"].append(got["fresh_s"])
        else:
            result.update(got)
    return result


FRESH_MIB = 256


def _fresh_memory_seconds() -> float:
    """Seconds to write FRESH_MIB MiB of memory this process never used: what the machine
    charges for the first touch of a page, which the dedupe pays millions of times (a
    virtual machine whose host reclaimed the guest's free memory gives it back slowly)."""
    import numpy as np

    started = time.perf_counter()
    block = np.empty(FRESH_MIB << 17)  # float64: 8 bytes each
    block.fill(1.0)
    return time.perf_counter() - started


def _child(stage: str, csv_path: str, work: str, source: str) -> None:
    from prospecting import api

    db = Path(work) / "bench.db"
    started = time.perf_counter()
    if stage == "probe":
        print(json.dumps({"fresh_s": _fresh_memory_seconds()}))
    elif stage == "import":
        api.import_files(db, [csv_path], source=source, id_column="record_id")
        print(json.dumps({"import_s": time.perf_counter() - started}))
    elif stage == "dedupe":
        before = _usage()
        report = api.dedupe(db)
        seconds = time.perf_counter() - started
        cpu = {key: after - before[key] for key, after in _usage().items()}
        print(json.dumps({
            "dedupe_s": seconds, "cpu": cpu,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            # The largest of the processes it forked (they share its pages until written).
            "helpers_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "pairs": report.details.get("pairs_scored", 0),
            "messages": list(report.messages)}))
    else:
        out = Path(work) / "people.jsonl"
        api.export(db, format="jsonl", out=out)
        print(json.dumps({"dump": str(out), "export_s": time.perf_counter() - started}))


def _usage() -> dict[str, float]:
    """CPU seconds and minor page faults so far, of this process and of the processes
    it forked and waited for (the dedupe's helpers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    forked = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"user": own.ru_utime, "system": own.ru_stime, "forked_user": forked.ru_utime,
            "forked_system": forked.ru_stime, "faults": own.ru_minflt + forked.ru_minflt}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, action="append", default=[],
                        help="distinct people to generate (1.51 source records each)")
    parser.add_argument("--records", type=int, action="append", default=[],
                        help="source records to generate (people until there are as many)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--child", nargs=4)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    sizes = [(n, None) for n in args.people] + [(people_for(n), n) for n in args.records]
    for people, records in sizes or [(10_000, None)]:
        work = args.keep or Path(tempfile.mkdtemp(prefix="dedupe-bench-"))
        try:
            _bench_one(people, args.seed, work, records)
        finally:
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)


def _bench_one(people: int, seed: int, work: Path, records: int | None = None) -> None:
    """Generate, import, dedupe and export `people` people (or as many of them as
    `records` source records hold) in `work`; print the figures."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows, truth = generate(people, seed, records)
    people = len(set(truth.values()))
    csv_path = work / f"people-{people}.csv"
    write_csv(csv_path, rows)
    (work / "bench.db").unlink(missing_ok=True)
    gen_s = time.perf_counter() - started
    result = run_pipeline(csv_path, work)
    clusters = clusters_from_dump(Path(result["dump"]), "bench")
    seen = [r for c in clusters for r in c]
    lost = len(truth) - len(set(seen))
    p, r, f1 = pairwise(clusters, truth)
    print(f"{people:>9,} people {len(rows):>9,} records  precision {p:.4f}  recall {r:.4f}"
          f"  F1 {f1:.4f}  dedupe {result['dedupe_s']:.1f}s  peak {result['peak_mb']:.0f}"
          f" MiB  pairs {result['pairs']:,}  lost {lost}  (import {result['import_s']:.1f}s"
          f", export {result['export_s']:.1f}s, generate {gen_s:.1f}s, {os.cpu_count()}"
          f" cpus; largest forked helper {result['helpers_peak_mb']:.0f} MiB)")
    # CPU seconds depend far less than wall time on what else the machine runs: the
    # figures to compare two runs on a shared machine by. System time is mostly
    # SQLite's reads and writes and first touches of fresh memory.
    cpu = result["cpu"]
    total = cpu["user"] + cpu["system"] + cpu["forked_user"] + cpu["forked_system"]
    print(f"    cpu: dedupe {total:.1f} s (this process: user {cpu['user']:.1f}, system"
          f" {cpu['system']:.1f}; forked helpers: user {cpu['forked_user']:.1f}, system"
          f" {cpu['forked_system']:.1f}), {cpu['faults'] / 1e6:.2f}M minor page faults")
    before, after = result["fresh_s"]
    print(f"    machine: {FRESH_MIB} MiB of fresh memory written in {before:.2f} s before"
          f" the dedupe (memory left free a while: 0.1 s or less where the host gives it"
          f" back quickly), {after:.2f} s after it (mostly memory the dedupe had just"
          f" freed)")
    for message in result["messages"]:
        print("   ", message)


if __name__ == "__main__":
    main()
