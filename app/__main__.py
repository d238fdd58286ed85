"""`python -m rapportsok.app` runs the command line, like the `rapportsok` script."""

import sys

from rapportsok.app.cli import main

sys.exit(main())
