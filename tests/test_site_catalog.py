"""crmkit.site.catalog: what the site reads from a lesson's first cell."""

from __future__ import annotations

from hand_made_site import lesson
from nbformat.v4 import new_code_cell, new_notebook

from crmkit.site.catalog import lesson_info


def test_lesson_info_reads_the_first_cell():
    info = lesson_info(lesson(3, "The lifecycle"), "03-lifecycle-stages.ipynb")
    assert (info.number, info.stem, info.title) == (3, "03-lifecycle-stages", "The lifecycle")
    assert info.audience == "teams and *students*."
    assert info.objectives == ("read a <b>chart</b>;", "count customers over two lines.")
    assert info.minutes == 20 and info.sources == "000 (pl)."
    bare = lesson_info(new_notebook(cells=[new_code_cell("1")]), "05-ten-strategies.ipynb")
    assert bare.title == "The ten relationship strategies" and bare.minutes == 45
