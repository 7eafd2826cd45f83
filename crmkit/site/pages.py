"""The site's own pages and the chrome around every page.

Pages are Jinja templates (``templates/*.html.j2``) rendered with autoescape
on, so text from the taxonomy, the schema or a notebook is escaped unless a
template says otherwise. Every link is relative, so the site works from
``file://`` and from any folder of a web server.

Layout of a site::

    index.html                  who the kit is for, the learning path
    playbook/NN-slug.html       each lesson without code (teams)
    course/NN-slug.html         each lesson with code (students)
    glossary.html               the glossary in en, pl, fa, ru, fi
    data-dictionary.html        every table and column of the datasets
    downloads.html              notebooks, datasets, data dictionary, licences
    downloads/...               the files themselves
    static/...                  CSS, crmkit.js, crmkit-live.js, vendored MiniSearch
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field

from markupsafe import Markup

from crmkit.site.catalog import LessonInfo
from crmkit.site.notebook import TEMPLATES, content_security_policy

__all__ = [
    "SITE_TITLE",
    "SiteMap",
    "environment",
    "inline_markdown",
    "render_data_dictionary",
    "render_downloads",
    "render_glossary",
    "render_index",
    "render_search",
    "glossary_mentions",
    "glossary_terms",
    "link_glossary_terms",
    "render_sources",
    "render_summary",
    "lesson_summary",
    "SUMMARY_SECTIONS",
    "link_sources",
    "relative",
]

SITE_TITLE = "crmkit playbook"

#: The site's own pages after the lessons, in reading order: (path, title).
REFERENCE_PAGES = (
    ("glossary.html", "Glossary"),
    ("data-dictionary.html", "Data dictionary"),
    ("downloads.html", "Downloads"),
)
#: Listed with the reference pages in the menu, but not in the reading order.
MENU_ONLY_PAGES = (("sources.html", "Sources"), ("search.html", "Search"))
#: Language tags and direction of the sources' languages.
SOURCE_LANGUAGES = {"Polish": ("pl", "ltr"), "Persian": ("fa", "rtl"), "Russian": ("ru", "ltr"),
                    "Finnish": ("fi", "ltr")}  # fmt: skip

#: Languages of the glossary: (column, name, BCP 47 tag, direction).
LANGUAGES = (
    ("en", "English", "en", "ltr"),
    ("pl", "Polish", "pl", "ltr"),
    ("fa", "Persian", "fa", "rtl"),
    ("ru", "Russian", "ru", "ltr"),
    ("fi", "Finnish", "fi", "ltr"),
)

EDITION_NAMES = {
    "playbook": ("Playbook", "narrative, figures and checklists; no code"),
    "course": ("Course", "the full notebook, with code"),
}


def relative(target: str, current: str) -> str:
    """Link from page ``current`` to ``target`` (both relative to the site root).

    >>> relative("glossary.html", "course/00-start-here.html")
    '../glossary.html'
    >>> relative("course/01-x.html", "course/00-start-here.html")
    '01-x.html'
    """
    start = posixpath.dirname(current) or "."
    return posixpath.relpath(target, start)


@functools.cache
def environment():
    """The Jinja environment of the site's own templates (autoescape on)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters["md"] = inline_markdown
    return env


@functools.cache
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])


def markdown(text: str) -> Markup:
    """Markdown to HTML, raw HTML in the text escaped."""
    return Markup(_markdown()(text or ""))


def inline_markdown(text: str) -> Markup:
    """One paragraph of Markdown to inline HTML (no ``<p>``), raw HTML escaped.

    >>> str(inline_markdown("**bold** <b>not</b>"))
    '<strong>bold</strong> &lt;b&gt;not&lt;/b&gt;'
    """
    html = str(markdown(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


@dataclass
class SiteMap:
    """The pages of a site and the order to read them in.

    Parameters
    ----------
    lessons : list of LessonInfo
        The lessons that have pages, in order.
    planned : list of crmkit.lessons.Lesson
        Lessons of the lesson map that have no notebook yet (listed, not linked).
    """

    lessons: list[LessonInfo]
    planned: list = field(default_factory=list)
    data_label: str = ""  # which data the lessons show ("" for the kit's synthetic data)

    def lesson_path(self, lesson: LessonInfo, edition: str) -> str:
        return f"{edition}/{lesson.stem}.html"

    def notebook_path(self, lesson: LessonInfo) -> str:
        return f"downloads/notebooks/{lesson.stem}.ipynb"

    def sequence(self, edition: str = "playbook") -> list[tuple[str, str]]:
        """Reading order for previous/next: home, the lessons, the reference pages."""
        pages = [("index.html", "Home")]
        for lesson in self.lessons:
            pages.append((self.lesson_path(lesson, edition), f"{lesson.label} · {lesson.title}"))
        pages += list(REFERENCE_PAGES)
        return pages

    def signature(self) -> str:
        """Changes whenever any page's navigation would (the lesson list and titles)."""
        import hashlib
        import json

        data = [[x.stem, x.title, x.minutes] for x in self.lessons]
        data += [[p.filename, p.title] for p in self.planned]
        data.append(self.data_label)
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()

    def chrome(self, current: str, *, edition: str = "playbook", lesson=None,
               menu_current: str | None = None) -> dict:  # fmt: skip
        """Sidebar, header and previous/next for page ``current``: ``{"top", "bottom"}``.

        ``menu_current`` is the menu entry marked as the current page when
        ``current`` has none of its own (a lesson's summary marks its lesson).
        """
        order = self.sequence(edition)
        paths = [p for p, _ in order]
        i = paths.index(current) if current in paths else None
        prev = order[i - 1] if i is not None and i > 0 else None
        nxt = order[i + 1] if i is not None and i + 1 < len(order) else None
        ctx = {
            "site_title": SITE_TITLE,
            "current": current,
            "menu_current": menu_current or current,
            "edition": edition,
            "edition_names": EDITION_NAMES,
            "lesson": lesson,
            "lessons": self.lessons,
            "reference": REFERENCE_PAGES + MENU_ONLY_PAGES,
            "prev": prev,
            "next": nxt,
            "href": lambda target: relative(target, current),
            "lesson_path": self.lesson_path,
            "notebook_path": self.notebook_path,
            "data_label": self.data_label,
        }
        module = environment().get_template("_chrome.html.j2").make_module(ctx)
        return {"top": Markup(module.top()), "bottom": Markup(module.bottom())}


def _page(smap: SiteMap, template: str, current: str, title: str, *, menu_current=None,
          **ctx) -> str:  # fmt: skip
    chrome = smap.chrome(current, menu_current=menu_current)
    static = relative("static/", current)
    static = "" if static == "." else static.rstrip("/") + "/"
    return environment().get_template(template).render(
        site_title=SITE_TITLE,
        title=title,
        csp=content_security_policy(),
        static=static,
        top=chrome["top"],
        bottom=chrome["bottom"],
        href=lambda target: relative(target, current),
        **ctx,
    )


def render_index(sitemap: SiteMap) -> str:
    """``index.html``: who the kit is for, the two editions, the learning path."""
    total = sum(x.minutes or 0 for x in sitemap.lessons)
    path = [(x.number, {"lesson": x, "planned": None}) for x in sitemap.lessons]
    path += [(p.number, {"lesson": None, "planned": p}) for p in sitemap.planned]
    return _page(
        sitemap,
        "index.html.j2",
        "index.html",
        "Customer relationship management, with synthetic data",
        sitemap=sitemap,
        path=[item for _, item in sorted(path, key=lambda t: t[0])],
        total_minutes=total,
    )


def render_glossary(sitemap: SiteMap, frame=None, taught=None) -> str:
    """``glossary.html`` from :func:`crmkit.concepts.glossary_frame` (or ``frame``).

    ``taught`` maps a term's key to the lessons (stems) that use it, most first
    (:func:`glossary_mentions`); each term links to the first three.
    """
    from crmkit.concepts import SOURCES, glossary_frame

    frame = glossary_frame() if frame is None else frame
    rows = frame.fillna("").astype(str).to_dict("records")
    by_stem = {x.stem: x for x in sitemap.lessons}
    for row in rows:
        row["lessons"] = [
            (sitemap.lesson_path(by_stem[stem], "playbook"), by_stem[stem].label,
             by_stem[stem].title)
            for stem in (taught or {}).get(row["key"], [])[:3] if stem in by_stem
        ]  # fmt: skip
    return _page(
        sitemap,
        "glossary.html.j2",
        "glossary.html",
        "Glossary in five languages",
        rows=rows,
        languages=LANGUAGES,
        sources=SOURCES,
    )


def render_data_dictionary(sitemap: SiteMap, text=None) -> str:
    """``data-dictionary.html`` from :func:`crmkit.schema.data_dictionary` (or ``text``)."""
    from crmkit.schema import SCHEMA, data_dictionary

    text = data_dictionary() if text is None else text
    html = str(markdown(text))
    html = re.sub(
        r"<h3><code>([A-Za-z0-9_]+)\.csv</code>",
        r'<h3 id="table-\1"><code>\1.csv</code>',
        html,
    )
    names = ("name", "type", "meaning", "values", "concept")
    cols = "".join(f'<col class="crmkit-dd-{c}">' for c in names)
    opening = f'<div class="crmkit-scroll"><table class="crmkit-dd"><colgroup>{cols}</colgroup>'
    html = html.replace("<table>", opening)
    html = html.replace("</table>", "</table></div>")
    tables = [t for t in SCHEMA if f'id="table-{t}"' in html]
    return _page(
        sitemap,
        "data-dictionary.html.j2",
        "data-dictionary.html",
        "Data dictionary",
        body=Markup(html),
        tables=tables,
    )


def render_downloads(sitemap: SiteMap, files, licences) -> str:
    """``downloads.html``: ``files`` and ``licences`` are lists of dicts
    (``path``, ``label``, ``size``, ``note``), paths relative to the site root."""
    return _page(
        sitemap,
        "downloads.html.j2",
        "downloads.html",
        "Downloads",
        files=files,
        licences=licences,
    )


def render_search(sitemap: SiteMap) -> str:
    """``search.html``: the search box and its results (:mod:`crmkit.site.search`)."""
    from crmkit.site.search import INDEX_FILE, SEARCH_PAGE

    return _page(
        sitemap,
        "search.html.j2",
        SEARCH_PAGE,
        "Search",
        index_file=INDEX_FILE,
        root="",
    )


def render_sources(sitemap: SiteMap) -> str:
    """``sources.html``: each source and the statements the kit makes about it
    (:mod:`crmkit.sources`), each beside the source's own words."""
    from crmkit.sources import SOURCES, claims_for

    stems = {x.number: (x.stem, x.label) for x in sitemap.lessons}
    sources = []
    for s in SOURCES:
        lang, direction = SOURCE_LANGUAGES.get(s.language, ("", "auto"))
        claims = [
            {"says": c.says, "phrase": c.phrase, "note": c.note, "exercises": c.exercises,
             "lessons": [stems[n] for n in sorted(set(c.lessons)) if n in stems]}
            for c in claims_for(source=s.number)
        ]  # fmt: skip
        sources.append({"number": s.number, "language": s.language, "title": s.title,
                        "title_en": s.title_en, "takes": s.takes, "lang": lang,
                        "dir": direction, "claims": claims})  # fmt: skip
    return _page(sitemap, "sources.html.j2", "sources.html", "The five sources",
                 sources=sources)  # fmt: skip


_SOURCE_MENTION = re.compile(r"\b([Ss]ources? )(00[0-4])\b")
_TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
_NO_LINKS_IN = ("a", "script", "style", "code", "pre", "title", "textarea", "button")


def _map_text(html_text: str, fn, skip_tags=_NO_LINKS_IN) -> str:
    """Apply ``fn`` to every run of text of a page outside the tags in ``skip_tags``."""
    out, skip = [], []
    for part in _TAG_OR_TEXT.split(html_text):
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", part)
            if m:
                name = m.group(2).lower()
                if name in skip_tags and not part.endswith("/>"):
                    if m.group(1):
                        if skip and skip[-1] == name:
                            skip.pop()
                    else:
                        skip.append(name)
            out.append(part)
        else:
            out.append(part if skip or not part.strip() else fn(part))
    return "".join(out)


def link_sources(html_text: str, sources_href: str) -> str:
    """Link each "source 00N" in a page's text to its section of the sources page.

    Text inside links, code, scripts and styles is left as it is.

    >>> link_sources("<p>Source 002 says <code>source 003</code></p>", "../sources.html")
    '<p><a href="../sources.html#source-002">Source 002</a> says <code>source 003</code></p>'
    """
    link = f'<a href="{sources_href}#source-\\2">\\1\\2</a>'
    return _map_text(html_text, lambda text: _SOURCE_MENTION.sub(link, text))


#: Glossary terms too common as plain words to link wherever they appear.
_TOO_COMMON = {"people", "process", "organisation", "segment", "loyalty", "complaint",
               "acquisition", "retention", "community", "satisfy"}  # fmt: skip


@functools.lru_cache(maxsize=1)
def glossary_terms() -> tuple[tuple[str, re.Pattern], ...]:
    """(key, pattern) for every glossary term a lesson may link: its English name (without
    a bracketed abbreviation) or the abbreviation, as whole words, longest names first."""
    from crmkit.concepts import glossary_frame

    terms = []
    for row in glossary_frame().fillna("").to_dict("records"):
        if row["key"] in _TOO_COMMON:
            continue
        name = re.sub(r"\s*\([^)]*\)", "", row["en"]).strip()
        names = [name] if len(name) > 2 else []
        names += re.findall(r"\(([A-Z]{2,})\)", row["en"])  # an abbreviation: capitals only
        names = sorted(set(names), key=len, reverse=True)
        if names:
            alternatives = "|".join(
                re.escape(n) if n.isupper() else f"(?i:{re.escape(n)})" for n in names
            )
            terms.append((row["key"], re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")))
    terms.sort(key=lambda t: -len(t[1].pattern))
    return tuple(terms)


def link_glossary_terms(html_text: str, glossary_href: str) -> str:
    """Link the first mention of each glossary term in a page's text to its entry.

    Headings, links, code, tables' headers and scripts are left alone; a term is
    linked once per page, where it first appears in running text.

    >>> html = "<h2>Churn</h2><p>Churn and churn again; the CRM.</p>"
    >>> link_glossary_terms(html, "../glossary.html")  # doctest: +NORMALIZE_WHITESPACE
    '<h2>Churn</h2><p><a class="crmkit-term" href="../glossary.html#term-churn">Churn</a> and
    churn again; the <a class="crmkit-term" href="../glossary.html#term-crm">CRM</a>.</p>'
    """
    seen: set[str] = set()

    def link(text):
        for key, pattern in glossary_terms():
            if key in seen:
                continue
            m = pattern.search(text)
            if m is None:
                continue
            seen.add(key)
            anchor = f'<a class="crmkit-term" href="{glossary_href}#term-{key}">{m.group(1)}</a>'
            # the rest of the text may hold other terms: link them in the parts around
            return link(text[: m.start()]) + anchor + link(text[m.end():])
        return text

    skip = (*_NO_LINKS_IN, "h1", "h2", "h3", "h4", "h5", "h6", "th", "caption", "label", "option",
            "nav", "header", "footer", "form", "summary")  # fmt: skip
    return _map_text(html_text, link, skip)


def glossary_mentions(pages: dict[str, str]) -> dict[str, list[str]]:
    """Which pages mention each glossary term: ``{key: [page names, most mentions first]}``.

    ``pages`` maps a page's name (a lesson's stem) to its text.
    """
    counts: dict[str, list[tuple[int, str]]] = {}
    for name, text in pages.items():
        plain = re.sub(r"<[^>]+>", " ", text)
        for key, pattern in glossary_terms():
            n = len(pattern.findall(plain))
            if n:
                counts.setdefault(key, []).append((n, name))
    return {k: [name for _, name in sorted(v, key=lambda t: (-t[0], t[1]))]
            for k, v in counts.items()}  # fmt: skip


#: The sections of a lesson that its one-page summary keeps, after the lesson's intro.
SUMMARY_SECTIONS = ("Summary", "What to do on Monday")


def lesson_summary(page_html: str, sections=SUMMARY_SECTIONS) -> str:
    """The parts of a rendered lesson page that make its one-page summary.

    The lesson's first cell (title, who it is for, what you learn; not the
    prerequisites or sources lines), then everything under the ``h2`` headings
    named in ``sections``, from Markdown cells and cell outputs alike, in page
    order. Anchor links and the lesson's ids are dropped (the summary is a page
    of its own).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page_html, "html.parser")
    main = soup.find("main") or soup
    for tag in main.select("a.anchor-link, script, style"):
        tag.decompose()
    cells = main.select("div.jp-Cell")
    parts: list[str] = []
    if cells:
        intro = cells[0].select_one(".jp-RenderedMarkdown")
        if intro is not None:
            for p in intro.find_all("p"):
                if p.get_text().startswith(("You need:", "Sources:")):
                    p.decompose()
            parts.append(intro.decode_contents())
    current = None
    for cell in cells[1:]:
        for block in cell.select(".jp-RenderedMarkdown, .jp-RenderedHTMLCommon, .jp-RenderedImage"):
            if block.find_parent(class_=["jp-RenderedMarkdown", "jp-RenderedHTMLCommon"]):
                continue
            for el in list(block.children):
                if getattr(el, "name", None) == "h2":
                    current = el.get_text(" ", strip=True)
                if current in sections:
                    parts.append(str(el))
    html_text = "".join(parts)
    # wide tables scroll inside the page on a phone instead of widening it
    html_text = re.sub(r"<table\b", '<div class="crmkit-scroll"><table', html_text)
    html_text = html_text.replace("</table>", "</table></div>")
    return re.sub(r'\sid="[^"]*"', "", html_text)


def render_summary(sitemap: SiteMap, lesson: LessonInfo, page_html: str) -> str:
    """``summary/NN-slug.html``: a lesson on one sheet (:func:`lesson_summary`)."""
    current = f"summary/{lesson.stem}.html"
    return _page(
        sitemap,
        "summary.html.j2",
        current,
        f"{lesson.label} · {lesson.title}: summary",
        body=Markup(lesson_summary(page_html)),
        lesson_href=sitemap.lesson_path(lesson, "playbook"),
        menu_current=sitemap.lesson_path(lesson, "playbook"),
    )
