"""The static HTML site: the lessons in two editions, glossary, data dictionary.

``crmkit build`` (:func:`crmkit.build.build_all`) executes the notebooks and
calls :func:`render_site`. The site is self-contained: every page works from
``file://`` with no network; the one third-party script (MiniSearch, the
search) is served from ``static/vendor/`` (see ``static/vendor/README.md``).

Modules: :mod:`~crmkit.site.catalog` (what a lesson's first cell says),
:mod:`~crmkit.site.notebook` (nbconvert template, editions, alt text),
:mod:`~crmkit.site.live` (the simulators that run in a page without a kernel),
:mod:`~crmkit.site.pages` (the site's own pages and navigation),
:mod:`~crmkit.site.builder` (the whole site, with a cache).
"""

from crmkit.site.builder import render_site

__all__ = ["render_site"]
