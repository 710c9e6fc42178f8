"""Learn: each mechanism step by step on a five-region teaching federation."""

import streamlit as st

import simulator
from app_pages import _shared as app
from simulator import presentation
from simulator.steps import STEP_TYPES

st.title("Learn: how equalisation works, step by step")
fed = app.federation(app.TEACHING)
year = fed.years[-1]
cur = fed.currency
st.markdown(
    f"Five made-up regions with round numbers, so every formula can be checked by hand "
    f"(amounts in {cur}, financial year {year}). Today each region gets a grant from the centre "
    "(its *identifiable expenditure*). We devolve a tax, adjust the grant, then apply one "
    "equalisation mechanism.")
overview = presentation.federation_table(fed, year)
per_head = [c for c in overview.columns if "/head" in c]
st.dataframe(presentation.number_style(overview, per_head).format(
                 "{:.2f}", subset=[c for c in overview.columns[2:] if c not in per_head]),
             hide_index=True, key="l_federation", column_config={"code": "Code",
                                                                 "region": "Region"})

# ------------------------------------------------------------------ step 0: devolution
st.header("1. Devolve a tax")
names = list(fed.names)
app.seed("l_region", "region", names)
app.seed("l_tax", "tax", list(fed.taxes))
app.seed("l_share", "share", parse=float)
if not 0.05 <= st.session_state.get("l_share", 1.0) <= 1.0:
    st.session_state["l_share"] = 1.0
cols = st.columns(3)
tax = cols[0].selectbox("Tax devolved", fed.taxes, key="l_tax", format_func=presentation.tax_label)
share = cols[1].slider("Share devolved (s)", 0.05, 1.0, 1.0, step=0.05, key="l_share")
region = cols[2].selectbox("Region worked through", names, key="l_region")
i = names.index(region)

devolution = simulator.System(devolution={tax: share}, block_grant="identifiable_expenditure",
                              need_index="need_index")
start = simulator.run(fed, devolution).state
for caption, latex in presentation.explain_devolution(start, fed, tax, share, i):
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
                    format_func=lambda t: f"{STEP_TYPES[t].title} ({STEP_TYPES[t].real_system})")
cls = STEP_TYPES[kind]
st.caption(f"Legal source: {cls.reference}")

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
                                      key="l_fp_method")
elif kind == "weight_population":
    params["weights"] = {fed.codes[i]: p[0].slider(f"Weight on {region}'s inhabitants", 0.5,
                                                   2.0, 1.35, 0.05, key="l_wp_weight")}
app.share(tax=tax, share=f"{share:g}", region=region, mechanism=kind)

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
for caption, latex in presentation.explain_step(step, before, result.state, fed, i):
    st.markdown(caption)
    st.latex(latex)

st.subheader(f"Every region ({cur} per head, {year})")
measure = getattr(step, "measure", "capacity")
table = presentation.learn_table(before, result.state, fed, measure)
st.dataframe(presentation.number_style(table, table.columns[2:]).format(
    "{:.1f}", subset=["Population (m)"]), hide_index=True, key="l_table")
st.plotly_chart(presentation.resources_figure(result, year), key="l_chart")
st.caption("Before: today's grant (the status quo). After: the tax devolved, the grant "
           "adjusted, and the mechanism applied.")
