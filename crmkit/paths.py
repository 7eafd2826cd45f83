"""Where the project's folders are: one home for the paths every part of the kit uses.

``ROOT`` is the folder that holds the ``crmkit`` package in a source checkout,
beside ``notebooks/``, ``exercises/``, ``datasets/``, ``build/`` and ``site/``.
The build (:mod:`crmkit.build`), the site (:mod:`crmkit.site`), the exercise
builds and the datasets find their default folders from it.

Examples
--------
>>> (ROOT / "crmkit" / "paths.py").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT"]

#: The project folder (the parent of the ``crmkit`` package).
ROOT = Path(__file__).resolve().parent.parent
