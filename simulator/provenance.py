"""What every output file states about itself: the fiscalsim version, the data edition
and the resolved scenario (YAML that loads back to the same scenario), so a result can
be reproduced from the file alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["fiscalsim_version", "data_edition", "output_provenance", "with_provenance_columns",
           "write_scenario_sidecar", "sidecar_path"]


def fiscalsim_version() -> str:
    import simulator

    return str(getattr(simulator, "__version__", "unknown"))


def data_edition(federation) -> str:
    """The dataset and the edition of its source, as the dataset states it."""
    source = getattr(federation, "source", "") or ""
    return f"{federation.name}: {source}" if source else str(federation.name)


def output_provenance(scenario, federation) -> dict[str, Any]:
    """``fiscalsim_version``, ``data_edition``, ``generated`` (date) and ``scenario_yaml``
    (the resolved scenario, :func:`simulator.scenario.dump_scenario`)."""
    from .scenario import dump_scenario

    return {"fiscalsim_version": fiscalsim_version(), "data_edition": data_edition(federation),
            "generated": date.today().isoformat(), "scenario_yaml": dump_scenario(scenario)}


def with_provenance_columns(table, meta: dict[str, Any]):
    """The table with ``fiscalsim_version`` and ``data_edition`` columns (a CSV row
    cannot carry the scenario: see :func:`write_scenario_sidecar`)."""
    return table.assign(fiscalsim_version=meta["fiscalsim_version"],
                        data_edition=meta["data_edition"])


def sidecar_path(out: Path) -> Path:
    """Where a CSV's resolved scenario goes: ``results.csv`` -> ``results.csv.scenario.yaml``."""
    return out.with_name(out.name + ".scenario.yaml")


def write_scenario_sidecar(out: Path, meta: dict[str, Any]) -> Path:
    """Write the resolved scenario beside ``out`` (whole or not at all)."""
    import os
    import tempfile

    target = sidecar_path(out)
    header = (f"# Resolved scenario of {out.name}; fiscalsim {meta['fiscalsim_version']}; "
              f"data {meta['data_edition']}; generated {meta['generated']}\n")
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(header + meta["scenario_yaml"])
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
