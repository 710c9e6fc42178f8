"""A made-up Swiss-style teaching federation for the NFA resource equalisation.

**Illustrative, not real cantons' figures.**  The reference data hold no
per-canton resource index, so this federation has twelve invented cantons
(codes chosen not to be real canton codes) with round populations and
resource indices from 62 to 250 (the largest strong canton's index is solved
so that the population-weighted mean is exactly 100).  One tax family,
``standardised_tax_yield`` (the standardised tax yield, resource potential x
the standard tax rate, in CHF), whose scale is set so that the total the
weak cantons receive under FiLaG Art. 3a equals the real 2024 resource
equalisation total (CHF 4.5bn): the level is calibrated, the distribution is
invented.  One year, ``2024``.

:func:`real_figures` gives the real published NFA figures (totals, a few
cantons) to check what can be checked: the 60/40 financing and the totals.
See ``PROVENANCE.md`` beside this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import pandas as pd

from ...federation import Federation
from .._common import check_options, check_single_year, read_csv

__all__ = ["DESCRIPTION", "SOURCE", "YEAR", "load", "real_figures", "cantons"]

DESCRIPTION = ("Switzerland-style teaching federation (12 invented cantons, illustrative): "
               "standardised tax yield scaled to the real 2024 resource equalisation total")
SOURCE = ("Invented teaching federation (not real cantons); scale from the 2024 resource "
          "equalisation total (EFV) in switzerland_nfa_figures.csv")
YEAR = "2024"
HERE = Path(__file__).resolve().parent


def cantons() -> pd.DataFrame:
    """``code, name, population, resource_index, standardised_tax_yield_chf`` (per head)."""
    return read_csv(HERE, "cantons.csv", ("code", "name", "population", "resource_index",
                                          "standardised_tax_yield_chf"))


def real_figures() -> pd.DataFrame:
    """Real NFA figures: ``year, item, canton, value, unit, source`` (values as text:
    one row holds a list)."""
    return pd.read_csv(HERE / "real_figures.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _federation() -> Federation:
    table = cantons()
    codes = list(table["code"])
    population = table["population"].to_numpy(float)
    return Federation.from_frames(
        "switzerland_teaching",
        pd.DataFrame({"code": codes, "name": table["name"], "nation": "Teaching federation"}),
        pd.DataFrame({"year": YEAR, "code": codes, "tax": "standardised_tax_yield",
                      "value": table["standardised_tax_yield_chf"].to_numpy(float) * population}),
        pd.DataFrame({"year": YEAR, "code": codes, "population": population}),
        indicators=pd.DataFrame({"year": YEAR, "code": codes, "indicator": "resource_index",
                                 "value": table["resource_index"].to_numpy(float)}),
        currency="CHF", source=SOURCE,
        units={"population": "persons (invented)",
               "revenue": "CHF per year (standardised tax yield, illustrative)",
               "resource_index": "index, CH = 100 (invented)"})


def load(year: str | Sequence[str] | None = None, **options) -> Federation:
    """The teaching federation as a :class:`Federation` (money in CHF)."""
    check_options("switzerland_teaching", options, ("year",))
    check_single_year("switzerland_teaching", year, YEAR)
    return _federation()
