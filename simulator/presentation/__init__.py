"""Presentation helpers for front ends: palette, tidy frames and plotly figures.

Nothing here computes policy: every number comes from the engine (a
:class:`~simulator.engine.result.Result`, a :class:`~simulator.state.FiscalState`
or a :class:`~simulator.federation.Federation`) and is only reshaped, labelled
with its unit and year, and drawn.  The exceptions are documented where they
stand: :func:`lorenz_curve` (a descriptive statistic for a chart),
:func:`teaching_federation` (a made-up five-region federation for the Learn
page), :func:`with_key_options` and :func:`with_contribution_step` (edit a
system's settings, never its results), :func:`hex_geojson` (the geometry of a
hex map) and :func:`explain_step`, which reads a step's inputs from the
engine state to substitute them into its documented formula (the result shown
beside them is always the engine's).

Colours are colour-blind safe: gains blue and losses orange (a blue/orange
diverging scale, after ColorBrewer PuOr/RdBu), categories from Okabe & Ito.

The package follows what it draws, one module each, so a change to one page
touches one module: :mod:`.style` (palette, labels, number formats),
:mod:`.results` (one run, several systems), :mod:`.maps`, :mod:`.revenue`
(Data page), :mod:`.options` (Explore's key options), :mod:`.learn`,
:mod:`.tables` (downloads, problem tables), :mod:`.over_time`,
:mod:`.need_index` and :mod:`.targets`.  Every public name is re-exported
here, so ``from simulator import presentation; presentation.money(...)``
keeps working.
"""

from __future__ import annotations

from .style import *  # noqa: F401,F403
from .style import __all__ as _style
from .results import *  # noqa: F401,F403
from .results import __all__ as _results
from .maps import *  # noqa: F401,F403
from .maps import __all__ as _maps
from .revenue import *  # noqa: F401,F403
from .revenue import __all__ as _revenue
from .options import *  # noqa: F401,F403
from .options import __all__ as _options
from .learn import *  # noqa: F401,F403
from .learn import __all__ as _learn
from .tables import *  # noqa: F401,F403
from .tables import __all__ as _tables
from .over_time import *  # noqa: F401,F403
from .over_time import __all__ as _over_time
from .need_index import *  # noqa: F401,F403
from .need_index import __all__ as _need_index
from .targets import *  # noqa: F401,F403
from .targets import __all__ as _targets

__all__ = [*_style, *_results, *_maps, *_revenue, *_options, *_learn, *_tables, *_over_time,
           *_need_index, *_targets]
