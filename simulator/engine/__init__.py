"""The vectorised equalisation engine."""

from .devolution import TaxDevolution, devolved_revenue
from .result import Result, run
from ..state import FiscalState
from .system import EngineInputs, System, simulate

__all__ = ["TaxDevolution", "devolved_revenue", "Result", "run", "FiscalState",
           "EngineInputs", "System", "simulate"]
