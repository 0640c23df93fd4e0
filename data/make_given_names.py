"""Write data/given_names.txt: given names and the sex each is given to, from Faker.

Faker's person providers (MIT licence) list men's and women's given names per locale.
The dedupe reads them to tell a man's given name from a woman's written alike (Julien
and Julie, Nathan and Nathalie) and a name of its own from a shortened one. Importing
the sixteen locales' modules takes a few tenths of a second at every run; the file
holds what they give, folded as the dedupe folds names::

    python data/make_given_names.py            # rewrite data/given_names.txt
    python data/make_given_names.py --check    # exit 1 if the file on disk differs

Each line is a folded name, a tab, and its marks: ``M`` or ``F`` when a list of men's
or women's names of ``GENDER_LOCALES`` holds it (French, English, and the languages of
the names most often met in France besides), ``m`` or ``f`` for those of
``BOTH_LOCALES``, lists that only tell a name worn by both (Urs, Jena, Anes are rarer
names there: a typo of Agnès is more likely than an Anes).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "given_names.txt"

GENDER_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "en_US", "en_GB", "es_ES", "it_IT",
                  "pt_PT", "pt_BR")
BOTH_LOCALES = ("en_IE", "de_DE", "de_AT", "de_CH", "nl_NL", "nl_BE")
HEADER = """\
# Given names, folded, and the sex Faker's person providers (MIT licence) give them to.
# Written by data/make_given_names.py from Faker {version}: do not edit by hand.
# M, F: a men's, a women's list of {gender}
# m, f: a men's, a women's list of {both}
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if data/given_names.txt differs from what Faker gives")
    args = parser.parse_args()
    text = build()
    if args.check:
        if OUT.read_text("utf-8") != text:
            sys.stderr.write(f"{OUT} differs from what Faker gives\n")
            sys.exit(1)
        return
    OUT.write_text(text, "utf-8")
    sys.stdout.write(f"wrote {OUT} ({text.count(chr(10)) - 4} names)\n")


if __name__ == "__main__":
    main()
