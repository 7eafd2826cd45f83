"""The static site (crmkit.site, crmkit.build): pages, escaping, links, cache.

Fast: the "executed" notebooks are written by hand with nbformat (outputs
included), so no kernel runs here except in the one test marked ``slow``.
"""

from __future__ import annotations

import base64
import html
import io
import json
import posixpath
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmkit.build import build_all, execute_notebooks, format_report
from crmkit.concepts import GLOSSARY
from crmkit.lessons import show_table
from crmkit.site import render_site
from crmkit.site.catalog import lesson_info
from crmkit.site.notebook import content_security_policy, figure_titles, scan_notebook
from crmkit.site.pages import SiteMap, relative, render_glossary

XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "\"quoted\" 'name'"]


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=20)
    fig.add_subplot().plot([0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()


def _lesson(number: int, title: str, *, extra=()) -> nbformat.NotebookNode:
    first = new_markdown_cell(
        f"# {number:02d} · {title}\n\n"
        "**Who it is for:** teams and *students*.\n\n"
        "**You will learn to**\n"
        "- read a <b>chart</b>;\n"
        "- count customers\n  over two lines.\n\n"
        "**Time needed:** about 20 minutes.\n\n"
        "**Sources:** 000 (pl)."
    )
    params = new_code_cell("SEED = None", metadata={"tags": ["parameters"]})
    heading = new_markdown_cell("## Growth of the business\n\nSome text.")
    figure = new_code_cell(
        'fig, ax = plt.subplots()\nax.set_title("New customers per month")\n'
        'ax.legend(title="origin")\nplt.show()',
        outputs=[new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"})],
    )
    untitled = new_code_cell(
        "plot_something()",
        outputs=[new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"})],
    )
    solution = new_code_cell("answer = 42  # SOLUTION-CELL", metadata={"tags": ["solution"]})
    course_only = new_code_cell("x = 1  # COURSE-ONLY", metadata={"tags": ["remove_playbook"]})
    warn = new_code_cell(
        "warn()",
        outputs=[new_output("stream", name="stderr", text="STDERR-WARNING\n")],
    )
    summary = new_markdown_cell("## Summary\n\n- one\n\n## Try this\n\n1. two")
    cells = [first, params, heading, figure, untitled, solution, course_only, warn, *extra, summary]
    kernel = {"name": "python3", "display_name": "Python 3"}
    nb = new_notebook(cells=cells, metadata={"kernelspec": kernel})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{number:02d}-{i:02d}"
    return nb


def _xss_cell():
    df = pd.DataFrame({"first_name": XSS, "n": [1, 2, 3]})
    return new_code_cell(
        "df; show_table(df)",
        outputs=[
            new_output(
                "execute_result",
                data={"text/html": df._repr_html_(), "text/plain": repr(df)},
                execution_count=1,
            ),
            new_output(
                "display_data", data={"text/html": show_table(df).data, "text/plain": "table"}
            ),
            new_output("stream", name="stdout", text="\n".join(XSS)),
        ],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site of two hand-made "executed" lessons and a tiny dataset."""
    root = tmp_path_factory.mktemp("site")
    src, executed, data = root / "notebooks", root / "executed", root / "data"
    for folder in (src, executed, data):
        folder.mkdir()
    lessons = {
        "00-start-here.ipynb": _lesson(0, "Start here: the kit and its data"),
        "01-what-is-a-customer-relationship.ipynb": _lesson(
            1, "What a customer relationship is", extra=[_xss_cell()]
        ),
    }
    for name, nb in lessons.items():
        nbformat.write(nb, src / name)
        nbformat.write(nb, executed / name)
    (data / "customers.csv").write_text("customer_id,first_name\n1,Ann\n")
    (data / "meta.json").write_text("{}")
    out = root / "site"
    report = render_site(executed, out, notebooks=src, dataset=data, progress=False)
    return {"out": out, "report": report, "src": src, "executed": executed, "data": data}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.scripts: list[tuple[dict, str]] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "script":
            self._script = (a, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _pages(out: Path):
    return sorted(out.rglob("*.html"))


def test_every_page_is_there(site):
    out = site["out"]
    rels = {p.relative_to(out).as_posix() for p in _pages(out)}
    assert {
        "index.html",
        "glossary.html",
        "data-dictionary.html",
        "downloads.html",
        "playbook/00-start-here.html",
        "course/00-start-here.html",
        "playbook/01-what-is-a-customer-relationship.html",
        "course/01-what-is-a-customer-relationship.html",
    } == rels
    assert site["report"]["lessons"] == ["00-start-here", "01-what-is-a-customer-relationship"]
    assert set(site["report"]["pages_written"]) == rels


def test_every_link_and_asset_is_local_and_resolves(site):
    out = site["out"]
    for page in _pages(out):
        parsed = _parse(page)
        for tag, attrs in parsed.tags:
            for attr in ("href", "src"):
                url = attrs.get(attr)
                if not url or url.startswith(("data:", "blob:", "mailto:")):
                    continue
                parts = urlsplit(url)
                where = f"{page.relative_to(out)}: <{tag} {attr}={url!r}>"
                assert not parts.scheme and not parts.netloc, f"not a relative link: {where}"
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                assert target.is_file(), f"link to a missing file: {where}"
                assert out.resolve() in target.parents, f"link outside the site: {where}"
                if parts.fragment and target.suffix == ".html":
                    assert parts.fragment in _parse(target).ids, f"missing anchor: {where}"


def test_every_page_has_navigation_and_a_strict_security_policy(site):
    out = site["out"]
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        parsed = _parse(page)
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
        links = {a["rel"]: a["href"] for t, a in _parse(out / rel).tags if t == "a" and "rel" in a}
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


def test_playbook_hides_code_course_shows_it_and_tags_are_honoured(site):
    out = site["out"]
    playbook = (out / "playbook/00-start-here.html").read_text(encoding="utf-8")
    course = (out / "course/00-start-here.html").read_text(encoding="utf-8")
    assert "jp-InputArea-editor" not in playbook and "set_title" not in playbook
    assert "jp-InputArea-editor" in course and "set_title" in course
    assert "SOLUTION-CELL" not in playbook and "SOLUTION-CELL" not in course
    assert "COURSE-ONLY" not in playbook and "COURSE-ONLY" in course
    assert "STDERR-WARNING" not in playbook and "STDERR-WARNING" in course
    for text in (playbook, course):  # the narrative and the figures are in both
        assert "Growth of the business" in text and "data:image/png;base64," in text


def test_every_image_has_a_meaningful_alt_text(site):
    out = site["out"]
    for page in _pages(out):
        for tag, attrs in _parse(page).tags:
            if tag == "img":
                assert attrs.get("alt", "").strip(), f"{page.name}: image without alt"
                assert "No description" not in attrs["alt"]
    alts = [a["alt"] for t, a in _parse(out / "playbook/00-start-here.html").tags if t == "img"]
    # the title the cell sets; then, for a cell without one, the heading above it
    assert alts == ["Figure: New customers per month", "Figure: Growth of the business"]


def test_figure_titles_reads_titles_not_legend_titles():
    src = (
        '%matplotlib inline\nfig.suptitle(f"Cohort {c}: retention")\n'
        'ax.set(title="Churn", xlabel="month")\nax.legend(title="origin")\n'
        "df.plot(title='Spend')"
    )
    assert figure_titles(src) == ["Cohort …: retention", "Churn", "Spend"]
    assert figure_titles("ax.set_title('A') +") == ["A"]  # not Python: regex fallback
    assert figure_titles("x = 1") == []


def test_glossary_has_five_languages_and_persian_right_to_left(site):
    parsed = _parse(site["out"] / "glossary.html")
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


def test_names_from_data_render_as_text_not_markup(site):
    for edition in ("playbook", "course"):
        page = site["out"] / f"{edition}/01-what-is-a-customer-relationship.html"
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text
        assert "<img src=x" not in text and "<img src=\"x\"" not in text
        assert "onerror=alert(2)>" not in text.replace("&lt;img src=x onerror=alert(2)&gt;", "")
        assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # pandas and show_table
        parsed = _parse(page)
        assert not [a for t, a in parsed.tags if t == "img" and a.get("src") == "x"]
        assert not [a for t, a in parsed.tags if any(k.startswith("on") for k in a)]


def test_lesson_info_reads_the_first_cell():
    info = lesson_info(_lesson(3, "The lifecycle"), "03-lifecycle-stages.ipynb")
    assert (info.number, info.stem, info.title) == (3, "03-lifecycle-stages", "The lifecycle")
    assert info.audience == "teams and *students*."
    assert info.objectives == ("read a <b>chart</b>;", "count customers over two lines.")
    assert info.minutes == 20 and info.sources == "000 (pl)."
    bare = lesson_info(new_notebook(cells=[new_code_cell("1")]), "05-ten-strategies.ipynb")
    assert bare.title == "The ten relationship strategies" and bare.minutes == 45


def test_index_lists_the_learning_path_with_objectives_escaped(site):
    text = (site["out"] / "index.html").read_text(encoding="utf-8")
    assert "Who it is for" in text and "The learning path" in text
    assert "read a &lt;b&gt;chart&lt;/b&gt;;" in text  # raw HTML in a notebook cell: escaped
    assert "About 20 minutes" in text
    assert "in preparation" in text  # lessons of the map without a notebook
    for rel in ("playbook/00-start-here.html", "course/00-start-here.html",
                "downloads/notebooks/00-start-here.ipynb"):
        assert f'href="{rel}"' in text


def test_downloads_are_clean_notebooks_and_a_deterministic_dataset_zip(site):
    out = site["out"]
    nb = nbformat.read(out / "downloads/notebooks/01-what-is-a-customer-relationship.ipynb", 4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    with zipfile.ZipFile(out / "downloads/crmkit-default-dataset.zip") as zf:
        assert sorted(zf.namelist()) == [
            "crmkit-default-dataset/customers.csv",
            "crmkit-default-dataset/meta.json",
        ]
    with zipfile.ZipFile(out / "downloads/crmkit-notebooks.zip") as zf:
        assert len(zf.namelist()) == 2
    assert (out / "downloads/data-dictionary.md").read_text().startswith("# crmkit data")
    text = (out / "downloads.html").read_text(encoding="utf-8")
    assert "crmkit-default-dataset.zip" in text and 'id="licences"' in text
    for lic in ("static/vendor/requirejs/LICENSE",
                "static/vendor/@jupyter-widgets/html-manager/LICENSE"):
        assert (out / lic).is_file() and lic in text


def test_vendored_assets_are_served_from_the_site(site):
    out = site["out"]
    vendor = out / "static/vendor"
    assert (vendor / "requirejs/require.js").stat().st_size > 50_000
    embed = vendor / "@jupyter-widgets/html-manager/dist/embed-amd.js"
    assert embed.stat().st_size > 1_000_000
    # the widget manager's fonts, where it looks for them with baseUrl = static/vendor/
    assert len(list((vendor / "@jupyter-widgets").glob("*.woff2"))) == 3
    assert (out / "static/nbconvert/index.css").is_file()


def test_a_second_render_with_nothing_changed_writes_nothing(site):
    again = render_site(
        site["executed"], site["out"], notebooks=site["src"], dataset=site["data"], progress=False
    )
    assert again["pages_written"] == [] and again["files_written"] == []
    assert len(again["pages_unchanged"]) == 8


def test_a_removed_lesson_leaves_the_site(site, tmp_path):
    import shutil

    out = tmp_path / "site"
    shutil.copytree(site["out"], out)
    src = tmp_path / "notebooks"
    src.mkdir()
    shutil.copy(site["src"] / "00-start-here.ipynb", src)
    report = render_site(site["executed"], out, notebooks=src, dataset=site["data"],
                         progress=False)
    assert report["lessons"] == ["00-start-here"]
    assert not (out / "course/01-what-is-a-customer-relationship.html").exists()
    assert not (out / "downloads/notebooks/01-what-is-a-customer-relationship.ipynb").exists()
    assert "01-what-is" not in (out / "index.html").read_text(encoding="utf-8").split(
        "learning-path")[1].split("in preparation")[0]


def test_scan_notebook_warns_about_what_the_site_cannot_show():
    nb = new_notebook(cells=[
        new_markdown_cell("The value is $x^2$ and costs $5 and $10."),
        new_code_cell("js", outputs=[new_output("display_data",
                                                data={"application/javascript": "alert(1)"})]),
    ])
    problems = scan_notebook(nb)
    assert len(problems) == 2 and "math" in problems[0] and "JavaScript" in problems[1]
    assert scan_notebook(new_notebook(cells=[new_markdown_cell("costs $5 and $10")])) == []


def test_content_security_policy_allows_eval_only_with_widgets():
    assert "'unsafe-eval'" in content_security_policy(widgets=True)
    assert "'unsafe-eval'" not in content_security_policy(widgets=False)
    assert "'unsafe-inline'" not in content_security_policy(widgets=True).split("style-src")[0]


def test_relative_links():
    assert relative("index.html", "index.html") == "index.html"
    assert relative("static/crmkit.css", "playbook/00-a.html") == "../static/crmkit.css"


def test_format_report_ends_with_the_index_path():
    report = {
        "notebooks": {"00-a.ipynb": {"seconds": 3.2, "cached": False},
                      "01-b.ipynb": {"seconds": 0.0, "cached": True},
                      "02-c.ipynb": {"seconds": 1.0, "cached": False, "error": "NameError: x"}},
        "failed": ["02-c.ipynb"], "execute_seconds": 4.3, "pages_written": ["index.html"],
        "pages_unchanged": [], "render_seconds": 0.5, "warnings": ["w"], "seconds": 4.8,
        "index": "/x/site/index.html",
    }
    text = format_report(report)
    assert "00-a.ipynb: 3.2 s" in text and "01-b.ipynb: cached" in text
    assert "FAILED" in text and "NameError: x" in text and "warning: w" in text
    assert text.splitlines()[-1].endswith("/x/site/index.html")


@pytest.mark.slow
def test_execute_notebooks_stores_widget_state_caches_and_reports_failures(tmp_path, monkeypatch):
    import hashlib

    import crmkit.build

    # the cache key also hashes crmkit's code: keep it fixed while others edit it
    monkeypatch.setattr(crmkit.build, "code_hash", lambda: hashlib.sha256(b"fixed"))
    src, out = tmp_path / "nb", tmp_path / "out"
    src.mkdir()
    good = new_notebook(cells=[new_code_cell("import ipywidgets as W\nW.IntSlider(3)")])
    bad = new_notebook(cells=[new_code_cell("raise ValueError('boom')")])
    nbformat.write(good, src / "00-good.ipynb")
    nbformat.write(bad, src / "01-bad.ipynb")
    report = execute_notebooks(src, out, progress=False, errors="report", timeout=60)
    assert report["00-good.ipynb"]["cached"] is False and "error" not in report["00-good.ipynb"]
    assert "ValueError" in report["01-bad.ipynb"]["error"]
    assert not (out / "01-bad.ipynb").exists()
    done = nbformat.read(out / "00-good.ipynb", as_version=4)
    assert "application/vnd.jupyter.widget-state+json" in done.metadata["widgets"]
    again = execute_notebooks(src, out, progress=False, errors="report", timeout=60)
    assert again["00-good.ipynb"]["cached"] is True and "error" in again["01-bad.ipynb"]
    with pytest.raises(Exception, match="boom"):
        execute_notebooks(src, out, progress=False, timeout=60)
    assert json.loads((out / ".cache.json").read_text()).keys() == {"00-good.ipynb"}
    site = build_all(src=src, build_dir=out, out=tmp_path / "site", progress=False)
    assert site["failed"] == ["01-bad.ipynb"] and site["lessons"] == ["00-good"]
