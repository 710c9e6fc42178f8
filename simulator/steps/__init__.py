"""Equalisation steps: each one mechanism, each one documented formula.

Import a step class from here; ``STEP_TYPES`` maps the YAML ``type`` key of
every step to its class.
"""

from .base import STEP_TYPES, Step, step_from_dict
from .gap_fill import GapFill
from .standard import Standard

__all__ = ["STEP_TYPES", "Step", "step_from_dict", "Standard", "GapFill"]
