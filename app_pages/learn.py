"""Learn: each mechanism step by step on a five-region teaching federation, and the
real systems of the library (presets) with their formulas and validation."""

import streamlit as st

import simulator
from app_pages import _carry as carry
from app_pages import _shared as app
from simulator.presentation import glossary, learn, results, style
from simulator.scenario.templates import TEMPLATES
from simulator.steps import STEP_TYPES

st.set_page_config(page_title=glossary.PAGE_TITLES["learn"])
st.title("Learn: how equalisation works, step by step")
tab_mechanisms, tab_real, tab_needs, tab_words = st.tabs(["Mechanisms step by step", "Real systems",
                                                          "Spending needs", "Glossary"])

# ------------------------------------------------------------------ glossary
with tab_words:
    st.markdown("Every term these pages use, in plain words.")
    find = st.text_input("Find a term", key="l_find", placeholder="e.g. relativity")
    terms = glossary.glossary_table()
    if find:
        wanted = terms["Term"].str.contains(find, case=False, regex=False) | \
            terms["Meaning"].str.contains(find, case=False, regex=False)
        terms = terms[wanted]
    if terms.empty:
        st.info(f"No term matches '{find}'.")
    st.markdown("\n".join(f"- **{term}**: {meaning}"
                          for term, meaning in zip(terms["Term"], terms["Meaning"])))

# ------------------------------------------------------------------ real systems
with tab_real:
    st.markdown("Four real equalisation systems, each on its own country's data or with its "
                "rules applied to the UK. Each step's formula is the engine's, with the "
                "system's parameters written in; on its own data, the published figures beside "
                "the simulated ones.")
    presets = [n for n in app.PRESETS if n in app.library()]
    if not presets:
        st.info("No real-system preset is in the scenario library (scenarios/*.yaml).")
    else:
        app.seed("l_real", "system", presets)
        system_name = st.selectbox("Real system", presets, key="l_real",
                                   format_func=app.PRESETS.get)
        template = next((t for t in TEMPLATES.values() if t.preset == system_name), None)
        ON_UK = "Its rules applied to the UK"
        where = st.radio("Data", ["Its own country's data", ON_UK], key="l_where",
                         horizontal=True, disabled=template is None or
                         template.scenario_name not in app.library(),
                         help="The UK's taxes are mapped onto the system's revenue bases.")
        on_uk = where == ON_UK and template is not None
        try:
            preset = app.library_scenario(template.scenario_name if on_uk else system_name)
            outcome = app.run(preset)
        except app.USER_ERRORS as exc:
            app.show_error(exc, "This preset")
        else:
            preset_year = outcome.federation.years[-1]
            preset_cur = outcome.currency
            st.markdown(f"**{app.PRESETS[system_name]}**: {(preset.description or '').strip()}")
            st.caption(glossary.explain_abbreviations(
                f"Data: {app.dataset_description(preset.dataset.name)}, {preset_year}."))
            if on_uk:
                st.markdown(f"**Which UK taxes stand for {template.country}'s revenue bases** "
                            "(taxes not listed stay central)")
                st.table(glossary.mapping_table(template))
                st.caption(glossary.explain_abbreviations(f"Left out: {template.left_out}"))
            for k, step in enumerate(preset.steps, start=1):
                kind_cls = STEP_TYPES[step.type]
                st.markdown(f"##### {k}. {step.display_label}")
                st.caption(glossary.explain_abbreviations(
                    f"{kind_cls.title}. Legal source: {kind_cls.reference}"))
                formulas = (learn.step_formulas(step, preset_cur)
                            + glossary.extra_formulas(step, preset_cur))
                for caption, latex in formulas:
                    st.markdown(caption)
                    st.latex(latex)
                if not formulas:
                    st.code(kind_cls.__doc__ or "", language=None)
            st.markdown(f"##### Result by region ({preset_cur} per head, {preset_year})")
            st.plotly_chart(results.resources_figure(outcome, preset_year),
                            key="l_real_chart")
            st.caption(glossary.result_summary(outcome, preset_year))
            regions = results.region_table(outcome.by_region(), preset_cur, preset_year)
            changed = [c for c in regions.columns if c.startswith("Change")]
            st.dataframe(style.gain_loss_style(regions, changed).format(
                "{:,.0f}", subset=[c for c in regions.columns[1:] if c not in changed]),
                hide_index=True, key="l_real_table",
                height=style.table_height(len(regions)),
                # short headers (unit and year in the heading above) so every column shows
                column_config={c: c.split(" (")[0] for c in regions.columns[1:]})
            st.caption("Before: the preset's comparison (e.g. capacity before equalisation); "
                       "after: the system. Index: average = 100.")
            validation = None if on_uk else app.validation_sections().get(system_name)
            if not on_uk:
                st.markdown("##### Published against simulated")
            if validation:
                st.markdown(validation)
            elif not on_uk:
                st.info("No published figures to compare for this system yet.")

#: Short column headers of the Learn table (the unit is in the heading above it).
SHORT = {"Measure before the mechanism": "Measure before",
         "Transfer of the mechanism": "Transfer",
         "Resources after devolution, before the mechanism": "Resources before",
         "Resources after the mechanism": "Resources after"}

# ------------------------------------------------------------------ mechanisms
with tab_mechanisms:
    fed = app.federation(app.TEACHING)
    year = fed.years[-1]
    cur = fed.currency
    st.markdown(
        f"Five made-up regions with round numbers, so every formula can be checked by hand "
        f"(amounts in {cur}, financial year {year}). Today each region gets a grant from the "
        "centre (its *identifiable expenditure*). We devolve a tax, adjust the grant, then apply "
        "one equalisation mechanism.")
    overview = learn.federation_table(fed, year)
    per_head = [c for c in overview.columns if "/head" in c]
    st.dataframe(style.number_style(overview, per_head).format(
                     "{:.2f}", subset=[c for c in overview.columns[2:] if c not in per_head]),
                 hide_index=True, key="l_federation",
                 column_order=[c for c in overview.columns if c != "code"],
                 # short headers so every column shows at 1440 px: units in the caption
                 column_config={"region": "Region", **{
                     c: c.replace(f" ({cur}/head)", "").replace(" (index (mean 1))", " (index)")
                     for c in overview.columns[2:]}})
    st.caption(f"Per-head columns in {cur} per head, {year}; need index: 1 = the mean.")

    # ------------------------------------------------------------------ step 0: devolution
    st.header("1. Devolve a tax")
    names = list(fed.names)
    app.seed("l_region", "region", names)
    app.seed("l_tax", "tax", list(fed.taxes))
    app.seed("l_share", "share", parse=float)
    if not 0.05 <= st.session_state.get("l_share", 1.0) <= 1.0:
        st.session_state["l_share"] = 1.0
    cols = st.columns(3)
    tax = cols[0].selectbox("Tax devolved", fed.taxes, key="l_tax",
                            format_func=style.tax_label)
    share = cols[1].slider("Share devolved (s)", 0.05, 1.0, 1.0, step=0.05, key="l_share")
    region = cols[2].selectbox("Region worked through", names, key="l_region")
    i = names.index(region)

    devolution = simulator.System(devolution={tax: share}, block_grant="identifiable_expenditure",
                                  need_index="need_index")
    start = simulator.run(fed, devolution).state
    for caption, latex in learn.explain_devolution(start, fed, tax, share, i):
        st.markdown(caption)
        st.latex(latex)

    # ------------------------------------------------------------------ step 1: a mechanism
    st.header("2. Apply one mechanism")
    MECHANISMS = [t for t in ("gap_fill", "symmetric", "minimum_guarantee", "needs_pool",
                              "no_worse_off", "change_limits", "horizontal_funding", "fixed_pool",
                              "weight_population") if t in STEP_TYPES]
    #: Mechanisms that act on earlier transfers follow a full gap-fill here.
    NEEDS_EARLIER = {"horizontal_funding", "fixed_pool"}
    app.seed("l_step", "mechanism", MECHANISMS)
    kind = st.selectbox("Mechanism", MECHANISMS, key="l_step",
                        format_func=lambda t: f"{STEP_TYPES[t].title} "
                                              f"({STEP_TYPES[t].real_system})")
    cls = STEP_TYPES[kind]
    st.caption(glossary.explain_abbreviations(f"Legal source: {cls.reference}"))

    params = {}
    p = st.columns(3)
    if kind == "gap_fill":
        params["rate"] = p[0].slider("Rate filled", 0.0, 1.0, 0.75, 0.05, key="l_gf_rate")
        params["standard"] = {"fraction": p[1].slider("Standard: share of the average", 0.5, 1.5,
                                                      1.0, 0.05, key="l_gf_fraction")}
    elif kind == "symmetric":
        params["rate"] = p[0].slider("Rate (share of the distance closed)", 0.0, 1.0, 0.63, 0.01,
                                     key="l_sym_rate")
    elif kind == "minimum_guarantee":
        params["floor_index"] = p[0].slider("Floor index", 50.0, 95.0, 70.0, 0.5, key="l_mg_floor")
        params["target_index"] = p[1].slider("Target index", 55.0, 100.0, 86.5, 0.5,
                                             key="l_mg_target")
        params["marginal_rate_at_floor"] = p[2].slider("Marginal rate at the floor", 0.0, 1.0, 0.9,
                                                       0.05, key="l_mg_rate")
    elif kind == "needs_pool":
        params["pool_per_head"] = p[0].number_input(f"Pool ({cur} per head of the population)",
                                                    0.0, 20_000.0, 1_000.0, 100.0, key="l_np_pool")
    elif kind == "change_limits":
        params["floor_change"] = p[0].slider("Floor: lowest change vs baseline", -0.5, 0.0, -0.02,
                                             0.01, key="l_cl_floor")
        params["cap_change"] = p[1].slider("Cap: highest change vs baseline", 0.0, 1.0, 0.05, 0.01,
                                           key="l_cl_cap")
        params["self_financing"] = p[2].toggle("Regions above the floor pay for it",
                                               key="l_cl_self")
    elif kind == "horizontal_funding":
        params["share"] = p[0].slider("Share of the centre's cost paid by strong regions", 0.0, 1.0,
                                      1.0, 0.05, key="l_hf_share")
    elif kind == "fixed_pool":
        params["amount_per_head"] = p[0].number_input(f"Pool ({cur} per head of the population)",
                                                      0.0, 20_000.0, 500.0, 50.0, key="l_fp_pool")
        params["method"] = p[1].selectbox("Method", ["equal_per_head", "proportional"],
                                          key="l_fp_method",
                                          format_func={"equal_per_head": "Equal amount per head",
                                                       "proportional": "In proportion to "
                                                                       "receipts"}.get)
    elif kind == "weight_population":
        params["weights"] = {fed.codes[i]: p[0].slider(f"Weight on {region}'s inhabitants", 0.5,
                                                       2.0, 1.35, 0.05, key="l_wp_weight")}
    app.share(tax=tax, share=f"{share:g}", region=region, mechanism=kind,
              system=st.session_state.get("l_real"))

    try:
        step = cls.model_validate(params)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "These parameters")
        st.stop()

    earlier = [STEP_TYPES["gap_fill"](rate=1.0)] if kind in NEEDS_EARLIER else []
    if earlier:
        st.info("This mechanism acts on earlier transfers, so a full gap-fill to the average "
                "runs first here.")
    before_system = devolution.model_copy(update={"steps": earlier})
    after_system = devolution.model_copy(update={"steps": earlier + [step]})
    try:
        before = simulator.run(fed, before_system).state
        result = simulator.run(fed, after_system)
    except app.USER_ERRORS as exc:
        app.show_error(exc, "This mechanism")
        st.stop()

    with st.expander("The formula, as documented in the engine", expanded=False):
        st.code(cls.__doc__ or "", language=None)
    st.subheader(f"Worked through for {region}")
    for caption, latex in learn.explain_step(step, before, result.state, fed, i):
        st.markdown(caption)
        st.latex(latex)

    st.subheader(f"Every region ({cur} per head, {year})")
    measure = getattr(step, "measure", "capacity")
    table = learn.learn_table(before, result.state, fed, measure)
    st.dataframe(style.number_style(table, table.columns[2:]).format(
        "{:.1f}", subset=["Population (m)"]), hide_index=True, key="l_table",
        # short headers so every column shows at 1440 px (the unit is in the heading)
        column_config={c: SHORT.get(c.replace(f" ({cur}/head)", ""),
                                    c.replace(f" ({cur}/head)", ""))
                       for c in table.columns[2:]})
    st.caption("Resources after devolution, before the mechanism: the tax devolved and the "
               "grant adjusted" + (", after the full gap-fill that runs first" if earlier else "")
               + "; not today's settlement, which the chart's first bar shows.")
    learn_fig = results.resources_figure(
        result, year, labels=("Today (status quo)", "After the mechanism"))
    st.plotly_chart(learn_fig, key="l_chart")
    st.caption(glossary.result_summary(result, year, what="After the mechanism, resources per "
                                                           "head"))
    st.caption(f"Resources per head by source ({cur} per head, {year}). Today (status quo): "
               "today's grant, nothing devolved. After the mechanism: the tax devolved, the "
               "grant adjusted, and the mechanism applied.")
    carry.downloads("l", tables=lambda: {"every region": table.round(2)}, scenario=None,
                    federation=fed, figure=learn_fig, stem=f"learn_{step.type}_{year}",
                    report=False, notes=(f"Mechanism: {step.type} on the teaching "
                                         f"federation ({year})",))

# ------------------------------------------------------------------ spending needs
with tab_needs:
    from simulator.needs import FACTORS as NEED_FACTORS, assess_itl1
    from simulator.presentation import needs as needs_draw

    st.markdown(
        "Equalising capacity alone gives every region the same resources per head; but a region "
        "with more old people, more deprivation, fewer people per square mile or dearer staff "
        "must spend more to provide the same services. A **representative expenditure system** "
        "(Australia's Commonwealth Grants Commission) assesses that need category by category: "
        "the UK average spending per head (the standard) times the region's cost drivers, so "
        "that the average stays the standard. Worked through for Wales's health spending, "
        "2024-25 (the Needs page does every region and category, with the weights as sliders):")
    needs_assessment = assess_itl1()
    needs_names = dict(zip(needs_assessment.codes, needs_assessment.codes)) | {
        "TLL": "Wales"}
    for caption, latex in needs_draw.explain_assessment(
            needs_assessment, "TLL", "health", needs_names,
            {k: f.title for k, f in NEED_FACTORS.items()}):
        st.markdown(caption)
        st.latex(latex)
    st.markdown(
        f"Over all ten categories Wales's need index is "
        f"**{100 * needs_assessment.need_index[needs_assessment.codes.index('TLL')]:.1f}** "
        "(UK = 100). Full fiscal equalisation (the `fiscal_equalisation` step) then gives each "
        "region its assessed spending less its own revenue capacity. Method, sources and the "
        "judgements in the weights: docs/needs.md.")
