"""Parameters with uploaded files in place of some of the engine's own (a shadow run).

The engine's parameter folder is copied to a temporary one, each uploaded file replaces
the file of its name, and the result is read as any parameter folder is: a malformed
file or an unknown name is refused (``InvalidParametersError``), never half-read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path

import yaml

from eligibility_engine.errors import InvalidParametersError
from eligibility_engine.parameters import Parameters


def with_uploaded(base: Path | None, uploaded: Mapping[str, str]) -> Parameters:
    """The parameters of ``base`` (None: the packaged ones) with ``uploaded`` in place."""
    with tempfile.TemporaryDirectory(prefix="shadow-parameters-") as tmp:
        folder = Path(tmp) / "parameters"
        with as_file(files("eligibility_engine") / "parameters") as packaged:
            shutil.copytree(base or packaged, folder)
        for name, content in uploaded.items():
            target = folder / name
            if Path(name).name != name or not target.is_file():
                raise InvalidParametersError(f"no parameter file named {name!r} to replace")
            target.write_text(content, encoding="utf-8")
        try:
            return Parameters.from_directory(folder)
        except yaml.YAMLError as error:
            raise InvalidParametersError(f"an uploaded file is not YAML: {error}") from error
