"""crmkit.static_html: the parts of a widget's HTML that need a live kernel, replaced by a note."""

from __future__ import annotations

from crmkit.static_html import LIVE_ONLY_CLASS, strip_live_only

DEFAULT = '<p class="crmkit-static-note">This works when you run the notebook; the page shows '\
    "one setting.</p>"


def test_a_marked_part_becomes_its_note_and_the_rest_stays():
    page = (
        '<p>Level 3</p><div class="box crmkit-live-only wide" data-static-note="Run &amp; export.">'
        '\n<a href="data:text/csv;base64,QQ==">Export CSV</a>\n</div><p>end</p>'
    )
    assert strip_live_only(page) == (
        '<p>Level 3</p><p class="crmkit-static-note">Run &amp; export.</p><p>end</p>'
    )


def test_a_part_without_a_note_gets_the_default_one():
    assert strip_live_only(f'<SPAN class="{LIVE_ONLY_CLASS}">x</SPAN>!') == DEFAULT + "!"


def test_the_note_may_come_before_the_class_and_each_part_is_replaced_alone():
    one = '<span data-static-note="A" class="crmkit-live-only">1</span>'
    two = '<p class="crmkit-live-only" data-static-note="B"><b>2</b></p>'
    assert strip_live_only(f"{one} keep {two}") == (
        '<p class="crmkit-static-note">A</p> keep <p class="crmkit-static-note">B</p>'
    )


def test_html_without_the_class_is_unchanged():
    page = '<p class="live">x</p><a class="crmkit-live-onlyish" href="#">y</a>'
    assert strip_live_only(page) == page
    assert strip_live_only("") == ""


def test_strip_course_only_removes_the_marked_parts_and_nothing_else():
    from crmkit.static_html import strip_course_only

    page = ('<p class="crmkit-course-only"><code>world.truth</code> holds it.</p>'
            '<table><tr><td>customers<span class="x crmkit-course-only"> (<code>world.customers'
            '</code>)</span></td><td>3,000</td></tr></table>')  # fmt: skip
    assert strip_course_only(page) == "<table><tr><td>customers</td><td>3,000</td></tr></table>"
    assert strip_course_only("<p>crmkit-course-only is a class name</p>") == (
        "<p>crmkit-course-only is a class name</p>"
    )
