"""The unit tests' sample records live beside them (``civil_samples``): make them importable
(the suite runs with ``--import-mode=importlib``, which adds no test folder to the path)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
