"""Spending needs: a representative expenditure system (CGC-style).

* :mod:`.model` — the vectorised core: assessed spending per head by category =
  standard x (1 + weighted sum of driver ratios - 1), each factor's contribution;
* :mod:`.factors` — the cost drivers (age, deprivation, sparsity, wages) with
  their sources and the default weights (a judgement);
* :mod:`.itl1` — the model on the 12 UK nations and regions (packaged data).

Need models are computed from data; the data loaders never import them.
"""

from .factors import DEFAULT_WEIGHTS, FACTORS, Factor, weights_array
from .itl1 import LATEST_YEAR, Prepared, assess_itl1, assessment_table, prepare
from .model import Assessment, assess, relative_to_average

__all__ = ["Assessment", "assess", "relative_to_average", "Factor", "FACTORS", "DEFAULT_WEIGHTS",
           "weights_array", "Prepared", "prepare", "assess_itl1", "assessment_table", "LATEST_YEAR"]
