"""Palette, labels and number formatting shared by every page."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

__all__ = ['GAIN', 'LOSS', 'NEUTRAL', 'SEQUENTIAL', 'DIVERGING', 'OKABE_ITO', 'TAX_LABELS',
           'tax_label', 'source_colours', 'money', 'per_head_label', 'number_style',
           'table_height', 'gain_loss_style', 'tex_money', 'tex_people', 'number_text',
           'wrap_title']


#: Gains (blue) and losses (orange): distinguishable with every common
#: colour-vision deficiency.
GAIN = "#2166AC"


LOSS = "#B35806"


NEUTRAL = "#F7F7F7"


#: Sequential scale, low (near white) -> high (dark blue), after ColorBrewer PuBu:
#: one hue, so it reads the same with every colour-vision deficiency.
SEQUENTIAL = [[0.0, "#F1EEF6"], [0.25, "#BDC9E1"], [0.5, "#74A9CF"], [0.75, "#2B8CBE"],
              [1.0, "#045A8D"]]


#: Diverging scale, losses (orange) -> 0 (near white) -> gains (blue).
DIVERGING = [[0.0, LOSS], [0.25, "#F1A340"], [0.5, NEUTRAL], [0.75, "#67A9CF"], [1.0, GAIN]]


#: Okabe & Ito's eight colours (black last).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]


_BLOCK_GRANT, _OWN_REVENUE = "#999999", "#009E73"


_TRANSFER_COLOURS = ["#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


TAX_LABELS = {
    "income_tax": "Income tax", "capital_gains_tax": "Capital gains tax", "nics": "NICs",
    "vat": "VAT", "corporation_tax": "Corporation tax", "fuel_duties": "Fuel duties",
    "business_rates": "Business rates", "council_tax": "Council tax",
    "property_transaction_taxes": "Property transaction taxes",
    "alcohol_tobacco": "Alcohol and tobacco duties", "vehicle_excise": "Vehicle excise duty",
    "other": "Other taxes", "north_sea": "North Sea revenue",
}


def tax_label(tax: str) -> str:
    """Human name of a tax family (``income_tax`` -> ``Income tax``)."""
    return TAX_LABELS.get(tax, tax.replace("_", " ").capitalize())


def source_colours(sources: Sequence[str]) -> dict[str, str]:
    """Colour of each resource source: block grant grey, own revenue green,
    transfers in Okabe-Ito order."""
    colours, k = {}, 0
    for source in sources:
        if source == "Block grant":
            colours[source] = _BLOCK_GRANT
        elif source == "Own revenue":
            colours[source] = _OWN_REVENUE
        else:
            colours[source] = _TRANSFER_COLOURS[k % len(_TRANSFER_COLOURS)]
            k += 1
    return colours


_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$", "CAD": "C$", "AUD": "A$", "CHF": "CHF "}


def money(value: float, currency: str = "GBP") -> str:
    """``£1,234`` / ``£2.50 bn`` / ``£350 m``; large amounts in m or bn."""
    if value is None or not np.isfinite(value):
        return "n/a"
    symbol = _SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if size >= 1e9:
        body = f"{size / 1e9:,.2f} bn"
    elif size >= 1e7:
        body = f"{size / 1e6:,.0f} m"
    elif size >= 1e6:
        body = f"{size / 1e6:,.1f} m"
    else:
        body = f"{size:,.0f}"
    return f"{sign}{symbol}{body}"


def per_head_label(currency: str, year: str) -> str:
    """Axis/column label of an amount per head: ``GBP per head, 2024-25``."""
    return f"{currency} per head, {year}"


def number_style(table: pd.DataFrame, columns: Sequence[str] | None = None,
                 fmt: str = "{:,.0f}"):
    """A pandas Styler showing ``columns`` (default: every numeric column) as
    ``fmt`` (whole units with thousands separators); the data keep full precision."""
    if columns is None:
        columns = table.select_dtypes("number").columns
    return table.style.format(fmt, subset=list(columns))


def table_height(rows: int) -> int:
    """Pixel height of an ``st.dataframe`` showing ``rows`` rows without scrolling."""
    return 35 * (rows + 1) + 3


def gain_loss_style(table: pd.DataFrame, columns: Sequence[str]):
    """A pandas Styler colouring ``columns`` blue (gain) or orange (loss)."""
    def colour(value: float) -> str:
        if not isinstance(value, (int, float)) or not np.isfinite(value) or value == 0:
            return ""
        return f"color: {GAIN if value > 0 else LOSS}; font-weight: 600"

    return table.style.map(colour, subset=list(columns)).format("{:,.0f}", subset=list(columns))


#: Tax families: Okabe & Ito's seven colours, then Paul Tol's wine, teal, indigo
#: and olive, grey (12th: "other" in the UK data) and black (North Sea).
_TAX_COLOURS = OKABE_ITO[:7] + ["#882255", "#44AA99", "#332288", "#999933", "#999999",
                                "#000000"]


def _cycle(k: int) -> str:
    return _TAX_COLOURS[k % len(_TAX_COLOURS)]


def tex_money(value: float, currency: str = "GBP") -> str:
    r"""LaTeX for an amount: ``\pounds 1{,}500``, ``\pounds 3.60\,\text{bn}``; minus sign kept."""
    symbol = {"GBP": r"\pounds", "EUR": r"\text{€}", "USD": r"\$"}.get(currency,
                                                                       rf"\text{{{currency} }}")
    text = money(value, currency).replace(_SYMBOLS.get(currency, currency + " "), "")
    text = text.replace(",", "{,}").replace(" bn", r"\,\text{bn}").replace(" m", r"\,\text{m}")
    sign = "-" if text.startswith("-") else ""
    return f"{sign}{symbol}\\,{text.lstrip('-')}"


def tex_people(value: float) -> str:
    r"""LaTeX for a population: ``2.0\,\text{m}``."""
    number = f"{value / 1e6:,.1f}".replace(",", "{,}")
    return rf"{number}\,\text{{m}}"


def number_text(fmt: str = "{:,.0f}", missing: str = "n/a"):
    """A formatter for a Styler: ``fmt``, ``missing`` for NaN, and never a
    minus sign on a value that rounds to zero (rounding noise such as -1e-14)."""
    def text(value: float) -> str:
        if value is None or not np.isfinite(value):
            return missing
        shown = fmt.format(value)
        return shown[1:] if shown.startswith("-") and not any(c in "123456789"
                                                             for c in shown) else shown
    return text


def _tex_text(text: str) -> str:
    return text.replace("_", r"\_").replace("%", r"\%").replace("&", r"\&")


def wrap_title(text: str, width: int = 40) -> str:
    """A chart title broken into lines of at most ``width`` characters (at word
    boundaries, ``<br>`` between them): plotly never wraps a title, and a long one on
    a 390 px phone runs past the chart's edge or over the panels below it."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)
