"""Write data/given_names.txt and data/surnames.txt from Faker's person providers.

Faker's person providers (MIT licence) list men's and women's given names per locale.
The dedupe reads them to tell a man's given name from a woman's written alike (Julien
and Julie, Nathan and Nathalie) and a name of its own from a shortened one. Importing
the sixteen locales' modules takes a few tenths of a second at every run; the file
holds what they give, folded as the dedupe folds names::

    python data/make_given_names.py            # rewrite both files
    python data/make_given_names.py --check    # exit 1 if a file on disk differs

Each line is a folded name, a tab, and its marks: ``M`` or ``F`` when a list of men's
or women's names of ``GENDER_LOCALES`` holds it (French, English, and the languages of
the names most often met in France besides), ``m`` or ``f`` for those of
``BOTH_LOCALES``, lists that only tell a name worn by both (Urs, Jena, Anes are rarer
names there: a typo of Agnès is more likely than an Anes).

data/surnames.txt holds the same locales' surnames, folded, one a line: the dedupe
tells two surnames of their own written alike (Lebrun and Leblanc, Cohen and Coleman)
from a surname and its typo.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "given_names.txt"
SURNAMES = HERE / "surnames.txt"

GENDER_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "en_US", "en_GB", "es_ES", "it_IT",
                  "pt_PT", "pt_BR")
BOTH_LOCALES = ("en_IE", "de_DE", "de_AT", "de_CH", "nl_NL", "nl_BE")
HEADER = """\
# Given names, folded, and the sex Faker's person providers (MIT licence) give them to.
# Written by data/make_given_names.py from Faker {version}: do not edit by hand.
# M, F: a men's, a women's list of {gender}
# m, f: a men's, a women's list of {both}
"""
SURNAMES_HEADER = """\
# Surnames, folded, from Faker's person providers (MIT licence) of {locales}.
# Written by data/make_given_names.py from Faker {version}: do not edit by hand.
"""


def build() -> str:
    import faker

    from dedupe.features import fold_name

    marks: dict[str, set[str]] = {}
    for locale in GENDER_LOCALES + BOTH_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for sex, mark in (("male", "M"), ("female", "F")):
            if locale in BOTH_LOCALES:
                mark = mark.lower()
            for value in getattr(provider, f"first_names_{sex}", None) or ():
                key = fold_name(str(value))
                if key:
                    marks.setdefault(key, set()).add(mark)
    lines = [HEADER.format(version=faker.VERSION, gender=" ".join(GENDER_LOCALES),
                           both=" ".join(BOTH_LOCALES))]
    lines += [f"{name}\t{''.join(sorted(m, key='MFmf'.index))}\n"
              for name, m in sorted(marks.items())]
    return "".join(lines)


def build_surnames() -> str:
    import faker

    from dedupe.features import fold_name

    names: set[str] = set()
    for locale in GENDER_LOCALES + BOTH_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for value in getattr(provider, "last_names", None) or ():
            key = fold_name(str(value))
            if key:
                names.add(key)
    header = SURNAMES_HEADER.format(locales=" ".join(GENDER_LOCALES + BOTH_LOCALES),
                                    version=faker.VERSION)
    return header + "".join(f"{name}\n" for name in sorted(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a file on disk differs from what Faker gives")
    args = parser.parse_args()
    differ = False
    for out, text, header_lines in ((OUT, build(), 4), (SURNAMES, build_surnames(), 2)):
        if args.check:
            if out.read_text("utf-8") != text:
                sys.stderr.write(f"{out} differs from what Faker gives\n")
                differ = True
            continue
        out.write_text(text, "utf-8")
        sys.stdout.write(f"wrote {out} ({text.count(chr(10)) - header_lines} names)\n")
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
