"""CSV files for people to open: text that a spreadsheet would run as a formula is defused.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a tab or a carriage return) as a formula: a participant
named ``=HYPERLINK("http://...")`` becomes a live link in the trainer's
``grades.csv``. Following OWASP ("CSV Injection"), every such *text* cell gets
a leading single quote ``'``, so the spreadsheet shows it as text. Numbers are
left alone (``-3.5`` stays a number, whether a float or the text ``"-3.5"``).

Use it for every CSV the kit writes for people to open (participants,
grades, scorecards, the room's comparison), not for the data files that the
kit reads back as data (``World.save``). Where the kit does read such a file
back (a scorecard's participant), :func:`restore_cell` undoes it exactly:
``restore_cell(neutralise_cell(s)) == s`` for every string ``s``.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = [
    "FORMULA_TRIGGERS",
    "neutralise_cell",
    "neutralise_row",
    "neutralise_frame",
    "restore_cell",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_TRIGGER = "[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"
# Quotes already in front of a trigger are quoted again, so that restoring is exact.
_RISKY = re.compile(f"'*{_TRIGGER}")
_NEUTRALISED = re.compile(f"'+{_TRIGGER}")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def neutralise_cell(value):
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula.

    Anything that is not a ``str`` (numbers, dates, missing values) and text
    that is a plain number (``"-3.5"``) is returned unchanged.

    Examples
    --------
    >>> neutralise_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell("Anna"), neutralise_cell(-3.5), neutralise_cell("-3.5")
    ('Anna', -3.5, '-3.5')
    """
    if isinstance(value, str) and _RISKY.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore_cell(value):
    """Undo :func:`neutralise_cell` (for a cell of a CSV the kit wrote and now reads back).

    Examples
    --------
    >>> restore_cell("'=1+1"), restore_cell("'Brien"), restore_cell(3)
    ('=1+1', "'Brien", 3)
    """
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def neutralise_row(row):
    """A row (list or tuple of cells, or a dict of column -> cell) with every cell neutralised.

    Examples
    --------
    >>> neutralise_row(["@anna", 3, "-"])
    ["'@anna", 3, "'-"]
    """
    if isinstance(row, dict):
        return {k: neutralise_cell(v) for k, v in row.items()}
    return [neutralise_cell(v) for v in row]


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names are neutralised.

    Only columns that can hold text (object, string, categorical) are looked
    at; numeric and date columns are returned as they are. The input is not
    modified.

    Examples
    --------
    >>> df = pd.DataFrame({"name": ["=1+1", "Bo"], "gap": [-3.5, 1.0]})
    >>> neutralise_frame(df)
        name  gap
    0  '=1+1 -3.5
    1     Bo  1.0
    """
    out = df.copy()
    for i in range(df.shape[1]):  # by position: column names may repeat
        s = df.iloc[:, i]
        is_text = (
            pd.api.types.is_object_dtype(s.dtype)
            or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)
        )
        if is_text:
            if isinstance(s.dtype, pd.CategoricalDtype):
                s = s.astype(object)
            out.isetitem(i, s.map(neutralise_cell, na_action="ignore"))
    out.columns = [neutralise_cell(c) for c in df.columns]
    return out
