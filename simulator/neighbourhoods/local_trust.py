"""Local Trust's "left behind" lists, by ward (2019) and by LSOA (2023), per authority and region.

* **Wards, CNI 2019** (OCSI for Local Trust, 7,433 wards on 2017 codes): the
  most needy national decile on the Community Needs Index is the wards with
  rank <= N / 10, i.e. 743 wards (decile = ceil(10 rank / N), as the IoD
  defines deciles); Local Trust's **225 left-behind wards** are those in that decile
  *and* in the most deprived 10% on the IMD 2019.  The ward file carries no
  ward-level IMD, so the IMD half of the rule cannot be recomputed here: the
  code checks that all 225 lie in the CNI decile it computes and counts them.
* **LSOAs, 2023 flag**: the 1,262 LSOAs in the most needy decile of both the
  CNI 2023 and the IMD 2025 (:func:`~simulator.neighbourhoods.allocation.select_both_top_decile`
  reproduces the flag exactly).

Per authority (296, 2023/2024 codes) and region: the number of the 225 wards
and of the 1,262 LSOAs it holds, and the share of its Census 2021 residents
living in those LSOAs.  The ward file has no population, and 2017 wards do not
nest in 2021 LSOAs, so no population share is given for the wards.  Counts
are ``np.bincount`` over integer authority numbers (no groupby).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..data.england_lsoa import HERE, load_neighbourhoods
from ..errors import DataValidationError

__all__ = ["load_wards_cni2019", "ward_top_decile", "left_behind_by_place", "WARDS_2019"]

#: the CNI 2019 ward file (packaged copy)
WARDS_2019 = "wards2017_cni2019.csv.gz"


@lru_cache(maxsize=1)
def _wards() -> pd.DataFrame:
    return pd.read_csv(HERE / WARDS_2019, dtype={"code": str, "name": str, "lad19_code": str,
                                                 "la_code": str})


def load_wards_cni2019() -> pd.DataFrame:
    """The 7,433 wards: CNI 2019 score, rank (1 = most need), domains, ``left_behind``
    (Local Trust's 225), ``lad19_code`` as published and ``la_code`` (2023 = 2024 codes)."""
    return _wards().copy()


def ward_top_decile(wards: pd.DataFrame | None = None) -> np.ndarray:
    """True for the wards in the most needy national CNI 2019 decile (rank <= N / 10)."""
    wards = load_wards_cni2019() if wards is None else wards
    rank = wards["cni_rank"].to_numpy(float)
    return np.ceil(10 * rank / len(rank)) == 1


def left_behind_by_place(level: str = "authority") -> pd.DataFrame:
    """Per authority (``level="authority"``) or region: left-behind wards and LSOAs.

    Columns: ``code, name`` (and ``region_name`` for authorities), ``wards_left_behind``
    (of the 225), ``wards_top_cni_decile``, ``wards``, ``lsoas_left_behind`` (of the
    1,262), ``lsoas``, ``population`` (Census 2021), ``population_left_behind`` and
    ``share_left_behind`` (its residents living in left-behind LSOAs).
    """
    if level not in ("authority", "region"):
        raise DataValidationError(f"level must be 'authority' or 'region', got {level!r}")
    hoods = load_neighbourhoods()
    authorities = hoods.authorities
    n_la = len(authorities)
    wards = load_wards_cni2019()
    la_codes = authorities["code"].to_numpy()
    order = np.argsort(la_codes)
    ward_la = order[np.searchsorted(la_codes, wards["la_code"].to_numpy(), sorter=order)]
    if not np.array_equal(la_codes[ward_la], wards["la_code"].to_numpy()):
        raise DataValidationError("a ward's authority is not among the 296", column="la_code")
    top = ward_top_decile(wards)
    flag = wards["left_behind"].to_numpy() == 1
    lsoa_flag = hoods["left_behind"] == 1
    pop = hoods.population
    counts = {
        "wards_left_behind": np.bincount(ward_la, weights=flag, minlength=n_la),
        "wards_top_cni_decile": np.bincount(ward_la, weights=top, minlength=n_la),
        "wards": np.bincount(ward_la, minlength=n_la).astype(float),
        "lsoas_left_behind": np.bincount(hoods.la, weights=lsoa_flag, minlength=n_la),
        "lsoas": np.bincount(hoods.la, minlength=n_la).astype(float),
        "population": np.bincount(hoods.la, weights=pop, minlength=n_la),
        "population_left_behind": np.bincount(hoods.la, weights=np.where(lsoa_flag, pop, 0.0),
                                              minlength=n_la),
    }
    if level == "authority":
        frame = pd.DataFrame({"code": la_codes, "name": authorities["name"].to_numpy(),
                              "region_name": authorities["region_name"].to_numpy(), **counts})
    else:
        region_of_la = np.searchsorted(hoods.regions["code"].to_numpy(),
                                       authorities["region_code"].to_numpy())
        n_r = len(hoods.regions)
        frame = pd.DataFrame({"code": hoods.regions["code"].to_numpy(),
                              "name": hoods.regions["name"].to_numpy(),
                              **{k: np.bincount(region_of_la, weights=v, minlength=n_r)
                                 for k, v in counts.items()}})
    for column in ("wards_left_behind", "wards_top_cni_decile", "wards", "lsoas_left_behind",
                   "lsoas", "population", "population_left_behind"):
        frame[column] = frame[column].round().astype(np.int64)
    frame["share_left_behind"] = frame["population_left_behind"] / frame["population"]
    return frame
