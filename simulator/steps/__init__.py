"""Equalisation steps: each one mechanism, each one documented formula.

Import a step class from here; ``STEP_TYPES`` maps the YAML ``type`` key of
every step to its class:

=====================  ==========================  ======================================
type                   class                       real system
=====================  ==========================  ======================================
``gap_fill``           :class:`GapFill`            Canada, Equalization
``symmetric``          :class:`Symmetric`          Germany, Finanzkraftausgleich
``weight_population``  :class:`WeightPopulation`   Germany, weighted inhabitants
``minimum_guarantee``  :class:`MinimumGuarantee`   Switzerland, minimum endowment
``needs_pool``         :class:`NeedsPool`          Australia, GST relativities
``change_limits``      :class:`ChangeLimits`       England, floor damping
``no_worse_off``       :class:`NoWorseOff`         Australia, no-worse-off guarantee
``horizontal_funding`` :class:`HorizontalFunding`  Switzerland, strong cantons pay
``fixed_pool``         :class:`FixedPool`          Canada, fixed envelope (equal per head)
``lagged``             :class:`Lagged`             Canada, 50/25/25 moving average
``source_gap_fill``    :class:`SourceGapFill`      Canada, better of 0%/50% resources
``capacity_cap``       :class:`CapacityCap`        Canada, fiscal capacity cap
``family_equalisation`` :class:`FamilyEqualisation` Germany, Zu-/Abschlaege and BEZ
``targeted_fund``      :class:`TargetedFund`       UK, place-based funds for highest need
``barnett``            :class:`Barnett`            UK, Barnett formula (Wales 1.05, floor)
``business_rates_retention`` :class:`BusinessRatesRetention` England, business rates retention
``expenditure_need``   :class:`ExpenditureNeed`    Wales, needs-based formula (Holtham)
``fiscal_equalisation`` :class:`FiscalEqualisation` Australia, HFE on capacity and need
``needs_floor``        :class:`NeedsFloor`         Wales, 115% needs-based floor
``neighbourhood_fund`` :class:`NeighbourhoodFund`  UK/Local Trust, two-tier neighbourhood fund
=====================  ==========================  ======================================
"""

from .base import STEP_TYPES, Step, step_from_dict
from .capacity_cap import CapacityCap
from .change_limits import ChangeLimits
from .family_equalisation import FamilyEqualisation
from .fixed_pool import FixedPool
from .gap_fill import GapFill
from .horizontal_funding import HorizontalFunding
from .lagged import Lagged
from .minimum_guarantee import MinimumGuarantee
from .neighbourhood_fund import NeighbourhoodFund
from .needs_pool import NeedsPool
from .no_worse_off import NoWorseOff
from .source_gap_fill import SourceGapFill
from .standard import Standard
from .symmetric import Symmetric
from .targeted_fund import TargetedFund
from .weight_population import WeightPopulation
from .expenditure_need import ExpenditureNeed
from .fiscal_equalisation import FiscalEqualisation
from .needs_floor import NeedsFloor

__all__ = ["STEP_TYPES", "Step", "step_from_dict", "Standard", "GapFill", "Symmetric",
           "WeightPopulation", "MinimumGuarantee", "NeedsPool", "ChangeLimits", "NoWorseOff",
           "HorizontalFunding", "FixedPool", "Lagged", "SourceGapFill", "CapacityCap",
           "FamilyEqualisation"]
__all__ += ["TargetedFund"]

from .barnett import Barnett  # noqa: E402
from .business_rates import BusinessRatesRetention  # noqa: E402

__all__ += ["Barnett", "BusinessRatesRetention"]
__all__ += ["ExpenditureNeed", "FiscalEqualisation", "NeedsFloor"]
__all__ += ["NeighbourhoodFund"]
