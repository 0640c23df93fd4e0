"""A labelled set of duplicate B2B contacts, written the way inbound sources write them.

    python bench/dedupe_sources.py --out DIR [--people 8000] [--seed 3031977]
    python bench/compare_splink.py --csv DIR/contacts.csv --id-column record_id \
        --truth-column entity [--project-python .venv/bin/python]

A second generator beside ``bench/dedupe.py``'s, built another way, so that the
matcher is not tuned to one dataset:

* companies first, of very uneven sizes (Pareto), 60 % French, 30 % British and
  American, 10 % German, Belgian and Swiss, each country with its legal forms,
  domains and phone plan; people are a company's staff;
* every copy of a person, the first included, comes from a source with its habits: a
  trade-show badge scan, a webinar sign-up typed by the person, a bought data list
  (ASCII, legal names, switchboards), an email signature, a sales rep's entry;
* people keep habits across sources (a nickname they always use, one personal
  free-mail address, one mobile); companies have a switchboard, an address pattern
  and an alias pattern;
* a third of the people appear two or three times; hard negatives: namesakes at other
  companies, namesakes at the same company (another address, title and mobile),
  relatives sharing a surname and a switchboard. No job changes; titles are kept or
  left out, never changed.

Writes ``contacts.csv`` (``entity`` is the truth: one value per real person) and
``contacts-meta.jsonl`` (each record's source and variations).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import unicodedata
from pathlib import Path

SEED = 3_031_977
W = str.split

FR_FIRST = W("Yannick Gwenaël Ronan Maëlys Soizic Lucien Armelle Ghislaine Rémi Aurore Blandine "
             "Corentin Édouard Éloïse Fabrice Florent Gérald Hortense Irène Jacqueline Karim "
             "Leïla Mehdi Nadia Océane Pascale Régis Sabine Tanguy Xavier Yvonne Zacharie "
             "Stéphanie Emmanuel Emmanuelle Catherine Dominique Frédérique Alexandra Véronique "
             "Joséphine Isabelle Valentin Maximilien Nathalie Sébastien Bernadette Gilles "
             "Hélène Ludovic Margot Mathéo Noëlle Perrine Quitterie Solène Thibault Anaïs "
             "Baptiste Cyrille Delphine Estelle Gaëtan Jérémie Laetitia Morgane Raphaëlle")
FR_COMPOUND = W("Jean-Pierre Jean-Paul Jean-Baptiste Marie-Pierre Marie-Paule Anne-Laure "
                "Pierre-Alexandre Marie-Noëlle Jean-Philippe Paul-Henri Marie-Agnès")
EN_FIRST = W("Robert Catherine Theodore Patrick Siobhan Declan Eoin Callum Hamish Tyler "
             "Brandon Madison Kimberly Gregory Lawrence Frederick Nathaniel Dorothy Eleanor "
             "Harold Penelope Raymond Rosemary Ronald Gerald Douglas Zachary Priya Rajesh "
             "Mohammed Imogen Tobias Bethany Cormac Fergus Ruth Stuart Wendy Leonard Beverley "
             "Clifford Marcus Nigel Yvette Kieran Aoife Dwayne Shannon Trevor Valerie")
DE_FIRST = W("Jürgen Jörg Günther Klaus Dieter Uwe Ursula Bärbel Käthe Wolfgang Johannes "
             "Friedrich Margarethe Elisabeth Christoph Matthias Pieter Joris Wouter Annelies "
             "Liesbeth Geert Koen Urs Reto Beat Corinne Rahel Lukas Jolanda Björn Sönke")
NICK = {  # formal -> nicknames (FR, EN, DE)
    "Robert": ["Bob", "Rob", "Bobby"], "Catherine": ["Kate", "Cathy", "Cath"],
    "Theodore": ["Ted", "Theo"], "Patrick": ["Paddy", "Pat"], "Kimberly": ["Kim"],
    "Gregory": ["Greg"], "Lawrence": ["Larry", "Laurie"], "Frederick": ["Fred", "Freddie"],
    "Nathaniel": ["Nate", "Nat"], "Dorothy": ["Dot", "Dottie"], "Eleanor": ["Ellie", "Nell"],
    "Harold": ["Harry", "Hal"], "Penelope": ["Penny"], "Raymond": ["Ray"],
    "Rosemary": ["Rosie"], "Ronald": ["Ron", "Ronnie"], "Gerald": ["Gerry"],
    "Douglas": ["Doug"], "Zachary": ["Zach", "Zack"], "Rajesh": ["Raj"],
    "Mohammed": ["Mohamed", "Muhammad", "Mo"], "Tobias": ["Toby"], "Bethany": ["Beth"],
    "Leonard": ["Len", "Leo"], "Clifford": ["Cliff"], "Valerie": ["Val"],
    "Jean-Pierre": ["JP", "J.-P.", "Jean Pierre"], "Jean-Paul": ["JP", "J.-P."],
    "Jean-Baptiste": ["JB", "J.-B."], "Marie-Pierre": ["MP", "M.-P."],
    "Anne-Laure": ["A.-L.", "Anne Laure"], "Pierre-Alexandre": ["PA", "P.-A."],
    "Jean-Philippe": ["JP", "J.-Ph."], "Paul-Henri": ["P.-H."],
    "Stéphanie": ["Fanny", "Steph"], "Emmanuel": ["Manu"], "Emmanuelle": ["Manue", "Manu"],
    "Catherine_fr": ["Cathy", "Cath"], "Dominique": ["Dom"], "Frédérique": ["Fred"],
    "Alexandra": ["Alex", "Sandra"], "Véronique": ["Véro"], "Joséphine": ["Josy", "Fifi"],
    "Isabelle": ["Isa", "Babette"], "Valentin": ["Val"], "Maximilien": ["Max"],
    "Nathalie": ["Nath"], "Sébastien": ["Seb", "Séb"], "Bernadette": ["Bernie"],
    "Raphaëlle": ["Raph"], "Jérémie": ["Jerem"],
    "Wolfgang": ["Wolf"], "Johannes": ["Hannes", "Johann"], "Friedrich": ["Fritz"],
    "Margarethe": ["Grete", "Gretel"], "Elisabeth": ["Lisa", "Sissi", "Elli"],
    "Matthias": ["Matze"], "Christoph": ["Chris"], "Liesbeth": ["Lies"], "Lukas": ["Luki"],
}
FR_LAST = W("Le_Goff Le_Gall Kerbrat Quéméner Lefèvre Lemaître Gauthier Bonnaud Chauvin "
            "Rousseau Giraud Mercier Boyer Garnier Chevalier Faure Barbier Arnaud Meunier "
            "Brunet Blanchard Guérin Renaud Perrin Charpentier Morel Fontaine Roussel Caron "
            "Dupont de_La_Fontaine d'Aubigné N'Diaye Benali Haddad Nguyen Da_Silva "
            "Dos_Santos Pereira Mazoyer Pétrequin Bézier Crémieux Lévêque Hénaff Jégou "
            "Béranger Desjardins Saint-Clair Vasseur Lacroix Maréchal Poirier Baudoin "
            "Texier Colin Hamon Prigent Tessier Ollivier Rivière Lebrun Besnard Cordier "
            "Marchal Guillot Huet Leblanc Carré Millet Collet Bouvier Masson Aubert Rey")
EN_LAST = W("O'Brien McDonald MacLeod Fitzgerald Patel Khan Okafor Nowak Kowalski Henderson "
            "Ferguson Whitaker Ashworth Blackwood Hartley Pemberton Fairbanks Gallagher "
            "Kennedy Murphy Doyle Sullivan Rodriguez Garcia Hernandez Schwartz Goldberg "
            "Cohen Washington Brooks Coleman Foster Hayes Jenkins Price Russell Sanders "
            "Thornton Holloway Whitfield Crawford Sinclair Abernathy Lindqvist O'Neill "
            "McAllister Ramsay Chowdhury Adeyemi Kaminski Delaney Harrington Vaughan")
DE_LAST = W("Müller Schröder Weiß Köhler Böhm Krüger Jäger Hoffmann Schäfer Vogel Zimmermann "
            "Hartmann Lehmann Neumann Schwarz Janssens Peeters Maes Claes Wouters Lambert "
            "Dupuis Van_Damme De_Smet Vandenberghe Meier Keller Huber Brunner Gerber "
            "Baumann Frei Zbinden Steiner Würth Schmid Gruber")

COUNTRY = {  # code: (share, names as sources write them, tld, free-mail, cities)
    "FR": (0.60, ["France", "FR", "FRANCE"], "fr",
           ["orange.fr", "sfr.fr", "free.fr", "gmail.com", "laposte.net", "yahoo.fr"],
           ["Paris", "Lyon", "Nantes", "Rennes", "Brest", "Grenoble", "Lille", "Strasbourg",
            "Montpellier", "Toulouse", "Bordeaux", "Nice", "Angers", "Dijon", "Rouen",
            "Clermont-Ferrand", "Tours", "Annecy", "Saint-Étienne", "Aix-en-Provence"]),
    "GB": (0.16, ["United Kingdom", "UK", "GB"], "co.uk",
           ["gmail.com", "btinternet.com", "hotmail.co.uk", "icloud.com", "sky.com"],
           ["London", "Edinburgh", "Cardiff", "Reading", "Cambridge", "Oxford", "Leeds",
            "Sheffield", "Nottingham", "Belfast", "Aberdeen", "York"]),
    "US": (0.14, ["United States", "USA", "US"], "com",
           ["gmail.com", "yahoo.com", "icloud.com", "outlook.com", "aol.com"],
           ["New York", "Chicago", "Seattle", "Atlanta", "San Francisco", "Portland",
            "Pittsburgh", "Miami", "Dallas", "Minneapolis"]),
    "DE": (0.045, ["Germany", "Deutschland", "DE"], "de",
           ["gmx.de", "web.de", "t-online.de", "gmail.com"],
           ["München", "Köln", "Düsseldorf", "Hamburg", "Frankfurt am Main", "Stuttgart"]),
    "BE": (0.03, ["Belgium", "Belgique", "België"], "be",
           ["skynet.be", "telenet.be", "gmail.com"],
           ["Bruxelles", "Liège", "Gent", "Antwerpen", "Namur", "Leuven"]),
    "CH": (0.025, ["Switzerland", "Suisse", "Schweiz", "CH"], "ch",
           ["bluewin.ch", "gmx.ch", "gmail.com"],
           ["Zürich", "Genève", "Lausanne", "Basel", "Bern", "Neuchâtel"]),
}
CITY_VARIANTS = {"Paris": ["Paris 8e", "PARIS", "Paris La Défense"], "Lyon": ["Villeurbanne",
                 "LYON 3"], "London": ["London, UK", "Greater London"], "New York": ["NYC",
                 "New York, NY"], "München": ["Munich", "Muenchen"], "Köln": ["Cologne"],
                 "Genève": ["Geneva", "Geneve"], "Bruxelles": ["Brussels", "Brussel"],
                 "Zürich": ["Zurich", "Zuerich"], "Saint-Étienne": ["St-Etienne"],
                 "Antwerpen": ["Anvers"], "Gent": ["Gand"]}
LEGAL = {"FR": ["SAS", "SARL", "SA", "SASU", "SCOP", "SNC"], "GB": ["Ltd", "Limited", "plc", "LLP"],
         "US": ["Inc.", "LLC", "Corp.", "Inc"], "DE": ["GmbH", "AG", "GmbH & Co. KG"],
         "BE": ["SRL", "BV", "NV", "SA"], "CH": ["AG", "SA", "Sàrl", "GmbH"]}
LEGAL_LONG = {"Ltd": "Limited", "Limited": "Ltd", "Inc.": "Incorporated", "Corp.": "Corporation",
              "Inc": "Inc.", "LLC": "L.L.C.", "SARL": "S.A.R.L.", "SAS": "S.A.S.", "SA": "S.A."}
FR_CO = (["{S} Frères", "Cabinet {S}", "{X} Conseil", "{X} Ingénierie", "Laboratoires {S}",
          "Imprimerie du {X}", "Groupe {S}", "{X} Énergies", "Menuiserie {S} et Fils",
          "Société Générale de {N}", "{X} Mécanique", "Atelier {S}", "{X} Logistique",
          "Compagnie des {N2}", "Transports {S}", "{S}-{S2}", "{X} {N}", "{N} {S}",
          "Garage {S}", "Pharmacie {X}", "Boulangerie {S}", "{S} Immobilier", "Studio {X}",
          "{X} Nettoyage", "Agence {X}", "{S} Avocats", "Clinique du {X}", "{X} Bio"])
FR_X = W("Armor Cévennes Iroise Vercors Garonne Morvan Quercy Léman Ardèche Émeraude Sologne "
         "Corsaire Boréal Étoile Mistral Hermine Pyrène Lutèce Gascogne Médoc Aubrac Causses "
         "Camargue Lubéron Chartreuse Belledonne Oisans Trégor Léon Cornouaille Vendée Loire "
         "Durance Dordogne Périgord Limousin Forez Velay Artois Picardie Vexin Valois Hurepoix "
         "Beauce Perche Bocage Marais Estuaire Falaise Goéland Albatros Cèdre Olivier Tilleul")
FR_N = W("Chaudronnerie Façades Équipements Étanchéité Télécoms Matériaux Câblage Forages "
         "Menuiserie Peinture Plomberie Électricité Paysages Emballages Composites Fermetures")
FR_N2 = W("Eaux Transports Verreries Salines Forges Tanneries")
EN_CO = ["{S} & Partners", "{S} Brothers", "{X} Analytics", "{X} Engineering", "{X} Capital",
         "{S} and Sons", "{X} Software", "{X} Logistics", "{S}-{S2} Associates",
         "The {X} Group", "{X} Health Systems", "{X} Data Services", "{S} Consulting",
         "{X} Foods", "{S} Legal", "{X} Robotics", "{S} {X}", "{X} Media", "{S} Motors"]
EN_X = W("Larkspur Heron Granite Redwood Bluebell Foxglove Keystone Harbourside Summit "
         "Cobalt Evergreen Meridian Saltmarsh Windmill Ironbridge Juniper Lakeshore Pinecrest "
         "Silverbirch Stonegate Riverbend Northgate Copperfield Hawthorn Marigold Bluewater "
         "Fieldstone Ashgrove Clearwater Brightside Oakridge Westbury Kingsway Falcon Osprey")
DE_CO = ["{S} Maschinenbau", "{X} Technik", "{S} & Söhne", "{X} Präzisionswerke",
         "Brauerei {S}", "{X} Lösungen", "{S} Bäckerei", "{X} Gebäudetechnik"]
DE_X = W("Alpen Rhein Nordstern Bodensee Jura Eiger Ardennen Schelde Mosel Taunus Säntis "
         "Harz Eifel Spessart Allgäu Emmental Kempen Brabant Lahn Neckar Ruhr Donau Pilatus")
DE_CO += ["{S} Elektro", "{X} Logistik", "{S} Holzbau", "{X} Medizintechnik", "{S} {X}"]
ABBR = {"Ingénierie": "Ing.", "Laboratoires": "Labo", "Engineering": "Eng.", "Brothers": "Bros",
        "Associates": "Assoc.", "Société Générale de": "SGE", "Compagnie": "Cie",
        "Maschinenbau": "Masch.", "Logistique": "Log.", "Logistics": "Log.", "Technik": "Tech.",
        "Software": "Soft", "Conseil": "Cons.", "Services": "Svcs", "Mécanique": "Méca",
        " et ": " & ", " and ": " & ", " & ": " and "}
TITLES = {"FR": ["Directeur des achats", "Responsable RH", "Acheteuse", "Contrôleur de gestion",
                 "Directrice financière", "Ingénieur d'affaires", "Responsable logistique",
                 "Chargée de communication", "Directeur technique", "Gérant",
                 "Responsable qualité", "Office manager", "Directeur d'usine", "DSI"],
          "EN": ["Head of Procurement", "HR Business Partner", "Buyer", "Financial Controller",
                 "CFO", "Account Executive", "Supply Chain Lead", "Comms Officer", "VP Engineering",
                 "Owner", "QA Lead", "Office Manager", "Plant Manager", "IT Director"],
          "DE": ["Einkaufsleiter", "Personalreferentin", "Geschäftsführer", "Controller",
                 "Leiter Technik", "Vertriebsleiterin", "Qualitätsmanager", "Prokurist"]}
PATTERNS = ["first.last", "flast", "first", "f.last", "firstl", "last.first", "first_last",
            "last"]
SOURCES = ["salon", "webinar", "vendor", "signature", "rep"]
SOURCE_W = [0.2, 0.2, 0.25, 0.15, 0.2]


def plain(s):
    s = s.replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def umlaut_e(s):
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"),
                 ("ß", "ss")):
        s = s.replace(a, b)
    return s


def slug(s):
    return "".join(c for c in plain(s).lower() if c.isalnum())


def local(pattern, first, last):
    f, s = slug(first), slug(last)
    return {"first.last": f"{f}.{s}", "flast": f"{f[:1]}{s}", "first": f,
            "f.last": f"{f[:1]}.{s}", "firstl": f"{f}{s[:1]}", "last.first": f"{s}.{f}",
            "first_last": f"{f}_{s}", "last": s}[pattern]


KEYS = ["azertyuiop", "qsdfghjklm", "wxcvbn"]


def typo(rng, w):
    """Keyboard / OCR / hearing typos."""
    if len(w) < 4:
        return w, "none"
    i = rng.randrange(1, len(w) - 1)
    k = rng.random()
    if k < 0.25:
        return w[:i] + w[i + 1:], "drop"
    if k < 0.45:
        return w[:i] + w[i] + w[i:], "double"
    if k < 0.65:
        return w[:i - 1] + w[i] + w[i - 1] + w[i + 1:], "swap"
    if k < 0.8 and "m" in w[1:]:
        j = w.index("m", 1)
        return w[:j] + "rn" + w[j + 1:], "ocr_rn"
    row = next((r for r in KEYS if w[i].lower() in r), None)
    if row:
        j = row.index(w[i].lower())
        n = row[j + 1] if j + 1 < len(row) else row[j - 1]
        return w[:i] + n + w[i + 1:], "adjacent"
    return w[:i] + w[i + 1:], "drop"


def digits_mobile(rng, cc):
    if cc == "FR":
        return "33", rng.choice("67") + "".join(rng.choice("0123456789") for _ in range(8))
    if cc == "GB":
        return "44", "7" + rng.choice("4579") + "".join(rng.choice("0123456789") for _ in range(8))
    if cc == "US":
        return "1", rng.choice(["212", "312", "206", "404", "415", "503", "412", "305"]) + \
            "555" + "".join(rng.choice("0123456789") for _ in range(4))
    if cc == "DE":
        return "49", "1" + rng.choice(["51", "52", "60", "70", "76"]) + \
            "".join(rng.choice("0123456789") for _ in range(7))
    if cc == "BE":
        return "32", "4" + rng.choice("789") + "".join(rng.choice("0123456789") for _ in range(7))
    return "41", "7" + rng.choice("6789") + "".join(rng.choice("0123456789") for _ in range(7))


def digits_landline(rng, cc):
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    return {"FR": ("33", rng.choice("12345") + d(8)), "GB": ("44", "20" + d(8)),
            "US": ("1", rng.choice(["212", "312", "206"]) + "555" + d(4)),
            "DE": ("49", rng.choice(["89", "221", "40"]) + d(7)),
            "BE": ("32", "2" + d(7)), "CH": ("41", rng.choice(["44", "22", "21"]) + d(7))}[cc]


def fmt_phone(rng, cc, nsn, style):
    """style: 'intl' (+cc spaced), 'e164', 'local', '00', 'paren0' (+cc (0)...), 'dots'."""
    cc_num, n = nsn
    if cc_num == "1":
        a, b, c = n[:3], n[3:6], n[6:]
        return {"intl": f"+1 {a} {b} {c}", "e164": f"+1{n}", "local": f"({a}) {b}-{c}",
                "00": f"001 {a}-{b}-{c}", "paren0": f"+1 ({a}) {b}-{c}",
                "dots": f"{a}.{b}.{c}"}[style], style
    if cc_num == "33":
        pairs = " ".join(n[i:i + 2] for i in range(1, 9, 2))
        return {"intl": f"+33 {n[0]} {pairs}", "e164": f"+33{n}", "local": f"0{n[0]} {pairs}",
                "00": f"0033 {n[0]} {pairs}", "paren0": f"+33 (0){n[0]} {pairs}",
                "dots": f"0{n[0]}." + pairs.replace(" ", ".")}[style], style
    if cc_num == "44":
        if n.startswith("20"):
            a, b = n[:2], f"{n[2:6]} {n[6:]}"
        else:
            a, b = n[:4], n[4:]
        return {"intl": f"+44 {a} {b}", "e164": f"+44{n}", "local": f"0{a} {b}",
                "00": f"0044 {a} {b}", "paren0": f"+44 (0){a} {b}",
                "dots": f"0{a}.{b.replace(' ', '.')}"}[style], style
    a, b = n[:3] if n[0] in "14789" else n[:2], n[3:] if n[0] in "14789" else n[2:]
    return {"intl": f"+{cc_num} {a} {b}", "e164": f"+{cc_num}{n}", "local": f"0{a} {b}",
            "00": f"00{cc_num} {a} {b}", "paren0": f"+{cc_num} (0){a}-{b}",
            "dots": f"0{a}/{b}"}[style], style


def make_company(rng, i, cc, used_domains, used_brands):
    german = cc in ("DE", "CH") or (cc == "BE" and rng.random() < 0.5)
    lang = "FR" if cc == "FR" else ("DE" if german else ("FR" if cc == "BE" else "EN"))
    if lang == "FR":
        tpl, X, S = rng.choice(FR_CO), rng.choice(FR_X), rng.choice(FR_LAST).replace("_", " ")
    elif lang == "DE":
        tpl, X, S = rng.choice(DE_CO), rng.choice(DE_X), rng.choice(DE_LAST).replace("_", " ")
    else:
        tpl, X, S = rng.choice(EN_CO), rng.choice(EN_X), rng.choice(EN_LAST)
    S2 = rng.choice({"FR": FR_LAST, "DE": DE_LAST}.get(lang, EN_LAST)).replace("_", " ")
    brand = tpl.format(S=S, X=X, N=rng.choice(FR_N), N2=rng.choice(FR_N2), S2=S2)
    for v in "AEÉIOU":
        brand = brand.replace(f" de {v}", f" d'{v}")
    brand = brand.replace("du Picardie", "de Picardie").replace("du Vendée", "de Vendée")
    if brand in used_brands and rng.random() < 0.97:
        return None
    form = rng.choice(LEGAL[cc])
    words = [w for w in brand.replace("-", " ").split() if w[0].isupper() and w not in ("The",)]
    acronym = "".join(plain(w)[0] for w in words).upper() if len(words) >= 3 else None
    used_brands.add(brand)
    dom = slug(brand.replace("The ", ""))[:24]
    tld = COUNTRY[cc][2]
    if (dom, tld) in used_domains:
        dom = f"{dom}{rng.choice(['-', ''])}{rng.choice(['group', 'sa', 'online', str(i % 97)])}"
    used_domains.add((dom, tld))
    pat = rng.choices(PATTERNS, [40, 20, 6, 10, 6, 6, 6, 6])[0]
    alt = rng.choice([p for p in PATTERNS[:6] if p != pat])
    return {"id": i, "cc": cc, "lang": lang, "brand": brand, "form": form, "acronym": acronym,
            "domain": f"{dom}.{tld}", "pattern": pat, "alt_pattern": alt,
            "switchboard": digits_landline(rng, cc), "city": rng.choice(COUNTRY[cc][4]),
            "staff": []}


def pick_name(rng, lang):
    if lang == "FR":
        first = rng.choice(FR_COMPOUND) if rng.random() < 0.12 else rng.choice(FR_FIRST)
        last = rng.choice(FR_LAST)
    elif lang == "DE":
        first, last = rng.choice(DE_FIRST), rng.choice(DE_LAST)
    else:
        first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
    if rng.random() < 0.08:  # mixed origins
        last = rng.choice(FR_LAST + EN_LAST + DE_LAST)
    return first, last.replace("_", " ")


def nicks(first, lang):
    if first == "Catherine" and lang == "FR":
        return NICK["Catherine_fr"]
    return NICK.get(first, [])


def generate(people: int = 8000, companies_n: int | None = None, seed: int = SEED):
    n_companies = companies_n or max(1, people * 5 // 16)
    rng = random.Random(seed)
    codes = list(COUNTRY)
    used_domains = set()
    companies, used_brands = [], set()
    while len(companies) < n_companies:
        cc = rng.choices(codes, [COUNTRY[c][0] for c in codes])[0]
        c = make_company(rng, len(companies), cc, used_domains, used_brands)
        if c:
            companies.append(c)
    weight = [min(rng.paretovariate(1.3), 40) for _ in companies]
    persons = []
    used_emails = set()

    def add(first, last, comp, relation=None, partner=None, title=None, pattern=None):
        lp = local(pattern or comp["pattern"], first, last)
        email = f"{lp}@{comp['domain']}"
        k = 2
        while email in used_emails:  # same-company namesake: numbered or middle initial
            email = (f"{lp}{k}@{comp['domain']}" if rng.random() < 0.6 else
                     f"{lp.replace('.', '.' + rng.choice('abcdefghjlmnprst') + '.', 1)}"
                     f"@{comp['domain']}")
            k += 1
        used_emails.add(email)
        alt = f"{local(comp['alt_pattern'], first, last)}@{comp['domain']}"
        if alt in used_emails or alt == email:
            alt = None
        else:
            used_emails.add(alt)
        lang = comp["lang"] if rng.random() < 0.9 else rng.choice(["FR", "EN", "DE"])
        ns = nicks(first, lang)
        pref_nick = rng.choice(ns) if ns and rng.random() < 0.45 else None
        fm_first = slug(pref_nick or first) if rng.random() < 0.6 else slug(first)[:1]
        free = (f"{fm_first}{rng.choice(['.', '', '_'])}{slug(last)}"
                f"{rng.choice(['', str(rng.randrange(1950, 2002)), str(rng.randrange(1, 99))])}"
                f"@{rng.choice(COUNTRY[comp['cc']][3])}")
        p = {"entity": f"E{len(persons) + 1:05d}", "first": first, "last": last,
             "company": comp["id"], "cc": comp["cc"], "lang": comp["lang"],
             "title": title or rng.choice(TITLES[comp["lang"]]), "email": email,
             "alt_email": alt, "free_email": free, "mobile": digits_mobile(rng, comp["cc"]),
             "pref_nick": pref_nick, "relation": relation, "partner": partner}
        persons.append(p)
        comp["staff"].append(p)
        return p

    for comp in companies:  # every company has someone
        add(*pick_name(rng, comp["lang"]), comp)
    while len(persons) < people:
        comp = rng.choices(companies, weight)[0]
        r = rng.random()
        if r < 0.035:  # namesake at another company of the same country
            o = rng.choice(persons)
            others = [c for c in rng.sample(companies, 40) if c["cc"] == o["cc"]
                      and c["id"] != o["company"]]
            if others:
                add(o["first"], o["last"], others[0], "namesake_other", o["entity"])
        elif r < 0.05:  # namesake at the SAME company: other address, other title
            o = rng.choice(persons)
            c = companies[o["company"]]
            t = rng.choice([t for t in TITLES[c["lang"]] if t != o["title"]])
            add(o["first"], o["last"], c, "namesake_same_company", o["entity"], title=t,
                pattern=rng.choice([c["pattern"], c["alt_pattern"]]))
        elif r < 0.075:  # relative: same surname, same company, shares the switchboard
            o = rng.choice(persons)
            c = companies[o["company"]]
            if rng.random() < 0.5:
                pool = [f for f in FR_FIRST + FR_COMPOUND + EN_FIRST + DE_FIRST
                        if f[0] == o["first"][0] and f != o["first"]]
                f2 = rng.choice(pool) if pool else pick_name(rng, c["lang"])[0]
            else:
                f2 = pick_name(rng, c["lang"])[0]
            if f2 == o["first"]:
                continue
            o["shares_switchboard"] = True
            p = add(f2, o["last"], c, "relative", o["entity"])
            p["shares_switchboard"] = True
        else:
            add(*pick_name(rng, comp["lang"]), comp)
    return rng, companies, persons


def company_text(rng, c, source, tags):
    brand, form = c["brand"], c["form"]
    r = rng.random
    if source == "vendor":
        name = f"{brand} {form}" if c["cc"] != "FR" or r() < 0.7 else f"{form} {brand}"
        tags.append("co_legal")
        if r() < 0.35:
            name = name.upper()
            tags.append("co_upper")
        if r() < 0.15 and form in LEGAL_LONG:
            name = name.replace(form, LEGAL_LONG[form])
            tags.append("co_form_spelling")
        return plain(name) if r() < 0.5 else name
    if source == "salon":
        name = brand
        if r() < 0.3:
            name = name.upper()
            tags.append("co_upper")
        if c["acronym"] and r() < 0.15:
            name = c["acronym"]
            tags.append("co_acronym")
        return name
    if source == "webinar":
        if r() < 0.1:
            tags.append("co_missing")
            return ""
        name = brand
        k = r()
        if k < 0.25:
            name = name.lower()
            tags.append("co_lower")
        elif k < 0.4 and c["acronym"]:
            name = c["acronym"] if r() < 0.5 else c["acronym"].lower()
            tags.append("co_acronym")
        elif k < 0.55:
            name = abbreviate(name, tags)
        if r() < 0.06:
            w = name.split()
            i = max(range(len(w)), key=lambda j: len(w[j]))
            w[i], _ = typo(rng, w[i])
            name = " ".join(w)
            tags.append("co_typo")
        if r() < 0.3:
            name = plain(name)
        return name
    if source == "signature":
        if r() < 0.3:
            tags.append("co_legal")
            return f"{brand} {form}"
        return brand
    # rep
    k = r()
    if k < 0.15:
        tags.append("co_missing")
        return ""
    if k < 0.35:
        tags.append("co_legal")
        return f"{brand} {form}"
    if k < 0.5:
        return abbreviate(brand, tags)
    if k < 0.6:
        tags.append("co_upper")
        return brand.upper()
    if k < 0.65 and not brand.startswith("Groupe"):
        tags.append("co_group_prefix")
        return ("Groupe " if c["lang"] == "FR" else "") + brand + ("" if c["lang"] == "FR"
                                                                    else " Group")
    return brand


def abbreviate(name, tags):
    for a, b in ABBR.items():
        if a in name:
            tags.append("co_abbrev")
            return name.replace(a, b, 1)
    return name


def website_text(rng, c, source):
    d = c["domain"]
    if source == "webinar" or rng.random() < 0.25:
        return ""
    return rng.choice([f"https://www.{d}", f"www.{d}", d, f"http://{d}/", f"https://{d}/contact",
                       f"https://www.{d}/en/"])


def render(rng, p, c, source):
    tags = []
    r = rng.random
    first, last = p["first"], p["last"]
    ns = nicks(first, p["lang"])
    # first name: preferred nickname, ad-hoc nickname, initials
    if p["pref_nick"] and source in ("webinar", "signature", "salon", "rep") and r() < 0.75:
        first = p["pref_nick"]
        tags.append("nickname")
    elif ns and r() < {"rep": 0.15, "webinar": 0.1}.get(source, 0.02):
        first = rng.choice(ns)
        tags.append("nickname")
    elif r() < {"vendor": 0.06, "signature": 0.08, "rep": 0.05}.get(source, 0.01):
        first = ("-".join(x[0] + "." for x in first.split("-")) if "-" in first and r() < 0.7
                 else first[0] + ("." if r() < 0.7 else ""))
        tags.append("initial")
    # surname particles / apostrophes
    if (" " in last or "'" in last) and r() < 0.35:
        last = rng.choice([last.replace(" ", ""), last.replace("'", ""), last.replace("'", " "),
                           last.lower() if last[0].islower() else last.replace(" ", "-")])
        tags.append("particle")
    # accents
    if any(ord(ch) > 127 for ch in first + last):
        pa = {"vendor": 0.6, "salon": 0.3, "webinar": 0.3}.get(source, 0.1)
        if r() < pa:
            conv = umlaut_e if p["cc"] in ("DE", "CH") and r() < 0.6 else plain
            first, last = conv(first), conv(last)
            tags.append("accents_dropped")
    # typos
    pt = {"rep": 0.12, "webinar": 0.08, "salon": 0.05}.get(source, 0.01)
    if r() < pt:
        if r() < 0.5:
            first, how = typo(rng, first)
            tags.append(f"typo_first_{how}")
        else:
            last, how = typo(rng, last)
            tags.append(f"typo_last_{how}")
    # case
    k = r()
    if source == "salon" and k < 0.6:
        last = last.upper()
        if k < 0.3:
            first = first.upper()
        tags.append("case_upper")
    elif source == "webinar" and k < 0.25:
        first, last = first.lower(), last.lower()
        tags.append("case_lower")
    elif source in ("rep", "vendor") and k < 0.2:
        last = last.upper()
        tags.append("case_upper")
    if source == "rep" and r() < 0.03:
        first, last = last, first
        tags.append("name_swap")
    # e-mail
    probs = {"vendor": [0.85, 0.05, 0.0, 0.10], "signature": [0.9, 0.1, 0.0, 0.0],
             "webinar": [0.4, 0.07, 0.45, 0.08], "salon": [0.7, 0.08, 0.1, 0.12],
             "rep": [0.55, 0.05, 0.15, 0.25]}[source]
    kind = rng.choices(["work", "alt", "free", "none"], probs)[0]
    if kind == "alt" and not p["alt_email"]:
        kind = "work"
    email = {"work": p["email"], "alt": p["alt_email"], "free": p["free_email"], "none": ""}[kind]
    if kind != "work":
        tags.append({"alt": "email_alt_pattern", "free": "email_free",
                     "none": "email_missing"}[kind])
    if email and r() < 0.05:
        email = email[0].upper() + email[1:]
        tags.append("email_case")
    # phone
    shared = p.get("shares_switchboard")
    probs = {"vendor": [0.1, 0.8, 0.1], "signature": [0.6, 0.3, 0.1], "salon": [0.7, 0.0, 0.3],
             "webinar": [0.4, 0.0, 0.6], "rep": [0.5, 0.2, 0.3]}[source]
    if shared:
        probs = [probs[0] * 0.5, probs[1] + probs[0] * 0.5, probs[2]]
    kind = rng.choices(["mobile", "switchboard", "none"], probs)[0]
    style = {"vendor": "e164", "salon": "intl", "rep": "local"}.get(source) if r() < 0.6 else None
    style = style or rng.choice(["intl", "e164", "local", "00", "paren0", "dots"])
    phone = ""
    if kind == "mobile":
        phone, _ = fmt_phone(rng, p["cc"], p["mobile"], style)
        tags.append(f"phone_mobile_{style}")
    elif kind == "switchboard":
        phone, _ = fmt_phone(rng, p["cc"], c["switchboard"], style)
        tags.append(f"phone_switchboard_{style}")
    else:
        tags.append("phone_missing")
    company = company_text(rng, c, source, tags)
    # city
    city = c["city"]
    k = r()
    if k < {"webinar": 0.4, "salon": 0.3, "signature": 0.2}.get(source, 0.15):
        city = ""
        tags.append("city_missing")
    elif k < 0.5 and city in CITY_VARIANTS and r() < 0.5:
        city = rng.choice(CITY_VARIANTS[city])
        tags.append("city_variant")
    elif source == "vendor" and r() < 0.5:
        city = plain(city).upper()
    # title kept or blanked
    title = p["title"]
    if r() < {"webinar": 0.5, "salon": 0.2, "vendor": 0.1, "signature": 0.05}.get(source, 0.4):
        title = ""
        tags.append("title_missing")
    website = website_text(rng, c, source)
    country = "" if r() < 0.3 else rng.choice(COUNTRY[p["cc"]][1])
    return {"first_name": first, "last_name": last, "email": email, "phone": phone,
            "company": company, "city": city, "title": title, "website": website,
            "country": country}, tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="Folder to write into.")
    parser.add_argument("--people", type=int, default=8000)
    parser.add_argument("--companies", type=int, help="Default: five per sixteen people.")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    rng, companies, persons = generate(args.people, args.companies, args.seed)
    rows, meta = [], []
    ids = rng.sample(range(100000, 999999), max(20000, 5 * len(persons) // 2))
    dup = set(rng.sample(range(len(persons)), round(len(persons) / 3)))
    for i, p in enumerate(persons):
        n = (2 if rng.random() < 0.5 else 3) if i in dup else 1
        srcs = rng.choices(SOURCES, SOURCE_W, k=n)
        for s in srcs:
            rec, tags = render(rng, p, companies[p["company"]], s)
            rid = f"R{ids[len(rows)]}"
            rows.append({"record_id": rid, "entity": p["entity"], **rec})
            meta.append({"record_id": rid, "entity": p["entity"], "source": s, "tags": tags})
    order = list(range(len(rows)))
    rng.shuffle(order)
    cols = ["record_id", "entity", "first_name", "last_name", "email", "phone", "company",
            "city", "title", "website", "country"]
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "contacts.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, cols)
        w.writeheader()
        for i in order:
            w.writerow(rows[i])
    with (args.out / "contacts-meta.jsonl").open("w", encoding="utf-8") as fh:
        for i in order:
            fh.write(json.dumps(meta[i], ensure_ascii=False) + "\n")
    print(f"{len(persons)} people, {len(companies)} companies, {len(rows)} records "
          f"({len(dup)} people duplicated) in {args.out}")


if __name__ == "__main__":
    main()
