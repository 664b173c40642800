"""Keep ``notifier`` the real package while pytest imports these tests.

With ``--import-mode=importlib`` pytest names a test module by its path from the root,
``notifier.tests.unit.test_…``, and imports the missing parents from the file system: the
member folder ``notifier/`` becomes a namespace package called ``notifier`` that hides the
real one in ``src/``. This conftest is imported first; it puts the real package back.
"""

from __future__ import annotations

import importlib
import sys

if getattr(sys.modules.get("notifier"), "__file__", None) is None:
    sys.modules.pop("notifier", None)
    importlib.import_module("notifier")
