"""What a dashboard notebook runs in its kernel: the widget, or a friendly message.

A workshop dashboard is a small notebook served by Voila with its code hidden.
Its code cell builds the world and shows :func:`dashboard_widget`, which

- finds the widget builder by name in :func:`crmkit.widgets.registry` (one
  widget module that fails to import does not take the others down);
- shows participants a short, friendly message when the widget is missing or
  fails to build;
- sends every traceback to the trainer's console (the terminal that runs
  ``crmkit workshop``), not to the participants' screens.
"""

from __future__ import annotations

import gc
import html
import importlib
import io
import logging
import os
import pickle
import pkgutil
import sys
import traceback

__all__ = [
    "dashboard_widget",
    "dashboard_world",
    "find_builder",
    "echo_errors_to_console",
    "message",
]

log = logging.getLogger("crmkit.workshop")

#: Shown to participants when a dashboard cannot be shown.
TELL_TRAINER = "Please tell the trainer: the details are in the trainer's console."


def echo_errors_to_console() -> bool:
    """Copy what the kernel writes to ``sys.stderr`` to the trainer's console.

    In a Jupyter kernel, ``sys.stderr`` goes to the browser only. Voila hides
    those messages from participants (``show_tracebacks=False``), so a widget
    callback that fails (:func:`crmkit.widgets.live_panel` prints its
    traceback to ``sys.stderr``) would leave no trace anywhere. This makes the
    kernel's stderr also write to the terminal the kernel was started from:
    the trainer's console. Outside an ipykernel it does nothing.

    Returns
    -------
    bool
        True if stderr is now copied to the console (or already was).
    """
    err = sys.stderr
    if not hasattr(err, "echo") or not hasattr(err, "session"):  # not an ipykernel stream
        return False
    if err.echo is not None:
        return True
    # ipykernel >= 6 on Linux and macOS watches file descriptor 2 (and sends what
    # is written there to the browser): echo to its copy of the original stderr.
    # Without that watch, fd 2 is the console itself (as ipykernel's quiet=False).
    fd = getattr(err, "_original_stdstream_copy", None)
    try:
        if fd is not None:
            err.echo = io.TextIOWrapper(
                io.FileIO(os.dup(fd), "w"), line_buffering=True, errors="replace"
            )
        elif sys.__stderr__ is not None:
            err.echo = sys.__stderr__
        else:
            return False
    except OSError:
        return False
    return True


def _console(text: str) -> None:
    """A line (or traceback) for the trainer's console only."""
    stream = getattr(sys.stderr, "echo", None) or sys.__stderr__
    try:
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass


def find_builder(name: str):
    """The widget builder ``name`` from the widget modules, or None.

    Like :func:`crmkit.widgets.registry`, but a widget module that fails to
    import is reported on the trainer's console and skipped. A dashboard's
    widget is looked up in its own module first (``Dashboard.module``), so a
    dashboard kernel imports that one module, not every widget and its plots.

    Parameters
    ----------
    name : str
        A key of some module's ``WIDGETS`` dict, e.g. ``"retention_simulator"``.

    Returns
    -------
    callable or None
    """
    import crmkit.widgets as pkg
    from crmkit.workshop.server import DASHBOARDS

    homes = [d.module for d in DASHBOARDS.values() if d.widget == name and d.module]
    others = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__))
    for module_name in dict.fromkeys([*homes, *others]):
        if module_name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"crmkit.widgets.{module_name}")
        except Exception:
            _console(f"crmkit workshop: widget module crmkit.widgets.{module_name} "
                     "failed to import:")  # fmt: skip
            _console(traceback.format_exc())
            continue
        builder = getattr(module, "WIDGETS", {}).get(name)
        if builder is not None:
            return builder
    return None


def dashboard_world():
    """The world the server's dashboards share, read the fastest way available.

    ``crmkit workshop`` loads the dataset once (the default one, or
    ``--data DIR``) and writes it to a private temporary file whose path it
    passes as ``CRMKIT_WORLD_CACHE``; each kernel unpickles that file instead
    of parsing and checking the CSV files again. Without it (a dashboard
    opened by hand), the world comes from :func:`crmkit.lessons.lesson_world`
    on ``CRMKIT_DATA_DIR``.

    Returns
    -------
    crmkit.World
    """
    from crmkit.workshop.server import DATA_DIR_ENV, WORLD_CACHE_ENV

    cache = os.environ.get(WORLD_CACHE_ENV)
    if cache:
        try:
            with open(cache, "rb") as f:
                return pickle.load(f)  # written by this server for its own kernels
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            _console(f"crmkit workshop: the world cache {cache} could not be read; "
                     "loading the dataset instead.")  # fmt: skip
    from crmkit.lessons import lesson_world

    return lesson_world(os.environ.get(DATA_DIR_ENV) or None)


def message(title: str, text: str, *, kind: str = "info"):
    """A small boxed message (an ``ipywidgets.HTML``) for participants; text is escaped."""
    import ipywidgets as W

    colour = {"info": "#0072B2", "error": "#D55E00"}.get(kind, "#0072B2")
    return W.HTML(
        f'<div class="crmkit-message" style="border-left:4px solid {colour};'
        f'padding:0.6em 1em;margin:1em 0;background:#f6f6f6">'
        f"<b>{html.escape(title)}</b><br>{html.escape(text)}</div>"
    )


#: What a dashboard's widget needs of its world (keys of :data:`crmkit.world.ANALYSES`):
#: on a team's folder without it, the room reads what data would enable it.
WIDGET_NEEDS: dict[str, tuple[str, ...]] = {
    "lifecycle_simulator": ("lifecycle",),
    "segment_explorer": ("rfm",),
    "termination_explorer": ("rfm",),
}


def dashboard_widget(name: str, world, *, builder=None):
    """The widget a dashboard shows: ``registry()[name](world)``, or a friendly message.

    Parameters
    ----------
    name : str
        The widget's name in :func:`crmkit.widgets.registry`, e.g.
        ``"retention_simulator"``.
    world : crmkit.World or None
        The world the widget works on (``crmkit.lessons.lesson_world(...)``);
        None for a widget that uses no data (the strategy scorecard), so that
        its kernel does not hold a world.
    builder : callable, optional
        Use this builder instead of looking ``name`` up (for tests and
        stand-ins).

    Returns
    -------
    ipywidgets.Widget
        The widget; or, when it is missing, its world lacks the data it needs
        (:data:`WIDGET_NEEDS`: the message says what data would enable it) or it
        fails to build, an ``ipywidgets.HTML`` message for the room (the
        traceback goes to the trainer's console).
    """
    echo_errors_to_console()
    if not isinstance(name, str):
        raise TypeError(f"dashboard_widget: `name` must be a widget name (str), got {name!r}.")
    if builder is None:
        try:
            builder = find_builder(name)
        except Exception as e:  # crmkit.widgets itself does not import
            _console("crmkit workshop: the widgets package failed to import:")
            _console(traceback.format_exc())
            return message(
                "Sorry, this dashboard could not start.",
                f"({type(e).__name__}) {TELL_TRAINER}",
                kind="error",
            )
    if builder is None:
        _console(
            f"crmkit workshop: no widget named {name!r} in crmkit.widgets "
            "(is its module written, and does it list the builder in WIDGETS?)."
        )
        return message(
            "This dashboard is not available yet.",
            f"The widget {name!r} is not part of this version of crmkit. {TELL_TRAINER}",
        )
    lacking = [world.missing(a) for a in WIDGET_NEEDS.get(name, ()) if world is not None
               and not world.can(a)]  # fmt: skip
    if lacking:
        return message("This dashboard needs data that this data set does not have.",
                       " ".join(lacking))  # fmt: skip
    try:
        widget = builder(world)
    except Exception as e:
        _console(f"crmkit workshop: widget {name!r} failed to build:")
        _console(traceback.format_exc())
        return message(
            "Sorry, this dashboard could not start.",
            f"({type(e).__name__}) {TELL_TRAINER}",
            kind="error",
        )
    freeze_the_heap()
    return widget


def freeze_the_heap() -> None:
    """Move everything the dashboard kernel built out of the cyclic garbage collector's way.

    A dashboard's kernel serves one widget for its whole life, so what exists
    once the widget is built (the world, the figure, the controls) lives as long
    as the kernel. Freezing it keeps full collections, which would otherwise walk
    all of it, out of the slider callbacks (measured in
    ``benchmarks/bench_widgets.py --freeze``). Only the workshop's kernels do this:
    in a notebook the collector is left alone.
    """
    gc.collect()
    gc.freeze()
