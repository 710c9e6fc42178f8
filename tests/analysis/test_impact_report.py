"""The annual report's regional impact assessments: declared in the scenario or added
by ``fiscalsim report --impact-tax / --impact-spending``, one section each, with the
figures of :mod:`simulator.analysis.impact`."""

from __future__ import annotations

import re

import numpy as np
import pytest

from simulator.analysis import build_report
from simulator.analysis.impact import spending_change, tax_change
from simulator.analysis.report import scenario_from_report
from simulator.cli import main
from simulator.data import load_federation
from simulator.scenario.schema import ImpactAssessmentSpec


def sections(text: str) -> dict[str, tuple[str, list[list[str]]]]:
    """id -> (heading, table rows as cell texts) of every impact section."""
    out = {}
    for ident, body in re.findall(r"<section class='impact' id='([^']+)'>(.*?)</section>",
                                  text, re.S):
        heading = re.search(r"<h2>(.*?)</h2>", body, re.S).group(1)
        tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
        rows = [re.findall(r"<td>(.*?)</td>", row, re.S)
                for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]
        out[ident] = (heading, rows)
    return out


def number(text: str) -> float:
    return float(text.replace(",", ""))


def assert_matches(rows, impact):
    """Each region's row shows the impact's figures at the precision printed."""
    frame = impact.frame
    c = impact.currency.lower()
    assert [r[0] for r in rows] == list(frame["code"])
    assert [r[1] for r in rows] == list(frame["region"])
    np.testing.assert_allclose([number(r[2]) for r in rows], frame[f"effect_{c}_m"],
                               atol=0.05 + 1e-9)
    np.testing.assert_allclose([number(r[3]) for r in rows], frame[f"effect_per_head_{c}"],
                               atol=0.005 + 1e-9)
    np.testing.assert_allclose([number(r[4]) for r in rows], frame["index_uk_100"],
                               atol=0.5 + 1e-9)


@pytest.fixture(scope="module")
def report(library):
    """statutory_guarantee_90 (VAT +5% declared) with a health spending line added."""
    scenario = library["statutory_guarantee_90"]
    extra = ImpactAssessmentSpec(function="7. Health", amount=1000, year="2023-24")
    scenario = scenario.model_copy(update={"impact_assessments": list(
        scenario.impact_assessments) + [extra]})
    return scenario, build_report(scenario)


def test_the_library_scenario_declares_a_vat_assessment(library):
    declared = library["statutory_guarantee_90"].impact_assessments
    assert [(a.tax, a.yield_change, a.elasticity) for a in declared] == [("vat", 0.05, 0.0)]


def test_one_section_per_assessment_with_the_impact_figures(report):
    scenario, text = report
    found = sections(text)
    assert list(found) == ["impact-1", "impact-2"]
    fed = load_federation("uk_itl1")
    vat = tax_change(fed, "vat", 0.05, year="2024-25")  # the scenario's year
    health = spending_change(fed, "7. Health", 1000, year="2023-24")  # its own year
    heading, rows = found["impact-1"]
    assert heading == f"Regional impact: {vat.title}" and "2024-25" in heading
    assert len(rows) == 12
    assert_matches(rows, vat)
    assert all(number(r[2]) < 0 for r in rows)  # a rise: every region's residents pay
    heading, rows = found["impact-2"]
    assert "7. Health" in heading and "2023-24" in heading
    assert_matches(rows, health)
    assert sum(number(r[2]) for r in rows) == pytest.approx(1000, abs=12 * 0.05)
    # the sections come after winners and losers, before the path
    assert text.index("id=winners") < text.index("id='impact-1'") < text.index("id=path")
    # the embedded scenario carries them, so the report reproduces itself
    assert scenario_from_report(text).impact_assessments == scenario.impact_assessments


def test_cli_flags_add_to_the_scenario(tmp_path, capsys):
    out = tmp_path / "r.html"
    code = main(["report", "status_quo", "--out", str(out), "--impact-tax", "income_tax:1:0.2",
                 "--impact-spending", "4. of which: transport:-500"])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    found = sections(text)
    assert list(found) == ["impact-1", "impact-2"]
    fed = load_federation("uk_itl1")
    assert_matches(found["impact-1"][1], tax_change(fed, "income_tax", 0.01, elasticity=0.2))
    assert_matches(found["impact-2"][1], spending_change(fed, "4. of which: transport", -500))
    embedded = scenario_from_report(text).impact_assessments
    assert [(a.tax, a.yield_change, a.elasticity, a.function, a.amount) for a in embedded] == [
        ("income_tax", 0.01, 0.2, None, None), (None, None, 0.0, "4. of which: transport", -500)]


@pytest.mark.parametrize("argv, message", [
    (["--impact-tax", "vat"], "use TAX:PCT"),
    (["--impact-tax", "vat:five"], "'five' is not a number"),
    (["--impact-tax", "vatt:5"], "unknown tax family 'vatt'; did you mean 'vat'?"),
    (["--impact-tax", "vat:inf"], "PCT inf is not a finite number"),
    (["--impact-tax", "vat:5000"], "PCT 5000 is out of range; allowed: -99.9999 to 1000"),
    (["--impact-tax", "vat:5:9"], "elasticity: 9.0 is out of range; allowed: 0 to 5"),
    (["--impact-spending", "7. Health"], "use FUNCTION:AMOUNT"),
    (["--impact-spending", "Health:100"], "did you mean '7. Health'?"),
    (["--impact-spending", "7. Health:nan"], ".nan is not a number"),
    (["--impact-spending", "7. Health:1e9"], "out of range; allowed: -1e+07 to 1e+07"),
])
def test_bad_flags_exit_2_with_a_message(tmp_path, capsys, argv, message):
    out = tmp_path / "r.html"
    code = main(["report", "status_quo", "--out", str(out), *argv])
    _, err = capsys.readouterr()
    assert code == 2 and message in err and argv[1] in err and "Traceback" not in err
    assert not out.exists()
