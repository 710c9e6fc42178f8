"""Plain words on screen: no engine identifiers (snake_case ids, ``steps[0].rate``, module
paths, 'scipy brentq', 'zscore') in what any page shows, except the scenario editor, whose
subject is the YAML format, and documents quoted whole (a dataset's provenance)."""

import re

import pytest

from app_helpers import assert_ok, open_page

IDENTIFIER = re.compile(r"(?<![\w/.`$\\-])[a-z][a-z0-9]*_[a-z0-9_]+\b|steps\[\d|brentq|scipy"
                        r"|simulator\.[a-z]|\bzscore\b")
MATH = re.compile(r"\$[^$]*\$")
WIDGETS = ("selectbox", "multiselect", "radio", "slider", "select_slider", "number_input",
           "text_input", "checkbox", "toggle")


def shown_text(at, *, documents: bool) -> list[tuple[str, str]]:
    out = []
    kinds = ["caption", "subheader", "header", "title", "info", "warning", "success", "error"]
    if not documents:
        kinds.append("markdown")
    for kind in kinds:
        out += [(kind, MATH.sub("", e.value)) for e in at.get(kind)]
    for kind in WIDGETS:
        for element in at.get(kind):
            out.append((kind, element.label))
            out += [(kind, str(o)) for o in getattr(element, "options", [])]
    out += [("metric", f"{m.label} {m.value}") for m in at.metric]
    out += [("table", " ".join(map(str, e.value.columns))) for e in at.dataframe]
    return out


@pytest.mark.parametrize("page, query", [
    ("explore", {}), ("compare", {}), ("over_time", {}), ("need_index", {}), ("targets", {}),
    ("learn", {}), ("learn", {"system": "canada_equalization_2025_26"}), ("data", {}),
    ("needs", {}), ("neighbourhoods", {}), ("taxes", {}), ("income_tax", {}),
])
def test_no_identifiers_on_screen(library, page, query):
    at = open_page(page, **query)
    assert_ok(at)
    found = [(kind, match) for kind, text in shown_text(at, documents=page == "data")
             for match in IDENTIFIER.findall(text)]
    assert not found, found


def test_real_systems_on_the_uk_are_named_by_country(library):
    at = open_page("compare", scenarios="canada_rules_on_uk,germany_rules_on_uk,"
                                        "australia_rules_on_uk,switzerland_rules_on_uk")
    assert_ok(at)
    assert at.multiselect(key="c_scenarios").value == [
        "canada_rules_on_uk", "germany_rules_on_uk", "australia_rules_on_uk",
        "switzerland_rules_on_uk"]
    found = [(kind, match) for kind, text in shown_text(at, documents=False)
             for match in IDENTIFIER.findall(text)]
    assert not found, found
    assert any("Australia's rules on the UK" in s.value for s in at.caption)
