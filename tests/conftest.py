"""Suite-wide test settings.

Hypothesis: no per-example deadline (the machine is shared; speed is measured
by `make bench`, never by tests). Under CI (CI=true) examples are derived from
the test itself (derandomize), so a CI run is reproducible; locally each run
explores new examples.
"""

import os

from hypothesis import settings

settings.register_profile("default", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")
