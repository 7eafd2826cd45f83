"""Interactive explorers and simulators (ipywidgets), each with a static twin.

Every builder returns a widget (it does not display it); the numbers come from
plain functions in :mod:`crmkit.metrics`, tested without a browser. Every
returned widget has ``controls`` and an ``update()`` callback;
``benchmarks/bench_widgets.py`` drives them and reports the p95 response time.
"""

from crmkit.widgets._core import dropdown, live_panel, slider

__all__ = ["dropdown", "live_panel", "registry", "slider"]


def registry() -> dict:
    """Every widget builder by name: ``{name: builder(world) -> widget}``.

    Each widget module lists its builders in a module-level ``WIDGETS`` dict; the
    benchmark and the workshop dashboards find them here.
    """
    import importlib
    import pkgutil

    import crmkit.widgets as pkg

    found = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"crmkit.widgets.{info.name}")
        found.update(getattr(module, "WIDGETS", {}))
    return found
