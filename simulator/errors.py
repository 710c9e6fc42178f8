"""Errors raised by the simulator, in one place.

Every error a user can cause (bad data, bad scenario, bad option) derives from
``SimulatorError`` so front ends can catch one class and show its message
instead of a traceback.
"""

from __future__ import annotations


class SimulatorError(Exception):
    """Base class of every error the simulator raises for user input."""


class DataValidationError(SimulatorError, ValueError):
    """A dataset or federation violates the data model.

    The message names the region, the column and the year at fault.
    """

    def __init__(self, message: str, *, region: str | None = None,
                 column: str | None = None, year: str | None = None):
        self.region = region
        self.column = column
        self.year = year
        where = ", ".join(
            f"{label} {value!r}"
            for label, value in (("region", region), ("column", column), ("year", year))
            if value is not None
        )
        super().__init__(f"{message} ({where})" if where else message)


class UnknownDatasetError(SimulatorError, KeyError):
    """A dataset name that is not built in."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class ConfigurationError(SimulatorError, ValueError):
    """An engine option that is out of range or inconsistent with the data."""
