"""What the lesson notebooks share: the lesson map, the world a lesson opens, and
display helpers (tables with right-to-left names, RTL text in figures).

Every notebook's parameters cell ends with::

    world = crmkit.lessons.lesson_world(DATA_DIR, random_state=SEED, locale=LOCALE,
                                        n_customers=N_CUSTOMERS)

so that the same notebook runs on the default dataset, on another seed or
locale, or on a folder of your own CSV files.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from crmkit.datasets import DATASETS, load_dataset
from crmkit.world import World, load_world

__all__ = [
    "Lesson",
    "LESSONS",
    "lesson_world",
    "needs",
    "show_table",
    "bidi_text",
    "bidi_labels",
]


@dataclass(frozen=True)
class Lesson:
    number: int
    slug: str
    title: str
    sections: str  # curriculum sections (curriculum.md A-E) it teaches
    minutes: int

    @property
    def filename(self) -> str:
        return f"{self.number:02d}-{self.slug}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "start-here", "Start here: the kit and its data", "all", 20),
    Lesson(1, "what-is-a-customer-relationship", "What a customer relationship is", "D, E", 35),
    Lesson(2, "customer-and-relationship-types", "Customer and relationship types", "C, E", 35),
    Lesson(3, "lifecycle-stages", "The lifecycle and the customer flow", "A, E", 45),
    Lesson(4, "satisfaction-components", "The four satisfaction components", "A, D", 40),
    Lesson(5, "ten-strategies", "The ten relationship strategies", "A", 45),
    Lesson(6, "loyalty-economics", "Loyalty economics and lifetime value", "B", 45),
    Lesson(7, "acquisition-and-win-back", "Acquisition, development and win-back", "C", 30),
    Lesson(8, "retention", "Retention: strategies, whom to keep, tools", "A, C", 60),
    Lesson(9, "terminating-relationships", "Terminating relationships", "C", 30),
    Lesson(10, "touchpoints-and-omnichannel", "Touchpoints and omnichannel consistency", "D", 30),
    Lesson(11, "loyalty-kpis-and-culture", "Loyalty KPIs and a customer-centric culture", "B", 25),
    Lesson(12, "caring-for-the-relationship", "Caring for the relationship", "E", 30),
)

_DEFAULT = DATASETS["default"]


def lesson_world(data_dir=None, *, random_state=None, locale="en_US", n_customers=None) -> World:
    """The world a lesson works on.

    Parameters
    ----------
    data_dir : str or Path, optional
        A folder of CSV files (yours, or one written by ``crmkit generate``);
        it is checked against the schema by :func:`crmkit.load_world`.
    random_state : int, optional
        Generate a fresh world with this seed (your own dataset). Without it,
        the default dataset's seed (2024) is used.
    locale : str, default="en_US"
        Language of names and cities when generating.
    n_customers : int, optional
        Number of customers when generating (default 3,000).

    Returns
    -------
    World
        The committed default dataset when nothing is changed.
    """
    if data_dir is not None:
        return load_world(data_dir)
    n = _DEFAULT["n_customers"] if n_customers is None else n_customers
    if random_state is None and locale == _DEFAULT["locale"] and n == _DEFAULT["n_customers"]:
        return load_dataset()
    from crmkit.synth import make_world

    recipe = {
        **_DEFAULT,
        "n_customers": n,
        "locale": locale,
        "random_state": _DEFAULT["random_state"] if random_state is None else random_state,
    }
    return make_world(**recipe)


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def needs(world: World, *analyses: str) -> bool:
    """True when ``world`` has the data for every one of ``analyses``; else say what is missing.

    A lesson runs on any data folder, including a team's transactions export
    with no surveys or contacts. Each section whose analysis needs a table the
    data lacks starts with ``if needs(world, "satisfaction"):``; without the
    data the reader sees, in plain words, what data would enable it and how to
    start collecting it (:meth:`crmkit.World.missing`), never an error or an
    empty figure. The analyses are the keys of :data:`crmkit.world.ANALYSES`;
    ``"truth"`` asks for a synthetic world (checks against what the generator
    planted).
    """
    from IPython.display import Markdown, display

    notes = []
    for a in analyses:
        if a == "truth":
            if not world.synthetic:
                notes.append(
                    "This check compares the results with what the generator planted, so it "
                    "runs only on a synthetic world (not on your own data)."
                )
        elif not world.can(a):
            notes.append(world.missing(a))
    for note in dict.fromkeys(notes):
        display(Markdown(f"> **Not in this data.** {note}"))
    return not notes


def _matplotlib_shapes_rtl() -> bool:
    """True when matplotlib lays out right-to-left text itself (3.11+, built with libraqm)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", ""))


def bidi_text(text):
    """Text ready for a matplotlib label, right-to-left scripts included.

    Matplotlib 3.11 and later shape and order Persian text themselves (with
    libraqm): the text is returned unchanged, since reordering it again would
    reverse it. Older matplotlib draws characters left to right without
    joining Arabic-script letters; there the text is reshaped (arabic-reshaper)
    and put in visual order (python-bidi). Text without right-to-left
    characters is always returned unchanged.

    Examples
    --------
    >>> bidi_text("Anna Nowak")
    'Anna Nowak'
    """
    if not isinstance(text, str) or not _RTL.search(text) or _matplotlib_shapes_rtl():
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


def bidi_labels(values):
    """:func:`bidi_text` applied to every element (a list comes back)."""
    return [bidi_text(v) for v in values]


def show_table(df: pd.DataFrame, *, max_rows: int = 10, caption: str | None = None):
    """An HTML table in which every cell takes the direction of its own text.

    Persian names read right to left, Latin ones left to right, in the same
    table (``dir="auto"`` on each cell). All text is escaped; a missing value
    reads "—". The output also carries the table for people
    (:func:`crmkit.tables.people_table_html`: labelled headers, percentages),
    which the playbook edition shows in its place.

    Returns
    -------
    object
        Displays as the HTML table (its ``data``), with the people table under
        :data:`crmkit.tables.MIMETYPE` as well.
    """
    from crmkit.tables import MIMETYPE, people_table_html

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"show_table: `df` must be a pandas DataFrame, got {type(df).__name__}.")
    shown = df.head(max_rows)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False):
        cells = "".join(f'<td dir="auto">{html.escape(_fmt(v))}</td>' for v in values)
        rows.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    more = (
        f"<p><small>{len(shown)} of {len(df):,} rows shown.</small></p>"
        if len(df) > len(shown)
        else ""
    )
    course = (
        f'<table class="crmkit-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )
    people = people_table_html(df, max_rows=max_rows, caption=caption)
    return _TwoTables(course, people, MIMETYPE)


class _TwoTables:
    """A table shown as HTML, carrying its people version under a second output type."""

    def __init__(self, course: str, people: str, mimetype: str):
        self.data, self._people, self._mimetype = course, people, mimetype

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.data, self._mimetype: self._people}

    def _repr_html_(self):
        return self.data


def _fmt(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "—"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)
