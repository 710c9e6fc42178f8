"""`python -m simulator` runs the fiscalsim command line."""

from .cli import main

raise SystemExit(main())
