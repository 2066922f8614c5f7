"""`python -m newsbot ...`: see newsbot.operations.cli."""

import sys

from newsbot.operations.cli import main

sys.exit(main())
