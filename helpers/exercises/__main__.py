"""``python -m helpers.exercises encode VALUE``: the payload of a right answer, for authors."""

import sys

from helpers.exercises import main

sys.exit(main())
