"""Stream a large, realistic people CSV for the benchmarks.

    python bench/gen_people.py OUT.csv --rows 1000000 [--seed 0] [--dup-rate 0.1]

The columns are those of ``data/demo/crm_export.csv`` (HubSpot-style headers, "Record ID"
unique per row). Half the companies are French, a quarter British, a quarter American;
each builds addresses with its own pattern (first.last@, f.last@, flast@, first@). A
``dup_rate`` fraction of rows restate an earlier person with the variations real exports
carry: capitals, dropped accents, nicknames, reformatted phones, a second address,
trailing spaces, swapped names.

Nothing is held per row: a person is a pure function of (seed, person number), so a
duplicate recomputes its original instead of remembering it, and memory stays flat
whatever ``rows`` is (about 35 MB resident for 1,000,000 rows).

Domains end in .example or .test; phone numbers come from the ranges kept for fiction
(01 99 00 xx xx and 06 39 98 xx xx, Ofcom's drama numbers, 555-0100 to 555-0199). Those
ranges hold about 40,000 numbers, so at a million rows a number is shared by about 18
people on average and up to ~130, and about 1% of distinct people share an address by
accident (two Julies at a first@ company). Both are traps a dedupe must survive: neither
a phone nor a first@ address alone proves two rows are one person.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

HEADERS = [
    "Record ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone Number",
    "Job Title",
    "Company Name",
    "Website URL",
    "City",
    "Country/Region",
    "Lifecycle Stage",
    "Lead Source",
    "Notes",
]
FIRST_RECORD_ID = 10_000_001
MAX_COMPANIES = 40_000
CHUNK_ROWS = 5_000

# fmt: off
FR_FEMALE = [
    "Amélie", "Élodie", "Camille", "Léa", "Margaux", "Céline", "Sophie", "Anaïs", "Manon",
    "Chloé", "Émilie", "Nathalie", "Isabelle", "Aurélie", "Gaëlle", "Noémie", "Marie-Claire",
    "Julie", "Pauline", "Mathilde", "Laure", "Océane", "Juliette", "Capucine", "Hélène", "Zoé",
    "Clémence", "Bérénice", "Solène", "Inès", "Agathe", "Maëlle", "Anne-Sophie", "Sandrine",
    "Valérie", "Corinne", "Virginie", "Audrey", "Élise", "Lucie", "Justine", "Morgane",
    "Estelle", "Coralie", "Marion", "Claire", "Louise", "Jeanne", "Victoire", "Margot",
]
FR_MALE = [
    "Jérôme", "Sébastien", "Benoît", "Thibaut", "Mathieu", "Julien", "Olivier", "Rémi", "Hervé",
    "Stéphane", "Antoine", "Guillaume", "Yannick", "Gaël", "Aurélien", "Jean-Baptiste",
    "Pierre-Henri", "Frédéric", "Éric", "Bertrand", "Arnaud", "Maxime", "Quentin", "Loïc",
    "François", "Jean-Pierre", "Grégoire", "Cédric", "Thierry", "Pascal", "Laurent", "Xavier",
    "Damien", "Romain", "Vincent", "Fabien", "Ludovic", "Bastien", "Clément", "Adrien",
    "Florian", "Hugo", "Baptiste", "Théo", "Lucas", "Alexandre", "Jean-Marc", "Régis",
    "Gilles", "Patrice",
]
FR_LAST = [
    "Martin", "Bernard", "Dubois", "Moreau", "Fournier", "Mercier", "Blanchard", "Lemoine",
    "Chevalier", "Gauthier", "Perrin", "Barbier", "Caron", "Boyer", "Lambert", "Dufresne",
    "Le Goff", "Le Bihan", "Morvan", "Tanguy", "Delacroix", "Deschamps", "Bouvier", "Collin",
    "Hamon", "Rivière", "Le Floch", "du Plessis", "de Saint-Aubin", "Morel-Jacquet", "Lefort",
    "Guérin", "Poirier", "Brunet", "Ménard", "Picard", "Royer", "Texier", "Bégué", "Lacroix",
    "Hébert", "Joly", "Renaud", "Meunier", "Vidal", "Jourdan", "Prévost", "Carré", "Marchal",
    "Chauvin", "Leroux", "d'Aubrac", "Lefèvre", "Girard", "Rousseau", "Aubry", "Marchand",
    "Leclerc", "Garnier-Roux", "de La Fontaine", "d'Herbelot", "Kerbrat", "Besnard",
    "Pelletier", "Vasseur", "Faure", "Benali", "Roussel", "Colin", "Noël", "Masson", "Dumont",
    "Fabre", "Clément", "Gaillard", "Huet", "Lebrun", "Rey", "Schmitt", "Müller", "Weber",
    "Arnaud", "Brun", "Roche", "Lemaire", "Dupuis", "Legrand", "Giraud", "Rolland", "Bonnet",
    "Fontaine", "Morin", "Robin", "Baron", "Perrot", "Laine", "Tessier", "Lejeune", "Besson",
    "Bertin", "Cordier", "Moulin", "Charpentier", "Da Silva", "Nguyen", "Haddad", "Ferreira",
    "Benoît-Lacaze", "Le Gall", "Le Roux", "Kermarrec", "Quéré", "Salaün", "Guillou",
    "Jaouen", "Corre", "Pichon", "Gilbert", "Langlois", "Mallet",
]
EN_FEMALE = [
    "Charlotte", "Emily", "Amelia", "Olivia", "Eleanor", "Siobhan", "Priya", "Aisha",
    "Jennifer", "Ashley", "Sarah", "Maria", "Brittany", "Keisha", "Rachel", "Laura", "Grace",
    "Lucy", "Natalie", "Danielle", "Holly", "Megan", "Katherine", "Elizabeth", "Jessica",
    "Hannah", "Rebecca", "Victoria", "Samantha", "Alexandra", "Margaret", "Patricia",
    "Deborah", "Nicole", "Stephanie", "Kimberly", "Chloe", "Isla", "Freya", "Zara", "Imogen",
    "Harriet", "Fiona", "Gemma", "Lauren", "Tiffany", "Monica", "Angela", "Denise", "Yasmin",
]
EN_MALE = [
    "Oliver", "Harry", "George", "James", "William", "Callum", "Mohammed", "Ravi", "Michael",
    "Daniel", "Christopher", "Matthew", "David", "Carlos", "Jamal", "Wei", "Andrew", "Samuel",
    "Ethan", "Nathan", "Connor", "Marcus", "Robert", "Thomas", "Richard", "Joseph", "Anthony",
    "Edward", "Benjamin", "Jonathan", "Nicholas", "Alexander", "Patrick", "Timothy", "Steven",
    "Kevin", "Brian", "Jason", "Tyler", "Rhys", "Owen", "Liam", "Declan", "Hamish", "Arjun",
    "Kwame", "Diego", "Luis", "Trevor", "Gregory",
]
EN_LAST = [
    "Jones", "Taylor", "Brown", "Wilson", "Roberts", "Wright", "Thompson", "Hughes", "Edwards",
    "Green", "Harris", "Clarke", "Patel", "Khan", "Fitzgerald", "Ashworth", "Pemberton",
    "McAllister", "Johnson", "Williams", "Davis", "Garcia", "Rodriguez", "Martinez",
    "Anderson", "Jackson", "White", "Lee", "Kim", "Carter", "Mitchell", "Reyes", "Sullivan",
    "O'Connor", "Bennett", "Fleming", "Hargreaves", "Okafor", "Lindqvist", "Delgado", "Park",
    "Whitaker", "Miller", "Walker", "O'Neill", "Nguyen", "Evans", "Wood", "Hall", "Lopez",
    "Brooks", "Cooper", "Smith", "Moore", "Clark", "Lewis", "Robinson", "Young", "King",
    "Scott", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Murphy", "Kelly", "Price",
    "Morgan", "Bell", "Murray", "Ward", "Watson", "Gray", "Stewart", "MacDonald", "Ross",
    "Henderson", "Fraser", "Hamilton", "Graham", "Reid", "Chapman", "Marshall", "Owen",
    "Lloyd", "Morris", "Turner", "Phillips", "Parker", "Collins", "Howard", "Ramirez",
    "Torres", "Flores", "Rivera", "Gomez", "Diaz", "Chen", "Wang", "Singh", "Shah", "Ali",
    "Ahmed", "Hussain", "Novak", "Kowalski", "Schultz", "Becker", "Olsen", "Larsen",
    "Jensen", "Doyle", "Byrne", "Quinn", "Gallagher", "Hayes", "Foster", "Barnes", "Holmes",
]
NICKNAMES = {
    "Robert": "Bob", "William": "Bill", "Elizabeth": "Liz", "Katherine": "Kate",
    "Michael": "Mike", "Christopher": "Chris", "Jennifer": "Jen", "Thomas": "Tom",
    "James": "Jim", "Richard": "Rick", "Joseph": "Joe", "Anthony": "Tony", "Edward": "Ed",
    "Benjamin": "Ben", "Jonathan": "Jon", "Nicholas": "Nick", "Alexander": "Alex",
    "Patrick": "Pat", "Timothy": "Tim", "Steven": "Steve", "Daniel": "Dan", "Matthew": "Matt",
    "Andrew": "Andy", "Samuel": "Sam", "Rebecca": "Becky", "Victoria": "Vicky",
    "Samantha": "Sam", "Alexandra": "Alex", "Margaret": "Maggie", "Patricia": "Trish",
    "Deborah": "Debbie", "Stephanie": "Steph", "Kimberly": "Kim", "David": "Dave",
    "Gregory": "Greg", "Jessica": "Jess",
}
FR_TITLES = [  # (masculine, feminine)
    ("Directeur commercial", "Directrice commerciale"), ("Responsable marketing",) * 2,
    ("PDG",) * 2, ("DAF",) * 2, ("Chargé d'affaires", "Chargée d'affaires"),
    ("Gérant", "Gérante"), ("DRH",) * 2, ("Head of Sales",) * 2,
    ("Directeur général", "Directrice générale"), ("Responsable achats",) * 2,
    ("Business developer",) * 2, ("Assistant de direction", "Assistante de direction"),
    ("Directeur des opérations", "Directrice des opérations"),
    ("Responsable grands comptes",) * 2, ("Chef de projet digital", "Cheffe de projet digital"),
    ("Comptable",) * 2, ("CTO",) * 2, ("Office manager",) * 2,
    ("Ingénieur commercial", "Ingénieure commerciale"), ("Responsable RSE",) * 2,
]
EN_TITLES = [
    "Sales Director", "Head of Marketing", "Managing Director", "Finance Director",
    "Operations Manager", "Business Development Manager", "HR Manager", "Office Manager",
    "CEO", "Procurement Lead", "Account Manager", "VP of Sales", "CFO", "Director of Marketing",
    "Account Executive", "Head of Growth", "Founder", "COO", "Sales Development Rep",
    "HR Director", "CTO", "IT Manager", "Customer Success Manager",
]
STAGES = (  # weighted by repetition
    ["Subscriber"] * 2 + ["Lead"] * 10 + ["Marketing Qualified Lead"] * 5
    + ["Sales Qualified Lead"] * 4 + ["Opportunity"] * 3 + ["Customer"] * 3 + ["Other"]
)
SOURCES = (
    ["Website"] * 6 + ["Trade show"] * 4 + ["Referral"] * 3 + ["LinkedIn"] * 4
    + ["Webinar"] * 2 + ["Cold outreach"] * 3 + ["Partner"] * 2
)
FR_NOTES = [
    "Rappeler en septembre", "Demande un devis pour 12 licences", "Budget ~15 k€ sur l'exercice",
    "A répondu « pas maintenant »", "Décision prise par la DAF, à mettre en copie",
    "Appel du 12/03 : intéressé\nEnvoyer la plaquette tarifaire",
]
EN_NOTES = [
    "Asked for a demo next quarter", "Follow up in March, after the budget review",
    "Uses a competitor; contract ends in June", "Said “send me the deck” on the call",
    "Met at the expo, wants pricing", "Prefers email, not calls",
]
BRAND_HEADS = [
    "Lum", "Azur", "Ker", "Vald", "Or", "Bel", "Mont", "Roc", "Sol", "Ner", "Alt", "Brev",
    "Cal", "Dor", "Ev", "Fal", "Gal", "Hal", "Ist", "Jov", "Kal", "Lor", "Mar", "Nov", "Ost",
    "Pol", "Quar", "Riv", "Sel", "Tal", "Ul", "Ver", "Wyn", "Xan", "Yv", "Zel", "Arg", "Bor",
    "Cor", "Del", "Esk", "Fer", "Gr", "Hel", "Il", "Jas", "Lyr", "Mer", "Nim", "Ond",
]
BRAND_TAILS = [
    "enia", "ys", "ora", "eo", "ix", "ance", "ium", "ea", "os", "ara", "ine", "alis", "ion",
    "ova", "et", "ane", "ia", "umo", "ence", "is", "ac", "ette", "ona", "era", "yx",
]
FR_SECTORS = [
    "Conseil", "Logistique", "Numérique", "Énergies", "Immobilier", "Industrie", "Services",
    "Santé", "Bâtiment", "Distribution", "Data", "Formation", "Transports", "Ingénierie",
    "Événements", "Finance",
]
EN_SECTORS = [
    "Analytics", "Logistics", "Software", "Energy", "Health", "Media", "Foods", "Legal",
    "Tooling", "Print", "Freight", "Robotics", "Supply", "Insurance", "Capital", "Labs",
]
# (city, weight, how to build a direct line from two numbers a < 1000 and b < 100)
FR_CITIES = ["Paris"] * 8 + ["Lyon"] * 3 + ["Nantes", "Rennes", "Bordeaux", "Lille"] * 2 + [
    "Toulouse", "Marseille", "Strasbourg", "Montpellier",
]
GB_CITIES = ["London"] * 6 + ["Manchester"] * 3 + ["Leeds", "Birmingham", "Bristol",
                                                   "Edinburgh", "Glasgow"]
GB_PREFIX = {  # Ofcom drama ranges: 020 7946 0xxx, 0161 496 0xxx, ...
    "London": "020 7946 0", "Manchester": "0161 496 0", "Leeds": "0113 496 0",
    "Birmingham": "0121 496 0", "Bristol": "0117 496 0", "Edinburgh": "0131 496 0",
    "Glasgow": "0141 496 0",
}
US_CITIES = {  # NANPA keeps 555-0100 to 555-0199 fictional under every area code
    "New York": ("212", "646", "718", "917", "347"), "Los Angeles": ("213", "310", "323", "818"),
    "Chicago": ("312", "773", "872"), "San Francisco": ("415", "628"), "Austin": ("512", "737"),
    "Boston": ("617", "857"), "Denver": ("303", "720"), "Seattle": ("206", "425"),
    "Atlanta": ("404", "470", "678"), "Miami": ("305", "786"), "Dallas": ("214", "469", "972"),
    "Houston": ("713", "281", "832"), "Philadelphia": ("215", "267"), "Phoenix": ("602", "480"),
    "San Diego": ("619", "858"), "Minneapolis": ("612",), "Portland": ("503", "971"),
    "Detroit": ("313",), "Nashville": ("615",), "Charlotte": ("704", "980"),
}
# fmt: on

PATTERN_SHARES = (0,) * 11 + (1,) * 4 + (2,) * 4 + (3,)
MASK = (1 << 64) - 1


def _mix(x: int) -> int:
    """splitmix64 finaliser: spreads consecutive person numbers over 64 bits."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return "".join(ch for ch in _fold(text).lower() if ch.isalnum() or ch == "-")


def _company(k: int) -> tuple:
    """Company number k -> (name, "@domain", website, city, country label, country, email
    pattern, switchboard, direct-line prefix, mobile prefix). Distinct k give distinct
    names and domains up to MAX_COMPANIES."""
    h = _mix(k ^ 0x5EED)
    country = ("FR", "FR", "GB", "US")[k % 4]
    if country == "FR":
        index, sectors = (k // 4) * 2 + k % 4, FR_SECTORS
    else:
        index, sectors = (k // 4) * 2 + (k % 4 == 3), EN_SECTORS
    # An affine permutation of the name space spreads neighbours over heads, tails and
    # sectors while keeping distinct indexes distinct.
    index = (index * 7919 + 1234) % (len(BRAND_HEADS) * len(BRAND_TAILS) * len(sectors))
    head = BRAND_HEADS[index % len(BRAND_HEADS)]
    index //= len(BRAND_HEADS)
    tail = BRAND_TAILS[index % len(BRAND_TAILS)]
    index //= len(BRAND_TAILS)
    sector = sectors[index % len(sectors)]
    brand = head + tail
    tld = ".example" if k % 3 else ".test"
    domain = f"{_slug(brand)}-{_slug(sector)}{tld}"
    website = ("https://www.", "https://", "www.", "http://www.")[h % 4] + domain
    h >>= 2
    # first.last@ 55%, f.last@ 20%, flast@ 20%, first@ 5% (small firms; it collides most)
    pattern = PATTERN_SHARES[h % len(PATTERN_SHARES)]
    h >>= 5
    b, a = h % 100, (h >> 7) % 1000
    h >>= 17
    if country == "FR":
        legal = ("SAS", "SAS", "SARL", "SA")[h % 4]
        city = FR_CITIES[(h >> 2) % len(FR_CITIES)]
        switchboard = f"01 99 00 {a % 100:02d} {b:02d}"
        label, direct, mobile = "France", "01 99 00 ", "06 39 98 "
    elif country == "GB":
        legal = ("Ltd", "Ltd", "Ltd", "PLC")[h % 4]
        city = GB_CITIES[(h >> 2) % len(GB_CITIES)]
        switchboard = f"{GB_PREFIX[city]}{a:03d}"
        label, direct, mobile = "United Kingdom", GB_PREFIX[city], "07700 900"
    else:
        legal = ("Inc.", "Inc.", "LLC", "Corp.")[h % 4]
        city = list(US_CITIES)[(h >> 2) % len(US_CITIES)]
        area_codes = US_CITIES[city]
        area = area_codes[(h >> 7) % len(area_codes)]
        switchboard = f"({area}) 555-01{b:02d}"
        label = "United States"
        direct = mobile = f"({area}) 555-01"
    name = f"{brand} {sector} {legal}"
    return (name, "@" + domain, website, city, label, country, pattern, switchboard, direct, mobile)


def _pools(
    female: list[str],
    male: list[str],
    last: list[str],
    titles: list[tuple[str, str]],
    notes: list[str],
) -> tuple:
    """Per-country lists, names paired with their email slug."""
    return (
        [(n, _slug(n)) for n in female],
        [(n, _slug(n)) for n in male],
        [(n, _slug(n)) for n in last],
        [fem for _, fem in titles],
        [masc for masc, _ in titles],
        notes,
    )


class _People:
    """Person number -> CSV fields, recomputed on demand (nothing is cached per person)."""

    def __init__(self, seed: int, companies: int) -> None:
        self.salt = _mix(seed)
        self.companies = [_company(k) for k in range(companies)]
        self.pools = {
            "FR": _pools(FR_FEMALE, FR_MALE, FR_LAST, FR_TITLES, FR_NOTES),
            "GB": _pools(EN_FEMALE, EN_MALE, EN_LAST, [(t, t) for t in EN_TITLES], EN_NOTES),
        }
        self.pools["US"] = self.pools["GB"]

    def fields(self, j: int) -> list[str]:
        h = _mix(j ^ self.salt)
        g = _mix(h)
        companies = self.companies
        n = len(companies)
        name, at_domain, website, city, label, country, pattern, switchboard, direct, mobile = (
            companies[h % n]
        )
        h //= n
        females, males, lasts, fem_titles, masc_titles, notes_pool = self.pools[country]
        if h & 1:
            firsts, titles = females, fem_titles
        else:
            firsts, titles = males, masc_titles
        h >>= 1
        first, fslug = firsts[h % len(firsts)]
        h //= 64
        last, lslug = lasts[h % len(lasts)]
        h //= 128
        title = titles[h % len(titles)]
        h //= 32

        email = ""
        if g % 20:  # 95% have an address
            if pattern == 0:
                email = fslug + "." + lslug + at_domain
            elif pattern == 1:
                email = fslug[0] + "." + lslug + at_domain
            elif pattern == 2:
                email = fslug[0] + lslug + at_domain
            else:
                email = fslug + at_domain
        g //= 20
        kind = g % 10  # 0-2 no phone, 3-4 the switchboard, 5-8 a direct line, 9 a mobile
        g //= 10
        x = g % 10000
        g //= 10000
        if kind < 3:
            phone = ""
        elif kind < 5:
            phone = switchboard
        elif country == "FR":
            phone = f"{mobile if kind == 9 else direct}{x // 100:02d} {x % 100:02d}"
        elif country == "GB":
            phone = f"{mobile if kind == 9 else direct}{x % 1000:03d}"
        else:
            phone = f"{direct}{x % 100:02d}"
        stage = STAGES[g % len(STAGES)]
        g //= 32
        source = SOURCES[g % len(SOURCES)]
        g //= 32
        notes = notes_pool[(g >> 3) % len(notes_pool)] if g % 8 == 0 else ""
        site = website if (g >> 9) % 10 else ""
        return ["", first, last, email, phone, title, name, site, city, label, stage, source, notes]


def _e164(phone: str, label: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if label == "United States":
        return "+1" + digits
    return ("+33" if label == "France" else "+44") + digits[1:]


def _vary(row: list[str], pick: int) -> None:
    """Restate a person the way a second export or a colleague's entry would."""
    if pick == 0:
        row[1], row[2] = row[1].upper(), row[2].upper()
    elif pick == 1:
        row[1], row[2] = _fold(row[1]), _fold(row[2])
    elif pick == 2:
        nick = NICKNAMES.get(row[1])
        if nick:
            first, row[1] = _slug(row[1]), nick
            if row[3].startswith(first):  # first.last@ and first@ follow the nickname
                row[3] = _slug(nick) + row[3][len(first) :]
        else:
            row[1], row[2] = row[1].replace("-", " "), row[2].replace("-", " ")
    elif pick == 3 and row[4]:
        row[4] = _e164(row[4], row[9])
    elif pick == 4:
        row[3] = row[3].upper()
    elif pick == 5:
        row[1], row[2], row[3] = row[1] + " ", row[2] + " ", row[3] + " " if row[3] else ""
    elif pick == 6:
        row[3] = f"{_slug(row[1])}.{_slug(row[2])}@freemail.test"
    elif pick == 7:
        row[3] = ""
    elif pick == 8:
        row[1], row[2] = row[2], row[1]
    else:
        row[6] = row[6].rsplit(" ", 1)[0].upper() if pick == 9 else row[6].rsplit(" ", 1)[0]
        row[7] = ""


def write_people_csv(
    path: str | os.PathLike[str], rows: int, seed: int = 0, dup_rate: float = 0.1
) -> None:
    """Write ``rows`` people (header excluded) to ``path``, UTF-8, comma-delimited.

    Same arguments, same bytes. About ``dup_rate`` of the rows restate an earlier person
    (any earlier one, so duplicates sit far apart as in real files) with one or two
    variations; every row still gets its own Record ID.
    """
    if rows < 0:
        raise ValueError(f"rows must be >= 0, got {rows}")
    if not 0.0 <= dup_rate < 1.0:
        raise ValueError(f"dup_rate must be in [0, 1), got {dup_rate}")
    rng = random.Random(seed)
    rand = rng.random
    people = _People(seed, min(MAX_COMPANIES, max(20, rows // 25)))
    fields = people.fields
    persons = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(HEADERS)
        chunk: list[list[str]] = []
        for i in range(rows):
            if persons and rand() < dup_rate:
                row = fields(int(rand() * persons))
                _vary(row, int(rand() * 11))
                if rand() < 0.3:
                    _vary(row, int(rand() * 11))
            else:
                row = fields(persons)
                persons += 1
            row[0] = str(FIRST_RECORD_ID + i)
            chunk.append(row)
            if len(chunk) == CHUNK_ROWS:
                writer.writerows(chunk)
                chunk.clear()
        writer.writerows(chunk)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a realistic people CSV for benchmarks.")
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=100_000, help="data rows (default 100000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--dup-rate",
        type=float,
        default=0.1,
        help="share of rows that restate an earlier person (default 0.1)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    write_people_csv(args.out, args.rows, seed=args.seed, dup_rate=args.dup_rate)
    seconds = time.perf_counter() - start
    size_mb = args.out.stat().st_size / 1e6
    print(
        f"wrote {args.rows:,} rows to {args.out} ({size_mb:,.1f} MB) in {seconds:.2f} s: "
        f"{args.rows / max(seconds, 1e-9):,.0f} rows/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
