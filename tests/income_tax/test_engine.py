"""Schedules in scenarios: the engine's own revenue, located errors, sweeps, CLI."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.analysis.sweep import sweep
from simulator.cli import main
from simulator.income_tax import CODES, fitted, load_schedule, stack, with_overrides
from simulator.income_tax.model import in_force_schedules, region_yields
from simulator.scenario import ScenarioError, load_scenario, run_scenario
from simulator.scenario.library import library_scenarios

HEADER = "extends: {base}\nname: {name}\n"


def _scenario(tmp_path, body: str, name: str = "it"):
    base = library_scenarios()["income_tax_gap_fill_75"]
    path = tmp_path / f"{name}.yaml"
    path.write_text(HEADER.format(base=base, name=name) + body)
    return path


def _own(result) -> np.ndarray:
    return np.asarray(result.state.own_revenue)[0]


def test_schedules_in_force_reproduce_todays_revenue(tmp_path):
    """Every region on the schedule in force: yield ratio 1, the same results."""
    plain = run_scenario(load_scenario(library_scenarios()["income_tax_gap_fill_75"]))
    path = _scenario(tmp_path, "devolution:\n  income_tax:\n    share: 1\n    own_rate: true\n"
                     "    schedule: ruk_2024_25\n    schedules: {TLM: scotland_2024_25}\n")
    same = run_scenario(load_scenario(path))
    np.testing.assert_allclose(_own(same), _own(plain), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(same.state.resources), np.asarray(plain.state.resources),
                               rtol=1e-12)


def test_one_penny_on_the_north_east_higher_rate(tmp_path):
    plain = run_scenario(load_scenario(library_scenarios()["income_tax_gap_fill_75"]))
    path = _scenario(tmp_path, "devolution:\n  income_tax:\n    share: 1\n    own_rate: true\n"
                     "    schedules:\n      TLC: {schedule: ruk_2024_25, rates: {higher: 0.41}}\n"
                     "    taxable_income_elasticity: 0\n")
    changed = run_scenario(load_scenario(path))
    d = fitted("2024-25")
    base = stack(in_force_schedules("2024-25"))
    new = stack([with_overrides(load_schedule("ruk_2024_25"), rates={"higher": 0.41})]
                + in_force_schedules("2024-25")[1:])
    ratio = region_yields(d, new)[0] / region_yields(d, base)[0]
    assert 1.003 < ratio < 1.01  # ~GBP 45m on ~GBP 8bn
    np.testing.assert_allclose(_own(changed)[0], _own(plain)[0] * ratio, rtol=1e-12)
    np.testing.assert_array_equal(_own(changed)[1:], _own(plain)[1:])
    # with behaviour the yield rises less
    behave = run_scenario(load_scenario(_scenario(tmp_path, "devolution:\n  income_tax:\n"
        "    share: 1\n    own_rate: true\n    schedules:\n"
        "      TLC: {schedule: ruk_2024_25, rates: {higher: 0.41}}\n", "it_b")))
    assert _own(plain)[0] < _own(behave)[0] < _own(changed)[0]


@pytest.mark.parametrize("body,line,field,words", [
    ("    schedules:\n      TLC: {schedule: ruk_2024_25, rates: {higher: 1.5}}\n", 7,
     "devolution.income_tax.schedules.TLC.rates.higher", "out of range"),
    ("    schedules:\n      TLX: scotland_2024_25\n", 7,
     "devolution.income_tax.schedules.TLX", "unknown region code"),
    ("    schedule: wales_2024_25\n", 6, "devolution.income_tax.schedule",
     "unknown income-tax schedule"),
    ("    taxable_income_elasticity: {basic: true}\n", 6,
     "devolution.income_tax.taxable_income_elasticity.basic", "true/false"),
    ("    schedule: ruk_2024_25\n    rate_change: 0.1\n", 5, "devolution.income_tax",
     "rate_change must be 0"),
])
def test_scenario_errors_are_located(tmp_path, body, line, field, words):
    path = _scenario(tmp_path, "devolution:\n  income_tax:\n    own_rate: true\n" + body)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    problem = next(p for p in raised.value.problems if words in p.message)
    assert problem.file == str(path) and problem.line == line and problem.path == field


def test_a_sweep_runs_on_a_schedule_scenario():
    scenario = load_scenario(library_scenarios()["income_tax_scottish_bands_everywhere"])
    result = sweep(scenario, {"steps[0].rate": "0:1:5"})
    single = run_scenario(scenario)
    assert np.isfinite(result.resources_per_head).all()
    # the 75% point of the sweep is the scenario itself, schedule yields included
    np.testing.assert_allclose(result.resources_per_head[3, 0],
                               np.asarray(single.state.resources)[0] / np.asarray(
                                   single.state.population)[0], rtol=1e-9)


def test_cli_run_prints_the_incidence_table(capsys):
    code = main(["run", "income_tax_scottish_bands_everywhere"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Income tax by schedule, 2024-25" in out and "Incidence by decile" in out
    assert out.count("scotland_2024_25") == 12 and "Top 1% before" in out


def test_cli_run_without_schedule_prints_no_incidence(capsys):
    assert main(["run", "income_tax_gap_fill_75"]) == 0
    assert "Incidence by decile" not in capsys.readouterr().out


def test_a_sweep_of_a_band_rate_equals_each_point_run_alone(tmp_path):
    """fiscalsim sweep over devolution.income_tax.schedules.<code>.rates.<band>: every point
    (vectorised, factors with a leading point axis) equals the scenario run at that rate."""
    body = ("devolution:\n  income_tax:\n    share: 1\n    own_rate: true\n    schedules:\n"
            "      TLC: {schedule: ruk_2024_25, rates: {higher: %s}}\n")
    path = _scenario(tmp_path, body % "0.41")
    scenario = load_scenario(path)
    values = [0.38, 0.41, 0.47]
    result = sweep(scenario, {"devolution.income_tax.schedules.TLC.rates.higher": values})
    for k, value in enumerate(values):
        alone = run_scenario(load_scenario(_scenario(tmp_path, body % value, f"p{k}")))
        per_head = np.asarray(alone.state.resources) / np.asarray(alone.state.population)
        np.testing.assert_allclose(result.resources_per_head[k], per_head, rtol=1e-12)
    with pytest.raises(Exception, match="no band 'top'"):
        sweep(scenario, {"devolution.income_tax.schedules.TLC.rates.top": values})
    with pytest.raises(Exception, match="out of range"):
        sweep(scenario, {"devolution.income_tax.schedules.TLC.rates.higher": [0.4, 1.2]})


def test_incidence_tables_add_up():
    from simulator.income_tax.incidence import incidence

    tables = incidence({"TLM": load_schedule("ruk_2024_25"),
                        "TLC": with_overrides(load_schedule("ruk_2024_25"),
                                              rates={"additional": 0.5})}, elasticity=0.0)
    for table in (tables.deciles, tables.classes):
        sums = table.groupby("code")[["change_gbp_m", "taxpayers", "winners", "losers"]].sum()
        regions = tables.regions.set_index("code")
        np.testing.assert_allclose(sums.loc[regions.index, "change_gbp_m"],
                                   regions["change_gbp_m"], rtol=1e-9)
        np.testing.assert_allclose(sums.loc[regions.index, "winners"], regions["winners"])
    north_east = tables.classes[tables.classes["code"] == "TLC"].set_index("hmrc_class")
    # a higher additional rate costs only additional-rate payers
    assert north_east.loc["additional", "losers"] > 0
    assert north_east.loc["basic", "losers"] == 0 and north_east.loc["higher", "losers"] == 0
    scotland = tables.regions.set_index("code").loc["TLM"]
    assert scotland["change_gbp_m"] < 0 and 0 < scotland["top1_share_after"] < 1
