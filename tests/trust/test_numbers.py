"""Numbers that are not numbers (issue 13, class 2).

Every numeric field of every step and of the scenario schema refuses a bool, text
that is not a plain number, infinities, NaN, 1e999 and magnitudes beyond the sane
limit of its kind, with file, line, field, the value as written and the range; ints
where floats are expected stay valid.  The Python API refuses the same.
"""

from __future__ import annotations

import dataclasses
import re
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from simulator.cli import main
from simulator.errors import DataValidationError
from simulator.quantities import LIMITS, _field_shape, check_number, kind_of
from simulator.scenario import ScenarioError, parse_scenario
from simulator.steps import STEP_TYPES
from simulator.steps.needs_pool import NeedsPool

from trust_helpers import registered, tiny


def _numeric_fields() -> list[tuple[str, str, dict]]:
    """(step type, field, bounds) of every field that takes a plain number."""
    fields = []
    for step_type, cls in sorted(STEP_TYPES.items()):
        for name in cls.model_fields:
            found = _field_shape(cls, name)
            if found and "number" in found[0]["atoms"] and "other" not in found[0]["atoms"]:
                fields.append((step_type, name, found[1]))
    return fields


NUMERIC_FIELDS = _numeric_fields()

#: (YAML as written, what the message must show of it)
HOSTILE = [
    ("yes", "true (true/false) is not a number"), ("no", "false (true/false) is not a number"),
    ("on", "true (true/false)"), ("off", "false (true/false)"), ("True", "true (true/false)"),
    (".inf", ".inf is not a finite number"), ("-.inf", "-.inf is not a finite number"),
    (".nan", ".nan is not a number (undefined)"), (".NaN", ".nan is not a number"),
    ("1e999", "1e999 is not a finite number"), ("-1e999", "-1e999 is not a finite number"),
    ("'inf'", "got 'inf' (text)"), ('"nan"', "got 'nan' (text)"),
    ("'Infinity'", "got 'Infinity' (text)"), ("'1,5'", "got '1,5' (text)"),
    ("1" + "0" * 400, "1e+400 (a 401-digit whole number) is not a finite number"),
    ("1.0e+300", "1e+300 is beyond the sane magnitude"),
]


def test_every_step_has_its_numeric_fields_checked():
    assert len(NUMERIC_FIELDS) >= 20  # rates, amounts, indices of the built-in steps
    assert {"gap_fill", "needs_pool", "minimum_guarantee"} <= {t for t, _, _ in NUMERIC_FIELDS}


@settings(max_examples=80)
@given(field=st.sampled_from(NUMERIC_FIELDS), hostile=st.sampled_from(HOSTILE),
       indent=st.integers(0, 3))
def test_a_hostile_scalar_in_any_step_field_is_refused_where_it_was_written(field, hostile, indent):
    step_type, name, bounds = field
    written, shown = hostile
    pad = " " * indent
    text = f"# a comment\nsteps:\n{pad}- type: {step_type}\n{pad}  {name}: {written}\n"
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "hostile.yaml", check_data=False)
    located = [p for p in error.value.problems if p.path == f"steps[0].{name}"]
    assert located, error.value.problems
    [problem] = located
    assert (problem.file, problem.line) == ("hostile.yaml", 4)
    assert shown in problem.message
    assert "allowed:" in problem.message
    assert "0" * 30 not in problem.message  # never the 401-digit integer


@settings(max_examples=80)
@given(field=st.sampled_from(NUMERIC_FIELDS), data=st.data())
def test_numbers_within_the_range_stay_valid_ints_included(field, data):
    step_type, name, bounds = field
    limit = LIMITS[kind_of(bounds["unit"])][0]
    low = max(bounds["ge"] if bounds["ge"] is not None else -limit, -limit)
    high = min(bounds["le"] if bounds["le"] is not None else limit, limit)
    value = data.draw(st.one_of(st.integers(math.ceil(low), math.floor(high)),
                                st.floats(low, high, allow_nan=False)))
    checked = check_number(value, **bounds)
    assert checked == value and type(checked) is type(value)


@pytest.mark.parametrize("text, path, shown", [
    ("devolution: {income_tax: no}\n", "devolution.income_tax", "false (true/false)"),
    ("devolution: {vat: {share: 'inf'}}\n", "devolution.vat.share", "got 'inf' (text)"),
    ("projection: {end_year: 2030-31, rate: 1e999}\n", "projection.rate", "1e999"),
    ("projection: {end_year: 2030-31, population_growth: {A: yes}}\n",
     "projection.population_growth.A", "true (true/false)"),
    ("steps: [{type: gap_fill, standard: {kind: per_head, amount: 1.0e+9}}]\n",
     "steps[0].standard.amount", "beyond the sane magnitude of money per head"),
    ("steps: [{type: weight_population, weights: {A: .inf}}]\n", "steps[0].weights.A", ".inf"),
    ("steps: [{type: needs_pool, amount: '1e999'}]\n", "steps[0].amount", "1e999"),
])
def test_schema_fields_refuse_them_too(text, path, shown):
    with pytest.raises(ScenarioError) as error:
        parse_scenario("dataset: uk_itl1\n" + text, "s.yaml", check_data=False)
    problem = next(p for p in error.value.problems if p.path == path)
    assert problem.line == 2 and shown in problem.message and "allowed" in problem.message


def test_a_number_yaml_leaves_as_text_is_read_as_the_number():
    """PyYAML reads 1e9 (no dot) as text; it is the number its author wrote."""
    scenario = parse_scenario("dataset: uk_itl1\nsteps: [{type: needs_pool, amount: 1e9}]\n",
                              check_data=False)
    assert scenario.steps[0].amount == 1e9


# ------------------------------------------------------------------ Python API
@pytest.mark.parametrize("value, shown", [
    (float("inf"), ".inf is not a finite number"), (float("nan"), ".nan is not a number"),
    (True, "true (true/false)"), ("inf", "got 'inf' (text)"), (1 + 2j, "complex number"),
    (10 ** 400, "a 401-digit whole number"), (1e16, "beyond the sane magnitude"),
    (np.bool_(True), "true (true/false)"),
])
def test_steps_built_in_python_refuse_them(value, shown):
    with pytest.raises(ValidationError) as error:
        NeedsPool(amount=value)
    [item] = error.value.errors()
    assert item["loc"] == ("amount",) and shown in item["msg"]
    assert "allowed: 0 to 1e+15 (currency)" in item["msg"]


def test_a_step_added_later_with_a_plain_float_is_checked_without_doing_anything():
    from typing import Literal

    from simulator.steps.base import Step, param

    class _Later(Step):
        type: Literal["trust_later_step"] = "trust_later_step"
        bonus: float = param(0.0, description="test", unit="currency per head", ge=0)

    try:
        with pytest.raises(ValidationError, match="true/false"):
            _Later(bonus=True)
        with pytest.raises(ValidationError, match="not a finite number"):
            _Later(bonus=float("inf"))
        assert _Later(bonus=3).bonus == 3.0
    finally:
        STEP_TYPES.pop("trust_later_step", None)


@pytest.mark.parametrize("dtype, shown", [(bool, "true/false values"),
                                          (complex, "complex numbers")])
def test_a_federation_refuses_bool_or_complex_data(dtype, shown):
    fed = tiny()
    with pytest.raises(DataValidationError, match=f"not {shown}.*column 'population'"):
        dataclasses.replace(fed, population=fed.population.astype(dtype))
    revenue = fed.revenue.astype(object)
    revenue[0, 0, 0] = dtype(1)
    with pytest.raises(DataValidationError, match=f"not {shown}.*column 'revenue'"):
        dataclasses.replace(fed, revenue=revenue)


def test_results_that_overflow_are_refused_not_shown_as_n_a(tmp_path, capsys):
    """Amounts near the float limit overflow in the engine: exit 1 with the place, no 'n/a'."""
    path = tmp_path / "huge.yaml"
    path.write_text("dataset: huge\nyear: 2024-25\nblock_grant: identifiable_expenditure\n")
    with registered(lambda year=None: tiny(year, scale=2.5e298, spending_scale=5e297), "huge"):
        code = main(["run", str(path), "--out", str(tmp_path / "out.csv")])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert "not finite numbers" in err + out and "n/a" not in out
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("bad", [True, 1 + 0j])
def test_frames_with_bool_or_complex_values_are_refused_with_their_cell(bad):
    import pandas as pd

    from simulator.federation import Federation

    regions = pd.DataFrame({"code": ["A", "B"], "name": ["a", "b"], "nation": ["x", "x"]})
    population = pd.DataFrame({"year": "2024", "code": ["A", "B"], "population": [1.0, 2.0]})
    revenue = pd.DataFrame({"year": "2024", "code": ["A", "B"], "tax": "vat",
                            "value": pd.Series([1.0, bad], dtype=object)})
    with pytest.raises(DataValidationError, match="not a real number") as error:
        Federation.from_frames("t", regions, revenue, population)
    assert (error.value.region, error.value.column, error.value.year) == ("B", "vat", "2024")


def test_the_shared_annotated_types_carry_unit_and_range():
    from typing import Literal

    from simulator.quantities import AmountPerHead, Rate, TotalAmount
    from simulator.steps.base import Step

    class _Typed(Step):
        type: Literal["trust_typed_step"] = "trust_typed_step"
        rate: Rate = 0.5
        per_head: AmountPerHead = 0.0
        total: TotalAmount = 0.0

    try:
        assert _Typed(rate=1, per_head=250, total=5e9).rate == 1.0
        for field, value, shown in (("rate", 1.5, "less than or equal to 1"),
                                    ("rate", "yes", "got 'yes' (text); allowed: 0 to 1 (rate"),
                                    ("per_head", 2e8, "beyond the sane magnitude of money per head"),
                                    ("total", float("inf"), "allowed: -1e+15 to 1e+15 (currency)")):
            with pytest.raises(ValidationError, match=re.escape(shown)):
                _Typed(**{field: value})
    finally:
        STEP_TYPES.pop("trust_typed_step", None)
