"""Fellegi-Sunter: field agreements → match weight → probability, explainable per pair.

For each comparison level, ``m`` is how often true duplicates show it and ``u`` how
often two unrelated records do; the level's weight is log2(m/u) and a pair's match
weight is the prior plus the sum of its levels' weights. As in splink, ``u`` comes
from random pairs (almost all non-matches, each weighed by the chance the model gives
it of being one) and ``m`` from EM over the candidate pairs, with ``u`` held fixed.
``m`` starts from, and is smoothed toward, defaults so a small file (a demo, a first
CRM export) still gets sensible weights. The trained model is plain JSON in the
``meta`` table, so a decision can be explained later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from .comparisons import COMPARISONS

__all__ = ["Model", "distinct_levels", "train"]

# Starting m per comparison (levels 1..k, best first); smoothing pulls toward them.
_M_DEFAULTS: dict[str, tuple[float, ...]] = {
    "first_name": (0.82, 0.07, 0.05, 0.02, 0.02, 0.02),
    "last_name": (0.88, 0.04, 0.04, 0.02, 0.02),
    "email": (0.55, 0.1, 0.05, 0.005, 0.3),
    "phone": (0.7, 0.05, 0.25),
    "linkedin": (0.95, 0.05),
    "company": (0.8, 0.1, 0.05, 0.05),
    "city": (0.85, 0.05, 0.1),
    "postcode": (0.9, 0.04, 0.06),
    "address": (0.8, 0.12, 0.08),
    "title": (0.7, 0.27, 0.01, 0.02),
}
_PRIOR_STRENGTH = 50.0  # pseudo-pairs behind the defaults
# Levels that contradict identity keep at most their default m (as splink's fixed m):
# EM on blocked pairs, where namesakes at one company abound, would otherwise learn
# that a different given name or another address at the same domain is common
# among duplicates.
_M_CAPS: dict[str, dict[int, float]] = {
    "first_name": {6: 0.02},
    "last_name": {5: 0.02},
    "linkedin": {2: 0.05},
    # A duplicate at another company is a job change, rarer than a namesake elsewhere.
    "company": {4: 0.02},
    # Another number or city is weaker evidence, but no source changes them for most
    # duplicates; left to EM, the namesakes in big blocks say otherwise.
    "phone": {3: 0.15},
    "city": {3: 0.2},
    "email": {4: 0.005, 5: 0.4},
    # A chief executive in one source and an assistant in another: two people, whatever
    # the namesakes of a big block teach EM.
    "title": {3: 0.02},
}


# How the model is trained: a model stored by an earlier way of training is trained
# again (2: random pairs count as strangers by the chance that they are; see ``train``).
TRAINING = 2


@dataclass
class Model:
    """Per-level weights (bits) and the prior; levels index like ``COMPARISONS``."""

    m: list[list[float]]
    u: list[list[float]]
    prior: float  # log2 odds of a match among candidate pairs
    trained_on: int = 0

    def weights(self) -> list[np.ndarray]:
        return [
            np.r_[0.0, np.log2(np.array(m) / np.array(u))] for m, u in
            zip(self.m, self.u, strict=True)
        ]

    def score(self, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(match weight, probability) of each row of levels."""
        w = np.full(len(levels), self.prior)
        for k, table in enumerate(self.weights()):
            w += table[levels[:, k]]
        return w, 1.0 / (1.0 + np.exp2(-w))

    def reasons(self, levels: np.ndarray, top: int = 4) -> list[str]:
        """The levels that moved one pair's weight most, e.g. ``email: same address +14.2``."""
        return self.reasons_many(levels.reshape(1, -1), top)[0]

    def reasons_many(self, levels: np.ndarray, top: int = 4) -> list[list[str]]:
        """:meth:`reasons` for many pairs at once. Pairs with the same levels share one
        list (a run has a few thousand distinct rows of levels among a million pairs)."""
        distinct, inverse = self.reasons_indexed(levels, top)
        return [distinct[i] for i in inverse.tolist()]

    def reasons_indexed(self, levels: np.ndarray, top: int = 4,
                        ) -> tuple[list[list[str]], np.ndarray]:
        """:meth:`reasons_many` as its distinct lists (one per distinct list of reasons:
        rows of levels that differ only where no reason is read share one) and each
        pair's index into them."""
        if not len(levels):
            return [], np.zeros(0, dtype=np.intp)
        rows = np.ascontiguousarray(levels)
        _, first, inverse = np.unique(_row_keys(rows), return_index=True,
                                      return_inverse=True)
        by_text: dict[tuple[str, ...], int] = {}
        lists: list[list[str]] = []
        index = []
        for why in self._reasons_of_rows(rows[first], top):
            k = by_text.setdefault(tuple(why), len(lists))
            if k == len(lists):
                lists.append(why)
            index.append(k)
        return lists, np.asarray(index, dtype=np.intp)[inverse.reshape(-1)]

    def _reasons_of_rows(self, levels: np.ndarray, top: int) -> list[list[str]]:
        weights = self.weights()
        labels = [
            ["", *(f"{c.name}: {name} {w[i + 1]:+.1f}" for i, name in enumerate(c.levels))]
            for c, w in zip(COMPARISONS, weights, strict=True)
        ]
        size = max(len(w) for w in weights)
        table = np.zeros((len(weights), size))
        for k, w in enumerate(weights):
            table[k, : len(w)] = np.abs(w)
        strength = table[np.arange(len(weights)), levels]
        strength[levels == 0] = -1
        order = np.argsort(-strength, axis=1, kind="stable")[:, :top]
        out = []
        for row, picks in zip(levels.tolist(), order.tolist(), strict=True):
            out.append([labels[k][row[k]] for k in picks if row[k] > 0])
        return out

    def to_json(self) -> str:
        return json.dumps({
            "comparisons": [
                {"name": c.name, "levels": list(c.levels), "m": [round(x, 6) for x in m],
                 "u": [round(x, 8) for x in u]}
                for c, m, u in zip(COMPARISONS, self.m, self.u, strict=True)
            ],
            "prior": round(self.prior, 6),
            "trained_on": self.trained_on,
            "training": TRAINING,
        })

    @classmethod
    def from_json(cls, text: str) -> Model | None:
        data = json.loads(text)
        names = [c["name"] for c in data["comparisons"]]
        if names != [c.name for c in COMPARISONS] or any(
            len(c["levels"]) != len(k.levels) for c, k in zip(data["comparisons"], COMPARISONS,
                                                               strict=True)
        ):
            return None  # trained for other comparisons: retrain
        if data.get("training", 1) != TRAINING:
            return None  # trained another way: retrain
        return cls(
            m=[c["m"] for c in data["comparisons"]], u=[c["u"] for c in data["comparisons"]],
            prior=data["prior"], trained_on=data.get("trained_on", 0),
        )


def _frequencies(levels: np.ndarray, weights: np.ndarray | None, k: int, size: int,
                 prior: tuple[float, ...], strength: float) -> list[float]:
    col = levels[:, k]
    counts = np.bincount(col, weights=weights, minlength=size)[1:]
    total = counts.sum()
    smoothed = (counts + strength * np.array(prior)) / (total + strength)
    return [float(max(x, 1e-9)) for x in smoothed]


def _capped(name: str, m: list[float]) -> list[float]:
    caps = _M_CAPS.get(name)
    if not caps:
        return m
    out = list(m)
    for level, cap in caps.items():
        out[level - 1] = min(out[level - 1], cap)
    rest = sum(x for i, x in enumerate(out) if i + 1 not in caps)
    fixed = sum(out[i - 1] for i in caps)
    return [x if i + 1 in caps else x * (1 - fixed) / rest for i, x in enumerate(out)]


# Typical u per level for people records (two strangers), the smoothing target for u:
# a small file has too few random pairs to estimate the rare agreements.
_U_DEFAULTS: dict[str, tuple[float, ...]] = {
    "first_name": (0.01, 0.003, 0.01, 0.005, 0.1, 0.872),
    "last_name": (0.003, 0.002, 0.005, 0.05, 0.94),
    "email": (0.0001, 0.001, 0.002, 0.01, 0.9869),
    "phone": (0.0001, 0.0005, 0.9994),
    "linkedin": (0.0001, 0.9999),
    "company": (0.01, 0.002, 0.005, 0.983),
    "city": (0.1, 0.01, 0.89),
    "postcode": (0.02, 0.05, 0.93),
    "address": (0.001, 0.01, 0.989),
    "title": (0.2, 0.35, 0.1, 0.35),
}
_U_STRENGTH = 2000.0
# At most this many rounds of u from the random pairs weighed by the model (see train).
U_ROUNDS = 8


def estimate_u(random_levels: np.ndarray, strangers: np.ndarray | None = None,
               ) -> list[list[float]]:
    """u per level from random pairs, smoothed toward typical values; ``strangers``
    weighs each pair by the chance that it is no match (all count fully without it)."""
    out = []
    for k, c in enumerate(COMPARISONS):
        col = random_levels[:, k]
        counts = np.bincount(col, weights=strangers, minlength=c.size)[1:].astype(float)
        prior = np.array(_U_DEFAULTS[c.name])
        u = (counts + _U_STRENGTH * prior) / (counts.sum() + _U_STRENGTH)
        out.append([float(max(x, 1e-7)) for x in u])
    return out


def distinct_levels(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``levels`` and how many times each occurs."""
    if not len(levels):
        return levels, np.zeros(0, dtype=np.float64)
    rows = np.ascontiguousarray(levels)
    _, first, counts = np.unique(_row_keys(rows), return_index=True, return_counts=True)
    return rows[first], counts.astype(np.float64)


def _row_keys(rows: np.ndarray) -> np.ndarray:
    """One key per row of levels that sorts as the rows do, column by column: four bits
    a level in an integer, which sorts several times faster than the rows' bytes (a void
    view of each row, the fallback for levels that do not fit)."""
    if rows.shape[1] * 4 < 64 and len(rows) and rows.min() >= 0 and rows.max() < 16:
        keys = np.zeros(len(rows), dtype=np.int64)
        for k in range(rows.shape[1]):
            keys <<= 4
            keys |= rows[:, k]
        return keys
    return rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()


def share_of_matches(levels: np.ndarray, recall: float = 0.8) -> float:
    """The share of candidate pairs that are duplicates, from rules that are almost never
    wrong (as splink's ``estimate_probability_two_random_records_match``), held fixed
    during EM: left free, EM lets the many namesakes of a big company's block pass for
    duplicates.
    """
    if not len(levels):
        return 0.1
    sure = (
        (levels[:, 2] == 1) | (levels[:, 3] == 1) | (levels[:, 4] == 1)
        | ((levels[:, 0] == 1) & (levels[:, 1] == 1) & (levels[:, 5] == 1))
        | ((levels[:, 0] == 1) & (levels[:, 1] == 1) & (levels[:, 7] == 1)
           & (levels[:, 8] == 1))
    )
    return float(np.clip(sure.mean() / recall, 1e-4, 0.95))


# Pairs sharing an address from which the company comparison's m is read, at least.
SHARED_ADDRESS_MIN = 200
_EMAIL = next(k for k, c in enumerate(COMPARISONS) if c.name == "email")
_COMPANY = next(k for k, c in enumerate(COMPARISONS) if c.name == "company")


def _m_from_shared_addresses(levels: np.ndarray) -> dict[int, list[float]]:
    """m of the company comparison, read from the candidate pairs that share an address
    (nearly all one person) and have a company on both sides, held fixed during EM.

    As splink trains a comparison's m on pairs blocked on another field: EM over all
    candidates, where namesakes at one company abound, sets it from its own weights. A
    duplicate whose two sources gave it two company records of one name scores low
    while that level's m is low, and so keeps it low: at a million people EM put it at
    0.09 where the labels say 0.5. The address says nothing of how each source wrote
    the company.
    """
    sure = levels[(levels[:, _EMAIL] == 1) & (levels[:, _COMPANY] > 0)]
    if len(sure) < SHARED_ADDRESS_MIN:
        return {}
    c = COMPARISONS[_COMPANY]
    return {_COMPANY: _capped(c.name, _frequencies(sure, None, _COMPANY, c.size,
                                                   _M_DEFAULTS[c.name], _PRIOR_STRENGTH))}


def _contradicted(levels: np.ndarray) -> np.ndarray:
    """Which pairs two colleagues' identities tell apart whatever else they share:
    another person's address at the same company, or at one company a surname and a
    given name that both differ (on the office line, at the office's street address).
    Not two names alone: a duplicate a source mistyped badly reads so too (FEBRL's,
    whose recall fell 0.969 → 0.967 when such pairs counted as strangers).

    Such a random pair counts as strangers in u whatever the model says of it. Weighed
    by the model's chance instead, colleagues on one switchboard read as duplicates
    once the shared number weighs much; left out of u, the number then weighs more:
    on a French CRM's 942 records, where the phone column holds each company's
    switchboard, u of a shared number fell to 0.00006 against 0.002 counted (+13.6
    against +8).
    """
    first, last, email, company = levels[:, 0], levels[:, 1], levels[:, 2], levels[:, _COMPANY]
    return (email == 4) | ((last >= 4) & (first >= 5) & (company >= 1) & (company <= 2))


def train(candidate_levels: np.ndarray, random_levels: np.ndarray, *, iterations: int = 25,
          trained_on: int = 0, free_lambda: bool = True) -> Model:
    """EM for m (u fixed from random pairs); returns the model with its prior."""
    u = estimate_u(random_levels)
    m = [list(_M_DEFAULTS[c.name]) for c in COMPARISONS]
    lam = floor_lam = share_of_matches(candidate_levels)
    # Every pair with the same levels gets the same probability: EM runs over the
    # distinct rows of levels, each weighted by how many pairs have it (as splink
    # aggregates comparison vectors): a few thousand rows instead of up to 500,000.
    levels, counts = distinct_levels(candidate_levels)
    pairs = counts.sum()
    fixed = _m_from_shared_addresses(candidate_levels)
    m = [fixed.get(k, row) for k, row in enumerate(m)]
    pairs_total = max(trained_on * (trained_on - 1) / 2, 1.0)

    def em(m: list[list[float]], u: list[list[float]], lam: float,
           ) -> tuple[list[list[float]], float]:
        for _ in range(iterations):
            model = Model(m=m, u=u, prior=float(np.log2(lam / (1 - lam))))
            _, p = model.score(levels)
            if free_lambda and len(p):
                lam = float(np.clip((p * counts).sum() / pairs, floor_lam, 0.95))
            weights = p * counts
            m = [
                fixed[k] if k in fixed else
                _capped(c.name, _frequencies(levels, weights, k, c.size,
                                             _M_DEFAULTS[c.name], _PRIOR_STRENGTH))
                for k, c in enumerate(COMPARISONS)
            ]
        return m, lam

    def random_prior(lam: float) -> float:
        # The chance that two records taken at random match (as splink's
        # probability_two_random_records_match), not the share among candidate pairs:
        # blocking already chose pairs that agree on names, and their weights count
        # that agreement once more.
        random_lam = float(np.clip(lam * pairs / pairs_total, 1e-9, 0.5))
        return float(np.log2(random_lam / (1 - random_lam)))

    m, lam = em(m, u, lam)
    strangers = _contradicted(random_levels)
    if len(random_levels):
        # The random pairs hold duplicates too, as many as one in every few thousand
        # in a file of 10,000 records. Counted as strangers, they set u of a shared
        # address, number or profile near the chance that two records match, and that
        # agreement alone then only evens out the prior: an address-only record (a
        # newsletter list's) stayed beside its named duplicate at p = 0.66. Each random
        # pair counts as strangers by the chance the model gives it of being none, and
        # u and m are estimated again until u settles: each round takes out more of the
        # duplicates the last one still half counted (a file of nothing but addresses,
        # a quarter of them twice, needs a few).
        for _ in range(U_ROUNDS):
            _, p_random = Model(m=m, u=u, prior=random_prior(lam)).score(random_levels)
            p_random[strangers] = 0.0  # see _contradicted
            before, u = u, estimate_u(random_levels, 1.0 - p_random)
            m, lam = em(m, u, lam)
            if all(np.allclose(x, y, rtol=0.01, atol=0) for x, y in zip(
                    u, before, strict=True)):
                break
    return Model(m=m, u=u, prior=random_prior(lam), trained_on=trained_on)
