"""HTML conventions that widgets and the static site share.

A widget's HTML output may hold a part that only a live kernel can honour: an
export link, say, that on a static page would export the stored example rather
than what the reader set. The widget marks it with ``class="crmkit-live-only"``
(:data:`LIVE_ONLY_CLASS`) and says what to show instead in
``data-static-note="..."``; :func:`strip_live_only` replaces the part by that
note for any page that replays a widget's stored HTML. (The kit's own site shows
no widgets: it replaces each by a sentence and its static twin, or, for the four
simulators whose output carries page data (:data:`LIVE_MIMETYPE`), by a simulator
that runs in the page: :mod:`crmkit.site.live`.) An output's
code names are marked ``class="crmkit-course-only"`` (:data:`COURSE_ONLY_CLASS`),
which the playbook edition leaves out (:func:`strip_course_only`). This module
imports nothing heavy, so widgets can use it in a kernel.
"""

from __future__ import annotations

import re

__all__ = [
    "COURSE_ONLY_CLASS",
    "LIVE_MIMETYPE",
    "LIVE_ONLY_CLASS",
    "strip_course_only",
    "strip_live_only",
]

#: The output type a simulator adds beside its widget when it is displayed: the
#: data a static page needs to run the simulator in the browser, with no kernel
#: (``{"simulator": name, ...}``; see :mod:`crmkit.site.live`). JupyterLab and
#: Voila show the widget and ignore this type.
LIVE_MIMETYPE = "application/vnd.crmkit.live+json"

#: Marks the part of an output that names code (``world.customers``): the playbook
#: edition, for readers who do not code, leaves it out (:func:`strip_course_only`).
COURSE_ONLY_CLASS = "crmkit-course-only"

LIVE_ONLY_CLASS = "crmkit-live-only"
_LIVE_ONLY = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b(?P<attrs>[^>]*\bclass=\"[^\"]*\b"
    + LIVE_ONLY_CLASS
    + r"\b[^\"]*\"[^>]*)>.*?</(?P=tag)>",
    re.S | re.I,
)
_STATIC_NOTE = re.compile(r"\bdata-static-note=\"([^\"]*)\"")
_DEFAULT_NOTE = "This works when you run the notebook; the page shows one setting."


def strip_live_only(html_text: str) -> str:
    """Replace the parts of a widget's HTML that need a live kernel by a plain note.

    A widget marks such a part (an export link, say, that would export the
    stored example rather than what a reader sets) with
    ``class="crmkit-live-only"`` and says what to show instead in
    ``data-static-note="..."`` (already HTML-escaped). The marked element must
    not contain another element with the same tag name.

    Examples
    --------
    >>> strip_live_only('<p>Level 3</p><p class="crmkit-live-only" '
    ...                 'data-static-note="Run it to export.">'
    ...                 '<a href="data:text/csv;base64,QQ==">Export CSV</a></p>')
    '<p>Level 3</p><p class="crmkit-static-note">Run it to export.</p>'
    """

    def note(m):
        found = _STATIC_NOTE.search(m.group("attrs"))
        return f'<p class="crmkit-static-note">{found.group(1) if found else _DEFAULT_NOTE}</p>'

    return _LIVE_ONLY.sub(note, html_text)


_COURSE_ONLY = re.compile(
    r"<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\bclass=(?P<q>[\"'])(?:(?!(?P=q)).)*?\b"
    + COURSE_ONLY_CLASS
    + r"\b(?:(?!(?P=q)).)*(?P=q)[^>]*>.*?</(?P=tag)>",
    re.S | re.I,
)


def strip_course_only(html_text: str) -> str:
    """Leave out the parts of an output marked ``class="crmkit-course-only"``.

    The marked element must not contain another element with the same tag name.

    >>> strip_course_only('<td>customers<span class="crmkit-course-only"> '
    ...                   '(<code>world.customers</code>)</span></td>')
    '<td>customers</td>'
    """
    return _COURSE_ONLY.sub("", html_text)
