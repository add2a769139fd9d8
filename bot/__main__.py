"""``python -m bot`` runs the Jeda CLI."""

import sys

from bot.cli import main

sys.exit(main())
