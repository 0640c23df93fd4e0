"""Write data/surnames.txt: the surnames of Faker's person providers, folded.

The dedupe reads them to tell two surnames of their own written alike (Lebrun and
Leblanc, Cohen and Coleman) from a surname and its typo. Same locales as
``make_given_names.py``::

    python data/make_surnames.py            # rewrite data/surnames.txt
    python data/make_surnames.py --check    # exit 1 if the file on disk differs
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "surnames.txt"
HEADER = """\
# Surnames, folded, from Faker's person providers (MIT licence) of {locales}.
# Written by data/make_surnames.py from Faker {version}: do not edit by hand.
"""


def build() -> str:
    import faker
    from make_given_names import BOTH_LOCALES, GENDER_LOCALES

    from dedupe.features import fold_name

    names: set[str] = set()
    for locale in GENDER_LOCALES + BOTH_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for value in getattr(provider, "last_names", None) or ():
            key = fold_name(str(value))
            if key:
                names.add(key)
    header = HEADER.format(locales=" ".join(GENDER_LOCALES + BOTH_LOCALES),
                           version=faker.VERSION)
    return header + "".join(f"{name}\n" for name in sorted(names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if data/surnames.txt differs from what Faker gives")
    args = parser.parse_args()
    text = build()
    if args.check:
        if OUT.read_text("utf-8") != text:
            sys.stderr.write(f"{OUT} differs from what Faker gives\n")
            sys.exit(1)
        return
    OUT.write_text(text, "utf-8")
    sys.stdout.write(f"wrote {OUT} ({text.count(chr(10)) - 2} names)\n")


if __name__ == "__main__":
    main()
