"""crmkit.site.pages: navigation, reading order, the index, the glossary, relative links.

The site is rendered from hand-made "executed" lessons (tests/hand_made_site.py), so
no kernel runs here.
"""

from __future__ import annotations

import html
import posixpath

import pandas as pd
from hand_made_site import XSS, pages, parse, site_fixture  # noqa: F401

from crmkit.concepts import GLOSSARY
from crmkit.site.pages import SiteMap, relative, render_glossary


def test_every_page_has_navigation_and_a_strict_security_policy(site):
    out = site["out"]
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        parsed = parse(page)
        rel = page.relative_to(out).as_posix()
        assert 'aria-label="Contents"' in text, rel
        assert 'aria-label="Previous and next page"' in text, rel
        assert 'aria-current="page"' in text, rel
        csp = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") ==
               "Content-Security-Policy"]
        assert len(csp) == 1, rel
        assert "'unsafe-inline'" not in csp[0]["content"].split("script-src")[1].split(";")[0]
        for attrs, body in parsed.scripts:  # no inline script that could run
            kind = attrs.get("type", "text/javascript")
            assert attrs.get("src") or kind.startswith("application/"), (rel, body[:80])


def test_previous_and_next_follow_the_reading_order(site):
    out = site["out"]

    def prev_next(rel):
        links = {a["rel"]: a["href"] for t, a in parse(out / rel).tags if t == "a" and "rel" in a}
        return tuple(
            posixpath.normpath(posixpath.join(posixpath.dirname(rel), links[k])) if k in links
            else None
            for k in ("prev", "next")
        )

    order = [
        "index.html",
        "playbook/00-start-here.html",
        "playbook/01-what-is-a-customer-relationship.html",
        "glossary.html",
        "data-dictionary.html",
        "downloads.html",
    ]
    for i, rel in enumerate(order):
        want = (order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
        assert prev_next(rel) == want, rel
    assert prev_next("course/00-start-here.html") == (
        "index.html", "course/01-what-is-a-customer-relationship.html"
    )


def test_glossary_has_five_languages_and_persian_right_to_left(site):
    parsed = parse(site["out"] / "glossary.html")
    cells = [a for t, a in parsed.tags if t == "td" and a.get("lang")]
    by_lang = {}
    for a in cells:
        by_lang.setdefault(a["lang"], []).append(a)
    assert set(by_lang) == {"en", "pl", "fa", "ru", "fi"}
    assert len(by_lang["fa"]) == len(GLOSSARY)
    assert all(a["dir"] == "rtl" for a in by_lang["fa"])
    assert all(a["dir"] == "ltr" for lang in ("en", "pl", "ru", "fi") for a in by_lang[lang])
    text = (site["out"] / "glossary.html").read_text(encoding="utf-8")
    assert GLOSSARY[0].fa in text and GLOSSARY[0].definition.split()[0] in text


def test_glossary_escapes_every_field():
    frame = pd.DataFrame(
        [{"key": "k", "en": XSS[0], "pl": XSS[1], "fa": XSS[2], "ru": "r", "fi": "f",
          "definition": "<b>bold</b>", "source": "kit"}]
    )
    page = render_glossary(SiteMap(lessons=[]), frame)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert html.escape(XSS[0]) in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_index_lists_the_learning_path_with_objectives_escaped(site):
    text = (site["out"] / "index.html").read_text(encoding="utf-8")
    assert "Who it is for" in text and "The learning path" in text
    assert "read a &lt;b&gt;chart&lt;/b&gt;;" in text  # raw HTML in a notebook cell: escaped
    assert "About 20 minutes" in text
    assert "in preparation" in text  # lessons of the map without a notebook
    for rel in ("playbook/00-start-here.html", "course/00-start-here.html",
                "downloads/notebooks/00-start-here.ipynb"):
        assert f'href="{rel}"' in text


def test_relative_links():
    assert relative("index.html", "index.html") == "index.html"
    assert relative("static/crmkit.css", "playbook/00-a.html") == "../static/crmkit.css"


def test_the_sources_page_lists_every_claim_beside_the_source_words(site):
    from crmkit.sources import CLAIMS, SOURCES

    text = (site["out"] / "sources.html").read_text(encoding="utf-8")
    for s in SOURCES:
        assert f'id="source-{s.number}"' in text
    # every claim's phrase is there, escaped, in its language and direction
    assert text.count("<tr>") - 3 * len(SOURCES) >= 0
    rows = text.count('dir="rtl">«') + text.count('dir="ltr">«')
    assert rows == len(CLAIMS)
    assert 'lang="fa" dir="rtl"' in text and 'lang="pl" dir="ltr"' in text


def test_source_mentions_in_lessons_link_to_the_sources_page():
    from crmkit.site.pages import link_sources

    page = (
        '<p>Source 002 says; sources 004 too.</p><a href="x">source 001</a>'
        '<pre>source 003</pre><script>var s = "source 000";</script><p>source 005, 0021</p>'
    )
    out = link_sources(page, "../sources.html")
    assert '<a href="../sources.html#source-002">Source 002</a> says' in out
    assert '<a href="../sources.html#source-004">sources 004</a> too' in out
    assert '<a href="x">source 001</a>' in out  # already a link
    assert "<pre>source 003</pre>" in out and 'var s = "source 000";' in out
    assert "source 005, 0021" in out  # no such source


LESSON_PAGE = """<main>
<div class="jp-Cell"><div class="jp-RenderedMarkdown"><h1 id="t">03 · Stages<a class="anchor-link"
 href="#t">#</a></h1><p><strong>Who it is for:</strong> teams.</p><p><strong>You need:</strong>
 pandas.</p><p><strong>Sources:</strong> 004.</p></div></div>
<div class="jp-Cell"><div class="jp-RenderedMarkdown"><h2 id="a">The flow</h2><p>long text</p>
</div></div>
<div class="jp-Cell"><div class="jp-RenderedMarkdown"><h2 id="Summary">Summary</h2>
<ul><li>Stages &lt;matter&gt;.</li></ul></div></div>
<div class="jp-Cell"><div class="jp-OutputArea"><div class="jp-RenderedHTMLCommon">
<p>Computed: 42% stay.</p></div></div></div>
<div class="jp-Cell"><div class="jp-RenderedMarkdown"><h2 id="m">What to do on Monday</h2>
<table><tr><td>Call them</td></tr></table><h2 id="x">Try this</h2><p>code prompt</p>
</div></div></main>"""


def test_a_lesson_summary_keeps_the_intro_the_summary_and_monday():
    from crmkit.site.pages import lesson_summary

    out = lesson_summary(LESSON_PAGE)
    for kept in ("03 · Stages", "Who it is for:", "Stages &lt;matter&gt;.", "Computed: 42% stay.",
                 "What to do on Monday", "Call them"):  # fmt: skip
        assert kept in out, kept
    for dropped in ("You need:", "Sources:", "The flow", "long text", "Try this", "code prompt",
                    "anchor-link", ' id="'):  # fmt: skip
        assert dropped not in out, dropped
    assert out.index("Summary") < out.index("Computed") < out.index("Monday")


def test_every_lesson_has_a_summary_page_linked_from_its_header(site):
    out = site["out"]
    for stem in ("00-start-here", "01-what-is-a-customer-relationship"):
        page = (out / "summary" / f"{stem}.html").read_text(encoding="utf-8")
        assert f'href="../playbook/{stem}.html"' in page  # back to the whole lesson
        for edition in ("playbook", "course"):
            lesson = (out / edition / f"{stem}.html").read_text(encoding="utf-8")
            assert f'href="../summary/{stem}.html"' in lesson


def test_key_terms_link_to_the_glossary_once_and_only_in_running_text():
    from crmkit.site.pages import link_glossary_terms

    page = (
        "<nav><p>Customer relationship management</p></nav><h2>Churn</h2>"
        "<p>Churn is low; churn again. <code>churn</code> <a href='x'>NPS</a></p>"
        "<p>Our people and the NPS of the crm team.</p>"
    )
    out = link_glossary_terms(page, "../glossary.html")
    assert out.count('href="../glossary.html#term-churn"') == 1
    assert '<a class="crmkit-term" href="../glossary.html#term-churn">Churn</a> is low' in out
    assert "<h2>Churn</h2>" in out and "<code>churn</code>" in out  # headings and code alone
    assert "<nav><p>Customer relationship management</p></nav>" in out  # not in the chrome
    assert '#term-nps">NPS</a> of the' in out  # the first NPS outside a link
    assert "term-people" not in out  # too common a word to link
    assert "term-crm" not in out  # abbreviations match in capitals only


def test_the_glossary_links_each_term_to_the_lessons_that_use_it_most(site):
    import nbformat

    from crmkit.site.catalog import lesson_info
    from crmkit.site.pages import SiteMap, glossary_mentions, render_glossary

    mentions = glossary_mentions({
        "00-start-here": "<p>Churn, churn and NPS.</p>",
        "01-what-is-a-customer-relationship": "<p>Churn, churn, churn.</p>",
    })  # fmt: skip
    assert mentions["churn"] == ["01-what-is-a-customer-relationship", "00-start-here"]
    assert mentions["nps"] == ["00-start-here"]
    infos = [lesson_info(nbformat.read(p, as_version=4), p)
             for p in sorted(site["executed"].glob("*.ipynb"))]  # fmt: skip
    html = render_glossary(SiteMap(lessons=infos), taught=mentions)
    churn = html.split('id="term-churn"', 1)[1].split("</tbody>", 1)[0]
    first = churn.index('href="playbook/01-what-is-a-customer-relationship.html"')
    assert first < churn.index('href="playbook/00-start-here.html"')  # most mentions first
    retention = html.split('id="term-retention"', 1)[1].split("</tbody>", 1)[0]
    assert "In the lessons" not in retention  # no lesson mentions it here


def test_a_summary_table_scrolls_inside_the_page():
    from crmkit.site.pages import lesson_summary

    out = lesson_summary(LESSON_PAGE)
    assert '<div class="crmkit-scroll"><table>' in out and "</table></div>" in out
