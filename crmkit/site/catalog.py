"""What the site knows about each lesson: read from the notebook's first cell.

Every lesson opens with a markdown cell that gives its title, who it is for,
what you will learn, the time needed and its sources::

    # 00 · Start here: the kit and its data

    **Who it is for:** everyone ...

    **You will learn to**
    - find your way through the lessons ...

    **Time needed:** about 15 minutes.

    **Sources:** ...

:func:`lesson_info` turns that cell into a :class:`LessonInfo`; anything it
cannot find falls back to the lesson map (:data:`crmkit.lessons.LESSONS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from crmkit.lessons import LESSONS

__all__ = ["LessonInfo", "lesson_info", "page_stem"]

_LABEL = re.compile(r"^\*\*(?P<label>[^*]+?)\*\*\s*(?P<rest>.*)$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?P<text>.*)$")


@dataclass(frozen=True)
class LessonInfo:
    """One lesson as the site shows it.

    Attributes are Markdown snippets (inline) taken from the notebook; the site
    renders them with raw HTML escaped.
    """

    number: int
    stem: str  # "00-start-here": the notebook name without .ipynb, the page name
    title: str
    audience: str = ""
    objectives: tuple[str, ...] = field(default_factory=tuple)
    time: str = ""
    minutes: int | None = None
    sources: str = ""

    @property
    def label(self) -> str:
        return f"{self.number:02d}"


def page_stem(path) -> str:
    """``notebooks/00-start-here.ipynb`` -> ``"00-start-here"``."""
    return Path(path).name.removesuffix(".ipynb")


def _strip_number(title: str, number: int) -> str:
    # "00 · Start here" / "Lesson 3: Stages" -> the words after the number
    m = re.match(rf"^(?:lesson\s+)?0*{number}\s*[·:.\-–—]\s*(.+)$", title, flags=re.I)
    return m.group(1).strip() if m else title


def lesson_info(nb, path) -> LessonInfo:
    """Read a lesson notebook's first markdown cell.

    Parameters
    ----------
    nb : nbformat.NotebookNode
    path : str or Path
        The notebook's file name (``NN-slug.ipynb``); it gives the number.

    Returns
    -------
    LessonInfo
    """
    stem = page_stem(path)
    number = int(stem[:2]) if stem[:2].isdigit() else -1
    known = {lesson.number: lesson for lesson in LESSONS}.get(number)
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    text = first.source if first is not None else ""

    title = ""
    fields: dict[str, list[str]] = {}
    objectives: list[str] = []
    current = None  # label whose text continues on the next lines
    in_objectives = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if not title and line.startswith("# "):
            title = line[2:].strip()
            continue
        if not line.strip():
            current = None
            continue
        m = _LABEL.match(line.strip())
        if m:
            label = m.group("label").strip().rstrip(":").strip().lower()
            rest = m.group("rest").strip()
            in_objectives = "learn" in label or "objective" in label
            current = None if in_objectives else label
            if current:
                fields.setdefault(current, []).append(rest)
            continue
        item = _ITEM.match(line)
        if in_objectives and item:
            objectives.append(item.group("text").strip())
            continue
        if in_objectives and objectives and raw.startswith((" ", "\t")):
            objectives[-1] += " " + line.strip()
            continue
        if current:
            fields[current].append(line.strip())

    def get(*names):
        for name in names:
            for label, parts in fields.items():
                if label.startswith(name):
                    return " ".join(p for p in parts if p).strip()
        return ""

    time = get("time")
    minutes = None
    m = re.search(r"(\d+)\s*(?:min|minutes)\b", time)
    if m:
        minutes = int(m.group(1))
    elif known is not None:
        minutes = known.minutes
    if title:
        title = _strip_number(title, number)
    elif known is not None:
        title = known.title
    else:
        title = stem
    return LessonInfo(
        number=number,
        stem=stem,
        title=title,
        audience=get("who", "audience", "for whom"),
        objectives=tuple(objectives),
        time=time,
        minutes=minutes,
        sources=get("source"),
    )
