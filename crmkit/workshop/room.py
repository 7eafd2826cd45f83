"""The room's scorecards side by side: read the participants' CSVs, merge, draw.

In a workshop each participant (or team) rates the ten relationship strategies
in the scorecard dashboard and exports a CSV
(:func:`crmkit.metrics.care.scorecard_to_csv`). The trainer collects the files
and compares them:

>>> from crmkit.workshop.room import room_comparison, room_figure   # doctest: +SKIP
>>> table = room_comparison("scorecards/")                         # doctest: +SKIP
>>> room_figure(table).savefig("room.png")                         # doctest: +SKIP

The figure's two panels are :func:`crmkit.plots.plot_room_heatmap` and
:func:`crmkit.plots.plot_room_range`. :func:`merge_dashboard` is the same as a
widget (the ``merge-scorecards`` dashboard): uploads from the browser and the
folder given to ``crmkit workshop --scorecards DIR``.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from crmkit._checks import ROOM_RESERVED, check_room_comparison
from crmkit._csvsafe import neutralise_frame
from crmkit.metrics.care import merge_scorecards, read_scorecard_csv
from crmkit.plots.strategy import plot_room_heatmap, plot_room_range

__all__ = [
    "read_room_scorecards",
    "room_comparison",
    "room_figure",
    "merge_dashboard",
]


def _sources(sources, func):
    """``(file name, bytes or Path)`` pairs from a folder, paths, uploads or a mix."""
    if isinstance(sources, str | Path):
        sources = [sources]
    if isinstance(sources, tuple) and len(sources) == 2 and isinstance(sources[1], bytes):
        sources = [sources]  # one upload
    if not isinstance(sources, list | tuple):
        raise TypeError(
            f"{func}: `sources` must be a folder, a CSV path, (file name, bytes) pairs or a "
            f"list of them; got {type(sources).__name__}."
        )
    items = []
    for src in sources:
        if isinstance(src, str | Path):
            p = Path(src)
            if p.is_dir():
                items.extend((f.name, f) for f in sorted(p.glob("*.csv")))
            elif p.is_file():
                items.append((p.name, p))
            else:
                raise ValueError(f"{func}: no folder or file {str(p)!r}.")
        elif isinstance(src, tuple | list) and len(src) == 2:
            name, content = src
            if isinstance(content, memoryview | bytearray):
                content = bytes(content)
            if not isinstance(name, str) or not isinstance(content, bytes):
                raise TypeError(
                    f"{func}: an upload must be a (file name, bytes) pair; got "
                    f"({type(name).__name__}, {type(content).__name__})."
                )
            items.append((name, content))
        elif isinstance(src, dict) and {"name", "content"} <= set(src):  # ipywidgets.FileUpload
            items.append((str(src["name"]), bytes(src["content"])))
        else:
            raise TypeError(
                f"{func}: cannot read a scorecard from {type(src).__name__}; give a folder, "
                "a CSV path or a (file name, bytes) pair."
            )
    return items


def _label(frame, file_name):
    stem = Path(file_name).stem
    if "participant" in frame.columns:
        who = {str(x).strip() for x in frame["participant"] if str(x).strip()}
        if len(who) == 1:
            return who.pop()
    return stem


def read_room_scorecards(sources) -> tuple[dict, list]:
    """Read the participants' scorecard CSVs; skip (and report) the bad ones.

    Parameters
    ----------
    sources : str, Path, tuple or list
        A folder (every ``*.csv`` in it, sorted by name), CSV paths, uploads
        as ``(file name, bytes)`` pairs or ``ipywidgets.FileUpload`` values,
        or a list mixing them.

    Returns
    -------
    cards : dict of str to DataFrame
        Label -> scorecard, in the order read. The label is the card's
        ``participant`` value, else the file name without ``.csv``; a label
        seen before gets " (2)", " (3)"...
    skipped : list of str
        One line per file that is not a valid scorecard, saying why.

    Examples
    --------
    >>> from crmkit import concepts
    >>> from crmkit.metrics.care import scorecard_to_csv, strategy_scorecard
    >>> keys = concepts.keys(concepts.STRATEGIES)
    >>> text = scorecard_to_csv(strategy_scorecard(dict.fromkeys(keys, 3), participant="A"))
    >>> cards, skipped = read_room_scorecards([("a.csv", text.encode()), ("b.csv", b"x,y")])
    >>> list(cards), len(skipped)
    (['A'], 1)
    """
    func = "read_room_scorecards"
    cards: dict[str, pd.DataFrame] = {}
    skipped: list[str] = []
    for name, content in _sources(sources, func):
        try:
            raw = content.read_bytes() if isinstance(content, Path) else content
            frame = read_scorecard_csv(raw)
            merge_scorecards({"card": frame})  # validates: ten strategies, ratings 1-5
        except (ValueError, TypeError, KeyError, OSError, UnicodeDecodeError) as e:
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            skipped.append(f"{name}: {reason}")
            continue
        label = _label(frame, name)
        if label in ROOM_RESERVED:
            label = f"{label} (participant)"
        base, k = label, 2
        while label in cards:
            label, k = f"{base} ({k})", k + 1
        cards[label] = frame
    return cards, skipped


def room_comparison(sources) -> pd.DataFrame:
    """The room's scorecards merged into one table (:func:`merge_scorecards`).

    Parameters
    ----------
    sources : str, Path, tuple or list
        As for :func:`read_room_scorecards`.

    Returns
    -------
    DataFrame
        Ten rows: ``strategy``, ``name``, one rating column per participant,
        ``mean``, ``min``, ``max``, ``spread``. ``attrs["skipped"]`` lists the
        files that were not valid scorecards.

    Raises
    ------
    ValueError
        If no source holds a valid scorecard.
    """
    cards, skipped = read_room_scorecards(sources)
    if not cards:
        why = "; ".join(skipped) if skipped else "no CSV files were found"
        raise ValueError(
            f"room_comparison: no valid scorecard to compare ({why}). Export scorecards "
            "from the scorecard dashboard (Export CSV) and give their files or folder."
        )
    table = merge_scorecards(cards)
    table.attrs["skipped"] = skipped
    return table


def room_figure(comparison, *, fig=None):
    """The room's comparison figure: the room's heat map beside the spread of its ratings.

    :func:`crmkit.plots.plot_room_heatmap` beside :func:`crmkit.plots.plot_room_range`.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`room_comparison` (or :func:`crmkit.metrics.care.merge_scorecards`).
    fig : matplotlib.figure.Figure, optional
        Draw on this (cleared) figure; default: a new 11 x 5.5 inch figure,
        not registered with pyplot.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    check_room_comparison(comparison, "room_figure")
    if fig is None:
        fig = Figure(figsize=(11, 5.5), layout="constrained")
    else:
        fig.clear()
    left, right = fig.subplots(1, 2, width_ratios=[3.2, 1], sharey=False)
    plot_room_heatmap(comparison, ax=left)
    plot_room_range(comparison, ax=right)
    fig.suptitle("Ten relationship strategies: how the room rates them", fontweight="bold")
    return fig


def _summary_html(table, skipped):
    people = [c for c in table.columns if c not in ROOM_RESERVED]
    by_spread = table.sort_values(["spread", "mean"], ascending=[False, True]).head(3)
    weakest = table.sort_values("mean").head(3)

    def items(frame, fmt):
        return "".join(f"<li>{html.escape(fmt(r))}</li>" for r in frame.itertuples())

    # Participants' labels are column names here: neutralise_frame defuses those too.
    csv = neutralise_frame(table).to_csv(index=False, lineterminator="\n").encode()
    href = "data:text/csv;base64," + base64.b64encode(csv).decode()
    parts = [
        f"<p><b>{len(people)} scorecard(s)</b> merged: "
        f"{html.escape(', '.join(map(str, people)))}.</p>",
        "<p>Where the room disagrees most (talk about these first):</p><ul>",
        items(by_spread, lambda r: f"{r.name}: ratings {r.min:g} to {r.max:g}"),
        "</ul><p>Lowest rated on average (the room's priorities):</p><ul>",
        items(weakest, lambda r: f"{r.name}: mean {r.mean:.1f}"),
        "</ul>",
        f'<p><a download="room-scorecards.csv" href="{href}">Download the merged table '
        "(CSV)</a></p>",
    ]
    if skipped:
        parts.append(
            '<p style="color:#b00">Skipped (not a scorecard):</p><ul>'
            + "".join(f"<li>{html.escape(s)}</li>" for s in skipped)
            + "</ul>"
        )
    return "".join(parts)


def merge_dashboard(folder=None):
    """The trainer's widget: upload (or read from a folder) the room's scorecards, compare.

    Parameters
    ----------
    folder : str or Path, optional
        A folder of scorecard CSVs on the server, read on every refresh (set
        with ``crmkit workshop --scorecards DIR``; participants cannot change
        it from the browser).

    Returns
    -------
    ipywidgets.VBox
        The :func:`crmkit.widgets.live_panel` protocol: ``controls``
        (``uploads``, an ``ipywidgets.FileUpload``), ``update()``, ``image``,
        ``summary``; plus ``refresh``, a button that reads the folder again.
    """
    import ipywidgets as W

    from crmkit.widgets import live_panel

    folder = Path(folder) if folder else None
    upload = W.FileUpload(
        accept=".csv",
        multiple=True,
        description="Upload scorecard CSV files",
        layout=W.Layout(width="auto"),
    )

    def render(fig, uploads):
        sources = [(u["name"], bytes(u["content"])) for u in uploads or ()]
        if folder is not None and folder.is_dir():
            sources.insert(0, folder)
        cards, skipped = read_room_scorecards(sources) if sources else ({}, [])
        if not cards:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.text(
                0.5, 0.5,
                "No scorecards yet.\nUpload the participants' CSV files\n"
                "(Export CSV in the scorecard dashboard).",
                ha="center", va="center", fontsize=14, color="dimgrey",
            )  # fmt: skip
            note = "".join(f"<li>{html.escape(s)}</li>" for s in skipped)
            return "<p>No valid scorecard yet.</p>" + (f"<ul>{note}</ul>" if note else "")
        table = merge_scorecards(cards)
        room_figure(table, fig=fig)
        return _summary_html(table, skipped)

    where = (
        f"Folder on the trainer's machine: <code>{html.escape(str(folder))}</code>"
        + ("" if folder.is_dir() else " <b>(not found)</b>")
        if folder is not None
        else "No folder given (start with <code>crmkit workshop --scorecards DIR</code> to "
        "read one)."
    )
    box = live_panel(
        "Merge the room's scorecards",
        {"uploads": upload},
        render,
        figsize=(11, 5.5),
        note="Upload every participant's or team's scorecard CSV (you can pick several "
        "files at once), or read them from the folder below.",
    )
    refresh = W.Button(
        description="Read the folder again",
        icon="refresh",
        layout=W.Layout(width="auto", display="" if folder is not None else "none"),
    )
    refresh.on_click(lambda _: box.update())
    children = list(box.children)
    box.children = tuple(children[:-3] + [W.HTML(f"<p>{where}</p>"), refresh] + children[-3:])
    box.refresh = refresh
    return box
