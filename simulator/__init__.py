"""Fiscal devolution and equalisation simulator.

>>> import simulator
>>> fed = simulator.load_federation("uk_itl1", year="2024-25")
>>> system = simulator.System(devolution={"income_tax": 1.0},
...                           steps=[simulator.steps.GapFill(rate=0.75)])
>>> result = simulator.run(fed, system)
"""

from . import metrics, steps
from .data import list_datasets, load_federation
from .engine import EngineInputs, FiscalState, Result, System, TaxDevolution, run, simulate
from .errors import ConfigurationError, DataValidationError, SimulatorError, UnknownDatasetError
from .federation import Federation
from .data._common import DERIVED_INDICATORS as _DERIVED

# The loaders' need_index option is computed by simulator.need_index (imported on first use):
# wired here, at the package root, so that no data loader imports a need model.
_DERIVED.setdefault(("uk_itl1", "need_index"), "simulator.need_index.engine:add_itl1_need_index")
_DERIVED.setdefault(("england_la", "need_index"), "simulator.need_index.engine:_add_la_need_index")

__version__ = "0.1.0"

__all__ = [
    "metrics", "steps", "list_datasets", "load_federation", "EngineInputs", "FiscalState", "Result",
    "System", "TaxDevolution", "run", "simulate", "ConfigurationError", "DataValidationError",
    "SimulatorError", "UnknownDatasetError", "Federation",
]
