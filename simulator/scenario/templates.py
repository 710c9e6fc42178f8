"""Real systems' rules as templates that run on any federation.

A teacher asks "what would Canada's, Germany's, Australia's or Switzerland's
rules do to the UK?".  Each real system's preset in ``scenarios/`` runs on its
own country's data (its own tax families, region codes and totals), so it
cannot run on the UK's.  A :class:`RealSystemTemplate` keeps the *rules* and
leaves the *data* open: the real system's revenue bases are mapped onto the
tax families of whatever federation it runs on, and everything specific to
one country's regions or one year's totals is either derived from the data
or left out (each template says which, in ``left_out``).

The mapping of the UK's tax families (``uk_itl1``, ONS CRPSF FYE 2025) onto
each system's bases is ``RealSystemTemplate.uk_mapping``, documented base by
base in ``docs/real_systems_on_uk.md`` and in the library files
``scenarios/<country>_rules_on_uk.yaml`` that :func:`library_yaml` writes.
Taxes a template does not map stay central.

>>> from simulator.scenario.templates import template_scenario
>>> scenario = template_scenario("canada", "uk_itl1", "2024-25")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..errors import ConfigurationError

__all__ = ["RealSystemTemplate", "TEMPLATES", "real_system_templates", "resolve_mapping",
           "template_system", "template_scenario", "library_yaml", "UK_DATASET"]

UK_DATASET = "uk_itl1"
Mapping_ = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class RealSystemTemplate:
    """One real system's rules, with the revenue bases they equalise."""

    key: str                                  # "canada"
    country: str                              # "Canada"
    system: str                               # "Equalization 2025-26"
    reference: str                            # the law
    preset: str                               # the library preset on the country's own data
    bases: dict[str, str]                     # base -> what it is in the real system
    uk_mapping: dict[str, tuple[str, ...]]    # base -> uk_itl1 tax families
    uk_notes: dict[str, str]                  # base -> why those UK taxes
    left_out: str                             # what the template does not carry over
    build: Callable[..., dict[str, Any]] = field(repr=False, compare=False)
    required: tuple[str, ...] = ()            # bases that must have at least one tax

    @property
    def label(self) -> str:
        """How a page names it: the country first."""
        return f"{self.country}: {self.system}"

    @property
    def scenario_name(self) -> str:
        """The library scenario that applies it to the UK."""
        return f"{self.key}_rules_on_uk"


def _taxes(mapping: Mapping_, *bases: str) -> list[str]:
    return [tax for base in bases for tax in mapping.get(base, ())]


def _canada(mapping: Mapping_, **_: Any) -> dict[str, Any]:
    taxes = _taxes(mapping, "personal_income", "business_income", "consumption", "property",
                   "natural_resources")
    resources = _taxes(mapping, "natural_resources")
    fifty = {tax: 0.5 for tax in resources}
    options = [fifty, {tax: 0.0 for tax in resources}] if resources else [{}]
    formula = "Equalization formula (s.3.2)"
    return {
        "devolution": {tax: 1 for tax in taxes},
        "block_grant_adjustment": "per_capita",
        "steps": [
            {"type": "source_gap_fill", "label": formula, "inclusion": options},
            {"type": "capacity_cap", "label": "Fiscal capacity cap (s.3.4)",
             "reference_step": {"type": "source_gap_fill", "inclusion": [fifty]},
             "comparison": "by_population", "population_threshold": 0.5, "scope": "last"},
        ],
    }


def _germany(mapping: Mapping_, city_states: Sequence[str] = (), **_: Any) -> dict[str, Any]:
    land, municipal = _taxes(mapping, "land_revenue"), _taxes(mapping, "municipal_taxes")
    weights = {code: 1.35 for code in city_states} or None
    families: dict[str, Any] = {}
    for tax in land:
        families[tax] = {"inclusion": 1.0, **({"weights": weights} if weights else {})}
    for tax in municipal:
        families[tax] = {"inclusion": 0.75, **({"weights": weights} if weights else {})}
    return {
        "devolution": {tax: 1 for tax in land + municipal},
        "block_grant_adjustment": "per_capita",
        "steps": [
            {"type": "family_equalisation", "label": "Surcharges and deductions (Zu-/Abschlaege)",
             "mode": "symmetric", "rate": 0.63, "families": families},
            {"type": "family_equalisation", "label": "General federal top-up (allgemeine BEZ)",
             "mode": "gap_fill", "rate": 0.8, "fraction": 0.9975, "families": families},
        ],
    }


def _australia(mapping: Mapping_, pool: float | None = None, need_index: str | None = None,
               **_: Any) -> dict[str, Any]:
    own = _taxes(mapping, "state_taxes", "mining_royalties")
    if pool is None:
        raise ConfigurationError("australia: the GST pool (the year's revenue of the taxes "
                                 "mapped to 'gst_pool') is needed; template_scenario computes it")
    return {
        "devolution": {tax: 1 for tax in own},
        "block_grant_adjustment": "per_capita",
        **({"need_index": need_index} if need_index else {}),
        "steps": [
            {"type": "needs_pool", "label": "GST shared by relativities",
             "amount": pool, "relativity_floor": 0.75, "measure": "capacity",
             "funding": "equal_per_head"},
        ],
    }


def _switzerland(mapping: Mapping_, **_: Any) -> dict[str, Any]:
    taxes = _taxes(mapping, "resource_potential")
    return {
        "devolution": {tax: 1 for tax in taxes},
        "block_grant_adjustment": "per_capita",
        "steps": [
            {"type": "minimum_guarantee", "label": "Resource equalisation (minimum endowment)",
             "floor_index": 70, "target_index": 86.5, "marginal_rate_at_floor": 0.9},
            {"type": "horizontal_funding", "label": "Strong regions' contribution",
             "ratio_to_centre": 2 / 3, "scope": "last"},
        ],
    }


TEMPLATES: dict[str, RealSystemTemplate] = {t.key: t for t in (
    RealSystemTemplate(
        key="canada", country="Canada", system="Equalization 2025-26",
        reference="Federal-Provincial Fiscal Arrangements Act (R.S.C. 1985 c. F-8) s.3.2-3.4",
        preset="canada_equalization_2025_26",
        bases={
            "personal_income": "personal income taxes",
            "business_income": "business income taxes",
            "consumption": "consumption taxes (sales, fuel, tobacco and alcohol taxes)",
            "property": "property taxes and miscellaneous revenues",
            "natural_resources": "natural resource revenues (counted at 50% or 0%, whichever "
                                 "pays the province more)",
        },
        uk_mapping={
            "personal_income": ("income_tax", "capital_gains_tax"),
            "business_income": ("corporation_tax",),
            "consumption": ("vat", "fuel_duties", "alcohol_tobacco"),
            "property": ("council_tax", "business_rates", "property_transaction_taxes",
                         "vehicle_excise"),
            "natural_resources": ("north_sea",),
        },
        uk_notes={
            "personal_income": "income tax and capital gains tax, taxes on persons' incomes",
            "business_income": "corporation tax (North Sea excluded: it is the resource base)",
            "consumption": "VAT for the provincial sales taxes, fuel duties, alcohol and "
                           "tobacco duties",
            "property": "council tax and business rates (property taxes), stamp duties on "
                        "land and vehicle excise duty (miscellaneous revenues)",
            "natural_resources": "North Sea oil and gas revenue, by geographic share",
        },
        left_out=("National insurance contributions and the other taxes stay central (Canada's "
                  "pension plan and employment insurance are federal). The fixed envelope "
                  "(FPFAA s.3.4(5)-(9), CAD 26,170m in 2025-26) is Canada's own total grown "
                  "with its GDP, so on other data the "
                  "formula's own total is paid; the 50/25/25 three-year moving averages "
                  "(s.3.5) need lagged data and are not applied."),
        build=_canada, required=("personal_income",)),
    RealSystemTemplate(
        key="germany", country="Germany", system="Finanzkraftausgleich 2024",
        reference="Finanzausgleichsgesetz (FAG) as in force since 2020, s.6-11",
        preset="germany_finanzkraftausgleich_2024",
        bases={
            "land_revenue": "the Laender's taxes and their shares of the joint taxes "
                            "(income, corporation and turnover tax), counted in full",
            "municipal_taxes": "the municipalities' taxes (trade tax, property tax), counted "
                               "at 75%",
        },
        uk_mapping={
            "land_revenue": ("income_tax", "capital_gains_tax", "corporation_tax", "vat",
                             "property_transaction_taxes"),
            "municipal_taxes": ("business_rates", "council_tax"),
        },
        uk_notes={
            "land_revenue": "income tax, capital gains tax, corporation tax and VAT for the "
                            "joint taxes, stamp duties on land for the Grunderwerbsteuer",
            "municipal_taxes": "business rates for the Gewerbesteuer and council tax for the "
                               "Grundsteuer",
        },
        left_out=("The UK taxes are devolved in full, where the Laender get only a share of the "
                  "joint taxes. No UK region is a city state, so no inhabitants are weighted "
                  "(FAG s.9: Berlin, Bremen, Hamburg 135%); pass city_states to weight some. "
                  "The special federal grants (Sonderbedarfs-BEZ, s.11(3)-(5)) are left out. "
                  "NICs, fuel, alcohol and tobacco duties, vehicle excise and the rest stay "
                  "central, as federal taxes do in Germany."),
        build=_germany, required=("land_revenue",)),
    RealSystemTemplate(
        key="australia", country="Australia", system="GST distribution 2025-26",
        reference="Federal Financial Relations Act 2009 (Cth) s.8, s.8A; relativity floor "
                  "s.8(2A)-(2B)",
        preset="australia_gst_2025_26",
        bases={
            "state_taxes": "the states' own taxes (payroll tax, land tax, stamp duties, motor "
                           "taxes), which the Commonwealth Grants Commission assesses",
            "mining_royalties": "mining royalties, the states' resource revenue",
            "gst_pool": "the GST, collected centrally and shared by relativity x population",
        },
        uk_mapping={
            "state_taxes": ("property_transaction_taxes", "council_tax", "business_rates",
                            "vehicle_excise"),
            "mining_royalties": ("north_sea",),
            "gst_pool": ("vat",),
        },
        uk_notes={
            "state_taxes": "stamp duties on land, council tax and business rates for land "
                           "tax and rates, vehicle excise for motor taxes",
            "mining_royalties": "North Sea oil and gas revenue, by geographic share",
            "gst_pool": "VAT, the UK's GST: the year's UK total is the pool",
        },
        left_out=("Relativities are derived by horizontal fiscal equalisation: what a region "
                  "needs to provide average services at its need, less its own-tax capacity. "
                  "The UK has no Commonwealth Grants Commission expense assessment, so need is "
                  "fiscalsim's need index (uk_itl1 option need_index: gdhi_proxy: England's "
                  "regions from the local-authority composite, the three nations a GDHI "
                  "proxy); with equal need the rules would equalise own-tax capacity fully and "
                  "change nothing. The 0.75 floor applies. The pool replaces "
                  "an equal per-head share of VAT, so the step costs the centre nothing. "
                  "Payroll tax has no UK regional counterpart (NICs stay central), nor has the "
                  "no-worse-off guarantee."),
        build=_australia, required=("gst_pool",)),
    RealSystemTemplate(
        key="switzerland", country="Switzerland", system="NFA resource equalisation",
        reference="Bundesgesetz ueber den Finanz- und Lastenausgleich (FiLaG, SR 613.2) "
                  "Art. 3a, 4, 6",
        preset="switzerland_nfa_teaching",
        bases={
            "resource_potential": "the cantons' resource potential: taxable income and "
                                  "wealth of persons and profits of companies",
        },
        uk_mapping={
            "resource_potential": ("income_tax", "capital_gains_tax", "corporation_tax"),
        },
        uk_notes={
            "resource_potential": "income tax and capital gains tax (persons' income and "
                                  "wealth gains) and corporation tax (companies' profits)",
        },
        left_out=("Cost equalisation (Lastenausgleich) and the cohesion fund are left out. The "
                  "resource index is each region's mapped revenue per head against the UK "
                  "average (Switzerland uses the standardised tax yield)."),
        build=_switzerland, required=("resource_potential",)),
)}


def real_system_templates() -> dict[str, RealSystemTemplate]:
    """Template key -> template: Canada, Germany, Australia, Switzerland."""
    return dict(TEMPLATES)


def _template(key: str) -> RealSystemTemplate:
    if key not in TEMPLATES:
        raise ConfigurationError(f"unknown real system {key!r}; known: {', '.join(TEMPLATES)}")
    return TEMPLATES[key]


def resolve_mapping(key: str, taxes: Sequence[str], mapping: Mapping_ | None = None,
                    dataset: str | None = None) -> dict[str, tuple[str, ...]]:
    """The base -> tax families mapping for a federation with these ``taxes``.

    ``mapping`` if given; the UK mapping for ``uk_itl1``; else each base that is
    itself a tax family of the data.  Raises ``ConfigurationError`` naming the
    base and the known taxes if a mapped tax is not in the data, a tax is
    mapped twice, a base is unknown, or a required base has no tax.
    """
    template = _template(key)
    if mapping is None:
        if dataset == UK_DATASET:
            mapping = template.uk_mapping
        else:
            mapping = {base: (base,) for base in template.bases if base in taxes}
    resolved: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for base, mapped in mapping.items():
        if base not in template.bases:
            raise ConfigurationError(f"{key}: unknown base {base!r}; its bases: "
                                     f"{', '.join(template.bases)}")
        mapped = (mapped,) if isinstance(mapped, str) else tuple(mapped)
        for tax in mapped:
            if tax not in taxes:
                raise ConfigurationError(f"{key}: base {base!r} maps tax {tax!r}, which is not "
                                         f"in the data; known: {', '.join(taxes)}")
            if tax in seen:
                raise ConfigurationError(f"{key}: tax {tax!r} is mapped to both "
                                         f"{seen[tax]!r} and {base!r}")
            seen[tax] = base
        resolved[base] = mapped
    for base in template.required:
        if not resolved.get(base):
            raise ConfigurationError(
                f"{key}: base {base!r} ({template.bases[base]}) needs at least one tax of the "
                f"data; give a mapping, e.g. {{{base!r}: [...]}} from: {', '.join(taxes)}")
    return resolved


def template_system(key: str, mapping: Mapping_, **options: Any) -> dict[str, Any]:
    """The system (devolution, block grant adjustment, steps) as scenario data."""
    return _template(key).build(mapping, **options)


def _pool(federation, taxes: Sequence[str]) -> float:
    """The year's national revenue of ``taxes`` (the federation holds one year)."""
    index = [federation.taxes.index(tax) for tax in taxes]
    return float(np.asarray(federation.revenue)[..., index, :].sum())


def template_scenario(key: str, dataset: str = UK_DATASET, year: str | None = None, *,
                      mapping: Mapping_ | None = None, federation=None,
                      block_grant: str | None = "identifiable_expenditure",
                      city_states: Sequence[str] = (), options: Mapping[str, Any] | None = None):
    """A :class:`~simulator.scenario.Scenario` applying real system ``key`` to a dataset.

    Args:
        dataset: a built-in dataset (default the UK's ITL1 regions); ignored for the
            data when ``federation`` is given, but kept as the scenario's dataset name.
        year: one year (default: the dataset's last).
        mapping: base -> tax families; default :func:`resolve_mapping`.
        federation: run on this federation instead of loading ``dataset``.
        block_grant: today's grant indicator (None: resources start at zero; it is
            dropped when the data have no such indicator).
        city_states: Germany only: region codes whose inhabitants weigh 135%.
        options: dataset options (``uk_itl1``: north_sea geographic by default).

    The baseline is the status quo: nothing devolved, the same block grant.
    """
    from ..data import load_federation
    from .schema import Scenario

    template = _template(key)
    if options is None:
        options = {"north_sea": "geographic"} if dataset == UK_DATASET else {}
        if dataset == UK_DATASET and key == "australia":
            options["need_index"] = "gdhi_proxy"
    options = dict(options)
    if federation is None:
        federation = load_federation(dataset, **options)
    year = year or federation.years[-1]
    if year not in federation.years:
        raise ConfigurationError(f"year {year!r} is not in the data ({federation.years[0]} to "
                                 f"{federation.years[-1]})")
    one_year = federation.select_years([year]) if len(federation.years) > 1 else federation
    resolved = resolve_mapping(key, federation.taxes, mapping, dataset)
    extra: dict[str, Any] = {}
    if key == "australia":
        pool = _pool(one_year, resolved["gst_pool"])
        extra["pool"] = int(pool) if pool == int(pool) else pool
        if "need_index" in federation.indicators:
            extra["need_index"] = "need_index"
    if key == "germany":
        unknown = [c for c in city_states if c not in federation.codes]
        if unknown:
            raise ConfigurationError(f"germany: city state {unknown[0]!r} is not a region; "
                                     f"known: {', '.join(federation.codes)}")
        extra["city_states"] = tuple(city_states)
    system = template_system(key, resolved, **extra)
    grant = block_grant if block_grant in federation.indicators else None
    return Scenario.model_validate({
        "name": template.scenario_name if dataset == UK_DATASET else f"{key}_rules_on_{dataset}",
        "description": f"{template.label} rules applied to {dataset} ({year}).",
        "dataset": {"name": dataset, "options": options}, "year": year,
        "block_grant": grant, **system})


# ------------------------------------------------------------------ library files
def library_yaml(key: str, year: str = "2024-25") -> str:
    """The text of ``scenarios/<key>_rules_on_uk.yaml``: a provenance comment with the
    mapping of the UK taxes, then the system of :func:`template_scenario` on uk_itl1."""
    import yaml

    template = _template(key)
    scenario = template_scenario(key, UK_DATASET, year)
    lines = [f"# {template.label} rules applied to the UK's 12 nations and regions.",
             f"# Rules: {template.reference} (as in the preset {template.preset}.yaml, on its "
             "own data there).",
             "# Mapping of the UK tax families (uk_itl1: ONS Country and Regional Public Sector "
             "Finances,",
             "# FYE 2025 edition) onto the system's bases; taxes not listed stay central:"]
    for base, taxes in template.uk_mapping.items():
        lines.append(f"#   {base} ({template.bases[base]}):")
        lines.append(f"#     {', '.join(taxes)} -- {template.uk_notes[base]}")
    lines.append("# Left out: " + template.left_out)
    lines.append("# Devolved taxes are recovered from block grants equally per head "
                 "(per_capita), so the centre's budget is unchanged before equalisation.")
    lines.append("# Data: uk_itl1, 2024-25. Written by scripts/write_real_systems_on_uk.py "
                 "from simulator.scenario.templates.")
    lines = [_wrap_comment(line) for line in lines]
    body = {
        "extends": "status_quo.yaml",
        "name": template.scenario_name,
        "description": (f"{template.country}'s rules on the UK: {template.system} with the "
                        "UK's taxes mapped onto its bases; compared with the status quo."),
        "dataset": {"name": UK_DATASET, "options": dict(scenario.dataset.options)},
        "year": year,
    }
    data = template_system(key, template.uk_mapping, **_build_options(key, scenario))
    text = "\n".join(lines) + "\n" + yaml.safe_dump(body, sort_keys=False, width=95,
                                                    default_flow_style=None)
    text += "devolution:\n" + "".join(f"  {tax}: {share}\n"
                                      for tax, share in data["devolution"].items())
    text += f"block_grant_adjustment: {data['block_grant_adjustment']}\n"
    if data.get("need_index"):
        text += f"need_index: {data['need_index']}\n"
    text += "steps:\n"
    for step in data["steps"]:
        text += "  - " + "\n    ".join(yaml.safe_dump(step, sort_keys=False, width=95,
                                                      default_flow_style=None).strip()
                                       .splitlines()) + "\n"
    return text


def _build_options(key: str, scenario) -> dict[str, Any]:
    """The template options a built scenario was made with (for writing it out)."""
    if key == "australia":
        amount = scenario.steps[0].amount
        return {"pool": int(amount) if amount == int(amount) else amount,
                "need_index": scenario.need_index}
    return {}


def _wrap_comment(line: str, width: int = 100) -> str:
    import textwrap

    if len(line) <= width:
        return line
    indent = "#   " if line.startswith("#   ") else "# "
    return "\n".join(textwrap.wrap(line, width=width, subsequent_indent=indent + "  "
                                   if indent == "#   " else indent))
