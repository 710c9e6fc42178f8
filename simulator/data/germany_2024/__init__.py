"""Germany's sixteen Laender, Finanzkraftausgleich 2024 (provisional settlement).

One year, ``2024``.  Population: inhabitants at 30 June 2024 (BMF settlement,
Anlage 1).  Published per Land (indicators, and :func:`published`): the
Land share of VAT distributed by population (row 10.3), the Zu-/Abschlaege
of the Finanzkraftausgleich (row 15.10, + = surcharge received) and the
allgemeine Bundesergaenzungszuweisungen (BEZ), in EUR.

The two tax families are **derived, not published**: the reference data do
not contain the Finanzkraftmesszahl of each Land.  They are back-solved from
the published Zu-/Abschlaege and BEZ under FAG s.9 to s.11 by
``scripts/build_reference_presets.py``:

* the Ausgleichsmesszahl A_i = a_L x WL_i + a_G x WG_i (s.9 weighted
  inhabitants), with the two national levels a_L, a_G (EUR per weighted
  inhabitant, :func:`derivation`) fitted by least squares to the BEZ of the
  twelve receiving Laender (s.11(2): BEZ / 0.8 = 0.37/0.63 x Z - 0.0025 x A);
* the Finanzkraftmesszahl F_i = A_i - Z_i / 0.63 (s.10);
* ``municipal_taxes`` = a_G x WG_i / 0.75 (a neutral split: the municipal
  part is the same per weighted inhabitant everywhere) and ``land_revenue`` =
  F_i - 0.75 x municipal_taxes.

Only F_i and the two national totals enter the FAG formulas, so the split
between the families of one Land is immaterial there, but it is **not** a
Land's actual municipal tax revenue.  See ``PROVENANCE.md`` beside this file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ...federation import Federation
from .._common import check_options, check_single_year, read_csv

__all__ = ["DESCRIPTION", "SOURCE", "YEAR", "TAXES", "LAND_WEIGHTS", "MUNICIPAL_WEIGHTS",
           "MUNICIPAL_SHARE", "load", "published", "derivation"]

DESCRIPTION = ("Germany, 16 Laender, Finanzkraftausgleich 2024: population, VAT shares, "
               "published Zu-/Abschlaege and allgemeine BEZ; Finanzkraft back-solved under FAG "
               "s.9-11 (derived)")
SOURCE = ("BMF, Abrechnung Finanzkraftausgleich Ausgleichsjahr 2024 (vorlaeufig), Anlage 1, and "
          "Monatsbericht April 2025, as transcribed (see PROVENANCE.md); Finanzkraft derived")
YEAR = "2024"
TAXES = ("land_revenue", "municipal_taxes")
#: FAG s.9(2): inhabitants' weights for Land revenue; s.9(3) for municipal taxes
LAND_WEIGHTS = {"BE": 1.35, "HB": 1.35, "HH": 1.35}
MUNICIPAL_WEIGHTS = {"BE": 1.35, "HB": 1.35, "HH": 1.35, "MV": 1.05, "BB": 1.03, "ST": 1.02}
#: FAG s.8: share of municipal taxes in the Finanzkraftmesszahl
MUNICIPAL_SHARE = 0.75
HERE = Path(__file__).resolve().parent

_PUBLISHED = {  # indicator -> (column in laender_2024.csv, unit)
    "vat_share_by_population": ("vat_base_eur_m", "EUR (Land VAT share by population, row 10.3)"),
    "published_zu_abschlag": ("zu_abschlag_eur_m", "EUR (Zu-/Abschlaege, row 15.10; + = received)"),
    "published_allg_bez": ("allg_bez_eur_m", "EUR (allgemeine BEZ, rounded to EUR 1m)"),
}


def _read(name: str, columns: Sequence[str]) -> pd.DataFrame:
    return read_csv(HERE, name, columns)


def published() -> pd.DataFrame:
    """Per Land: ``code, name, population, vat_base_eur_m, zu_abschlag_eur_m,
    allg_bez_eur_m`` (EUR million, as published)."""
    return _read("laender_2024.csv", ("code", "name", "population", "vat_base_eur_m",
                                      "zu_abschlag_eur_m", "allg_bez_eur_m")).copy()


def derivation() -> dict[str, float]:
    """The two fitted national levels (EUR per weighted inhabitant):
    ``land_revenue_per_weighted_inhabitant`` and
    ``municipal_taxes_75pct_per_weighted_inhabitant``."""
    table = _read("derivation_parameters.csv", ("parameter", "value_eur"))
    return {str(k): float(v) for k, v in zip(table["parameter"], table["value_eur"])}


@lru_cache(maxsize=None)
def _federation() -> Federation:
    table = published()
    codes = list(table["code"])
    derived = _read("finanzkraft_derived_2024.csv",
                    ("code", "land_revenue_eur_m", "municipal_taxes_eur_m")).set_index("code")
    revenue = pd.DataFrame({
        "year": YEAR, "code": np.tile(codes, len(TAXES)), "tax": np.repeat(TAXES, len(codes)),
        "value": np.concatenate([derived.loc[codes, f"{tax}_eur_m"].to_numpy(float) * 1e6
                                 for tax in TAXES])})
    indicators = pd.concat([
        pd.DataFrame({"year": YEAR, "code": codes, "indicator": name,
                      "value": table[column].to_numpy(float) * 1e6})
        for name, (column, _) in _PUBLISHED.items()], ignore_index=True)
    return Federation.from_frames(
        "germany_2024", pd.DataFrame({"code": codes, "name": table["name"], "nation": "Germany"}),
        revenue, pd.DataFrame({"year": YEAR, "code": codes, "population": table["population"]}),
        indicators=indicators, currency="EUR", source=SOURCE,
        units={"population": "inhabitants at 30 June 2024",
               "revenue": "EUR per year, DERIVED from the published Zu-/Abschlaege (FAG s.10)",
               **{name: unit for name, (_, unit) in _PUBLISHED.items()}})


def load(year: str | Sequence[str] | None = None, **options) -> Federation:
    """The sixteen Laender in 2024 as a :class:`Federation` (money in EUR)."""
    check_options("germany_2024", options, ("year",))
    check_single_year("germany_2024", year, YEAR)
    return _federation()
