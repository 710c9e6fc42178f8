"""fiscalsim: the Streamlit front end (`make app`).

One file per page under ``app_pages/``; pages call the public API of
``simulator`` and draw with ``simulator.presentation``, no formula here.
"""

import streamlit as st

st.set_page_config(page_title="fiscalsim: devolution and equalisation", layout="wide",
                   page_icon="🏛️")

PAGES = [
    st.Page("app_pages/explore.py", title="Explore", icon=":material/map:", default=True),
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("app_pages/over_time.py", title="Over time", icon=":material/timeline:",
            url_path="over_time"),
    st.Page("app_pages/need_index.py", title="Need index", icon=":material/hexagon:",
            url_path="need_index"),
    st.Page("app_pages/needs.py", title="Needs", icon=":material/balance:", url_path="needs"),
    st.Page("app_pages/neighbourhoods.py", title="Neighbourhoods", icon=":material/holiday_village:", url_path="neighbourhoods"),  # noqa: E501
    st.Page("app_pages/targets.py", title="Targets", icon=":material/target:"),
    st.Page("app_pages/taxes.py", title="Taxes", icon=":material/account_balance:"),
    st.Page("app_pages/income_tax.py", title="Income tax", icon=":material/receipt_long:",
            url_path="income_tax"),
    st.Page("app_pages/learn.py", title="Learn", icon=":material/school:"),
    st.Page("app_pages/editor.py", title="Scenario editor", icon=":material/edit_note:",
            url_path="editor"),
    st.Page("app_pages/data.py", title="Data", icon=":material/table_chart:"),
]

# Layout at any width (1440 px to a 390 px phone): wide markdown tables and long formulas
# scroll sideways inside their block instead of being cut off at the window's edge.
st.markdown("<style>[data-testid='stMarkdownContainer'] table {display: block; max-width: 100%;"
            " overflow-x: auto;} .katex-display {overflow-x: auto; overflow-y: hidden;}"
            "</style>", unsafe_allow_html=True)

st.navigation(PAGES).run()
