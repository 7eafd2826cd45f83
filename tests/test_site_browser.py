"""The static site as a reader sees it: Debian's Chromium, driven by Playwright.

One small site is built per session from ``notebooks/00-start-here.ipynb`` (plus
every other lesson whose executed copy in ``build/notebooks`` is current, so
after ``make playbook`` all lessons are checked), a widgets notebook and an
escaping notebook written here. Every page is opened from ``file://``; a test
fails on any console error, any request that is not a local file, a link to a
missing page or anchor, an image without alt text, a widget that does not
render, or a script from the data that runs.

Screenshots of the main pages go to ``$CRMKIT_SCREENSHOTS`` (or a temporary
folder): look at them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmkit.build import ROOT, code_hash, execute_notebooks, source_hash
from crmkit.site import render_site

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
XSS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "\"quoted\" 'name'"]
WIDGETS = "90-widgets-check"
ESCAPING = "91-escaping-check"
SCORECARD = "92-scorecard-check"
LOCAL = ("file:", "data:", "blob:", "about:")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def browser(chromium_browser):
    return chromium_browser


def _widgets_notebook():
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 90 · Widgets check\n\n**Who it is for:** the browser tests.\n\n"
                "**You will learn to**\n- see a widget without a kernel.\n\n"
                "**Time needed:** about 1 minute."
            ),
            new_code_cell(
                "import io\nimport ipywidgets as W\nimport matplotlib\nmatplotlib.use('Agg')\n"
                "import matplotlib.pyplot as plt\n%matplotlib inline"
            ),
            new_markdown_cell("## Explore the sign-ups"),
            new_code_cell(
                "fig, ax = plt.subplots(figsize=(4, 2.5))\nax.plot([1, 3, 2])\n"
                "ax.set_title('Sign-ups per month (static twin)')\nplt.show()"
            ),
            new_code_cell(
                "f, a = plt.subplots(figsize=(4, 2.5)); a.plot([2, 1, 3])\n"
                "buf = io.BytesIO(); f.savefig(buf, format='png'); plt.close(f)\n"
                "panel = W.VBox([\n"
                "    W.HTML('<b>Sign-ups explorer</b>'),\n"
                "    W.IntSlider(3, min=1, max=12, description='months'),\n"
                "    W.Dropdown(options=['web', 'shop'], description='channel'),\n"
                "    W.Checkbox(True, description='won back'),\n"
                "    W.ToggleButtons(options=['count', 'share']),\n"
                "    W.Button(description='Reset', icon='check'),\n"
                "    W.Image(value=buf.getvalue(), format='png'),\n"
                "])\npanel"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def _scorecard_notebook():
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 92 · Scorecard check\n\n**Who it is for:** the browser tests.\n\n"
                "**Time needed:** about 1 minute."
            ),
            new_markdown_cell("## Rate the ten strategies"),
            new_code_cell(
                "from crmkit.widgets.strategy import strategy_self_assessment\n"
                "strategy_self_assessment()"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


def _escaping_notebook(data_dir: Path):
    return new_notebook(
        cells=[
            new_markdown_cell(
                "# 91 · Escaping check\n\n**Who it is for:** the browser tests.\n\n"
                "**Time needed:** about 1 minute."
            ),
            new_code_cell(
                "import ipywidgets as W\nfrom crmkit.lessons import lesson_world, show_table\n"
                f"DATA_DIR = {str(data_dir)!r}\nworld = lesson_world(DATA_DIR)",
                metadata={"tags": ["parameters"]},
            ),
            new_code_cell("world.customers[['customer_id', 'first_name', 'last_name']].head(5)"),
            new_code_cell("show_table(world.customers[['first_name', 'city']], max_rows=5)"),
            new_code_cell("print('\\n'.join(world.customers['first_name'].head(3)))"),
            new_code_cell(
                "names = list(world.customers['first_name'].head(3))\n"
                "W.VBox([W.Label(names[0]), W.Dropdown(options=names, description='Name'),\n"
                "        W.Text(names[1])])"
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A small site: lesson 00 (and any current executed lesson) and two check notebooks."""
    from crmkit.synth import make_world

    root = tmp_path_factory.mktemp("browser_site")
    src, executed, out = root / "notebooks", root / "executed", root / "site"
    src.mkdir()
    executed.mkdir()

    world = make_world(40, random_state=3)
    customers = world.customers.copy()
    customers["first_name"] = customers["first_name"].astype(object)
    customers.loc[customers.index[:3], "first_name"] = XSS
    world.customers = customers
    data = world.save(root / "xss_world")

    shutil.copy(ROOT / "notebooks" / "00-start-here.ipynb", src)
    nbformat.write(_widgets_notebook(), src / f"{WIDGETS}.ipynb")
    nbformat.write(_scorecard_notebook(), src / f"{SCORECARD}.ipynb")
    nbformat.write(_escaping_notebook(Path(data)), src / f"{ESCAPING}.ipynb")

    # reuse every lesson already executed with the current code (after `make playbook`)
    built = ROOT / "build" / "notebooks"
    cache_file = built / ".cache.json"
    cache = json.loads(cache_file.read_text()) if cache_file.exists() else {}
    code = code_hash()
    reused = {}
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        key = source_hash(path, code)
        if cache.get(path.name) == key and (built / path.name).exists():
            shutil.copy(path, src)
            shutil.copy(built / path.name, executed)
            reused[path.name] = key
    (executed / ".cache.json").write_text(json.dumps(reused))

    report = execute_notebooks(src, executed, progress=False, timeout=120)
    assert set(report) >= {
        "00-start-here.ipynb", f"{WIDGETS}.ipynb", f"{ESCAPING}.ipynb", f"{SCORECARD}.ipynb"
    }
    site = render_site(executed, out, notebooks=src, progress=False)
    shots = Path(os.environ.get("CRMKIT_SCREENSHOTS") or root / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    return {"out": out, "report": site, "shots": shots}


def _pages(site):
    out = site["out"]
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


# True once every widget view script has its rendered view before it, with as
# many rendered widgets inside as the stored state has DOM widgets in that tree.
_ALL_WIDGETS_RENDERED = """() => {
  const stateTag = document.querySelector(
    'script[type="application/vnd.jupyter.widget-state+json"]');
  if (!stateTag) return false;
  const state = JSON.parse(stateTag.textContent).state;
  const size = (id, seen) => {
    const m = state[id];
    if (!m || seen.has(id) || !('_dom_classes' in (m.state || {}))) return 0;
    seen.add(id);
    let n = 1;
    for (const c of (m.state.children || []))
      n += size(String(c).replace('IPY_MODEL_', ''), seen);
    return n;
  };
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  return views.every(v => {
    const area = v.previousElementSibling;
    if (!area || !area.classList.contains('widget-subarea')) return false;
    const want = size(JSON.parse(v.textContent).model_id, new Set());
    return area.querySelectorAll('.lm-Widget').length >= want;
  });
}"""


class _Visit:
    """Open a page and record what a reader's browser did."""

    def __init__(self, browser, site, rel, *, width=1280, height=900):
        self.rel = rel
        self.errors, self.external, self.failed, self.dialogs = [], [], [], []
        self.requests = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on(
            "request",
            lambda r: not r.url.startswith(LOCAL) and self.external.append(r.url),
        )
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        path = site["out"] / rel
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        if "application/vnd.jupyter.widget-view+json" in path.read_text(encoding="utf-8"):
            # Wait for what the tests check: every widget view in the page drawn
            # with all of its children, not only the first one.
            page.wait_for_function(_ALL_WIDGETS_RENDERED, timeout=30_000)
        page.wait_for_timeout(300)  # let late errors and requests show

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def visits(browser, site):
    """Every page of the site, opened once."""
    opened = {rel: _Visit(browser, site, rel) for rel in _pages(site)}
    yield opened
    for v in opened.values():
        v.close()


def test_every_page_loads_offline_with_no_error_and_no_outside_request(visits):
    assert len(visits) >= 10
    for rel, v in visits.items():
        assert v.external == [], f"{rel} requested outside the site: {v.external}"
        assert v.failed == [], f"{rel}: failed requests {v.failed}"
        assert v.errors == [], f"{rel}: console errors {v.errors}"
        assert v.dialogs == [], f"{rel}: dialogs {v.dialogs}"


def test_every_navigation_link_resolves(visits, site):
    out = site["out"].resolve()
    ids_cache: dict[str, set] = {}
    for rel, v in visits.items():
        hrefs = v.page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        assert hrefs, rel
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue  # a link out of the site (not a request): allowed in lesson text
            assert parts.scheme == "file", f"{rel}: {href}"
            target = Path(unquote(parts.path))
            assert target.is_file(), f"{rel}: link to a missing file {href}"
            assert out in target.resolve().parents, f"{rel}: link outside the site {href}"
            if parts.fragment and target.suffix == ".html":
                key = str(target)
                if key not in ids_cache:
                    other = visits.get(target.resolve().relative_to(out).as_posix())
                    ids_cache[key] = set(
                        other.page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")
                    )
                ids = ids_cache[key]  # HTML tries the fragment as written, then decoded
                assert {parts.fragment, unquote(parts.fragment)} & ids, f"{rel}: no anchor {href}"


def test_navigation_is_on_every_page(visits):
    for rel, v in visits.items():
        assert v.page.locator("nav[aria-label=Contents] a").count() >= 4, rel
        assert v.page.locator("nav[aria-label=Contents] [aria-current=page]").count() == 1, rel
        nav = v.page.locator("nav[aria-label='Previous and next page'] a")
        # in the menu (a summary: its lesson), not in the reading order
        outside = rel in ("search.html", "sources.html") or rel.startswith("summary/")
        assert nav.count() >= (0 if outside else 1), rel
        assert v.page.locator("nav[aria-label=Contents]").is_visible(), rel


def test_every_image_has_alt_text(visits):
    for rel, v in visits.items():
        missing = v.page.eval_on_selector_all(
            "img", "els => els.filter(i => !(i.getAttribute('alt') || '').trim()).length"
        )
        assert missing == 0, f"{rel}: {missing} image(s) without alt text"


def test_a_widget_shows_as_one_sentence_and_its_twin_is_the_one_figure(visits):
    """Issue #14: a static page shows no control that does nothing, and no figure twice.

    Where the notebook showed a widget, the page says in a plain sentence that it
    works when the notebook runs; the figure is the static twin's, once. Without
    widgets, no page carries widget state or loads the 3.6 MB widget manager.
    """
    for rel, v in visits.items():
        page = v.page
        assert page.locator(".jupyter-widgets, .widget-slider, [role=slider]").count() == 0, rel
        state = 'script[type="application/vnd.jupyter.widget-state+json"]'
        assert page.locator(state).count() == 0, rel
        assert not [r for r in v.requests if "embed-amd.js" in r or "require.js" in r], rel
    for edition in ("playbook", "course"):
        page = visits[f"{edition}/{WIDGETS}.html"].page
        note = page.locator(".crmkit-static-note")
        assert note.count() == 1
        assert "responds to its controls when the notebook runs" in note.inner_text()
        images = page.locator("main img")
        assert images.count() == 1  # the twin, not the widget's frozen copy beside it
        assert images.get_attribute("alt") == "Figure: Sign-ups per month (static twin)"


def test_no_static_page_offers_an_export_it_cannot_honour(visits):
    """The scorecard's stored export would hand in the example team's ratings."""
    for rel, v in visits.items():
        data_links = v.page.eval_on_selector_all(
            "a[href^='data:']", "els => els.map(a => a.textContent)"
        )
        assert data_links == [], f"{rel}: a static page offers {data_links}"
    for edition in ("playbook", "course"):
        page = visits[f"{edition}/{SCORECARD}.html"].page
        assert page.locator(".crmkit-static-note").count() == 1  # the widget: a sentence


def test_playbook_hides_the_code_and_course_shows_it(visits):
    for rel, v in visits.items():
        if rel.startswith("playbook/"):
            assert v.page.locator(".jp-InputArea-editor").count() == 0, rel
            assert v.page.locator(".jp-RenderedMarkdown").count() >= 1, rel
        if rel.startswith("course/"):
            assert v.page.locator(".jp-InputArea-editor").first.is_visible(), rel


def test_persian_glossary_column_reads_right_to_left(visits):
    page = visits["glossary.html"].page
    cells = page.locator("td[lang=fa]")
    assert cells.count() > 10
    assert page.eval_on_selector_all(
        "td[lang=fa]", "els => els.every(e => e.dir === 'rtl' && getComputedStyle(e).direction "
        "=== 'rtl')"
    )
    assert page.eval_on_selector_all(
        "td[lang=pl]", "els => els.every(e => getComputedStyle(e).direction === 'ltr')"
    )
    box = page.locator("#glossary-filter")
    box.fill("retention")
    shown = page.eval_on_selector_all("#glossary tbody", "els => els.filter(e => !e.hidden).length")
    assert 0 < shown < cells.count()


def test_names_from_data_show_as_text_and_no_script_from_data_runs(visits):
    for edition in ("playbook", "course"):
        v = visits[f"{edition}/{ESCAPING}.html"]
        assert v.dialogs == []
        text = v.page.inner_text("main")
        for name in XSS:
            assert name in text, f"{edition}: {name!r} is not shown as text"
        assert v.page.locator("img[src=x]").count() == 0
        assert v.page.locator("main script:not([type^='application/'])").count() == 0


def test_screenshots_of_the_main_pages(browser, site):
    pages = {
        "index": "index.html",
        "playbook": "playbook/00-start-here.html",
        "course": "course/00-start-here.html",
        "widgets": f"playbook/{WIDGETS}.html",
        "glossary": "glossary.html",
        "data-dictionary": "data-dictionary.html",
    }
    for name, rel in pages.items():
        v = _Visit(browser, site, rel)
        path = site["shots"] / f"{name}.png"
        v.page.screenshot(path=str(path), full_page=True)
        v.close()
        assert path.stat().st_size > 10_000, name
    narrow = _Visit(browser, site, "playbook/00-start-here.html", width=420)
    narrow.page.screenshot(path=str(site["shots"] / "playbook-phone.png"))
    assert narrow.page.evaluate("document.documentElement.scrollWidth") <= 440
    narrow.close()


MENU_PAGES = ["index.html", "playbook/00-start-here.html", "glossary.html"]
MENU_LINKS = "nav[aria-label=Contents] .crmkit-toc a"
MENU_BUTTON = "nav[aria-label=Contents] summary"


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )


def _all_visible(page, selector) -> bool:
    links = page.locator(selector)
    return links.count() > 0 and all(links.nth(i).is_visible() for i in range(links.count()))


def _none_visible(page, selector) -> bool:
    links = page.locator(selector)
    return links.count() > 0 and not any(links.nth(i).is_visible() for i in range(links.count()))


@pytest.mark.parametrize("rel", MENU_PAGES)
def test_on_a_phone_the_lesson_menu_folds_behind_a_contents_button(browser, site, rel):
    """Issue #14: at 390 px the page starts with its content, not 13 lessons of menu."""
    v = _Visit(browser, site, rel, width=390, height=844)
    page = v.page
    try:
        assert v.errors == [], v.errors
        button = page.locator(MENU_BUTTON)
        assert button.count() == 1 and button.is_visible(), rel
        assert button.inner_text().strip() == "Contents"
        assert _none_visible(page, MENU_LINKS), f"{rel}: the menu is open on a phone"
        top = page.evaluate("document.querySelector('main h1').getBoundingClientRect().top")
        assert 0 <= top < 844, f"{rel}: the page's heading starts at {top}px, below the screen"
        assert _no_horizontal_overflow(page), rel
        assert page.locator("a.crmkit-skip[href='#content']").count() == 1

        button.click()  # a tap opens the menu, and a second one folds it again
        assert _all_visible(page, MENU_LINKS), f"{rel}: a tap did not open the menu"
        assert page.locator("nav[aria-label=Contents] [aria-current=page]").count() == 1
        assert _no_horizontal_overflow(page), f"{rel}: the open menu runs off the screen"
        page.screenshot(path=str(site["shots"] / f"phone-menu-{rel.replace('/', '-')}.png"))
        button.click()
        assert _none_visible(page, MENU_LINKS), f"{rel}: a second tap did not fold the menu"

        # the keyboard: Tab reaches the button (skip link, site name, Contents), Enter opens it
        page.locator("a.crmkit-skip").focus()
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY", rel
        page.keyboard.press("Enter")
        assert _all_visible(page, MENU_LINKS), f"{rel}: Enter did not open the menu"
        assert v.errors == [], v.errors
    finally:
        v.close()


@pytest.mark.parametrize("rel", MENU_PAGES)
def test_on_a_wide_screen_the_lesson_menu_is_open_without_a_click(browser, site, rel):
    v = _Visit(browser, site, rel, width=1280, height=844)
    try:
        assert _all_visible(v.page, MENU_LINKS), rel
        assert not v.page.locator(MENU_BUTTON).is_visible(), f"{rel}: a useless Contents button"
        assert _no_horizontal_overflow(v.page), rel
    finally:
        v.close()


def test_without_script_a_phone_still_gets_the_menu_and_its_button(browser, site):
    """The fold is a <details>: with script off it stays open, and the button folds it."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto((site["out"] / "playbook/00-start-here.html").as_uri())
        assert _all_visible(page, MENU_LINKS)
        page.locator(MENU_BUTTON).click()
        assert _none_visible(page, MENU_LINKS)
        assert _no_horizontal_overflow(page)
    finally:
        context.close()


def test_a_script_that_slips_into_a_page_is_blocked_by_its_security_policy(browser, tmp_path):
    # A careless lesson could display HTML built from data without escaping it:
    # the page's Content-Security-Policy still keeps the script from running.
    from nbformat.v4 import new_output

    src, executed, data, out = (tmp_path / d for d in ("nb", "ex", "data", "site"))
    for folder in (src, executed, data):
        folder.mkdir()
    (data / "customers.csv").write_text("customer_id\n1\n")
    unsafe = '<img src=x onerror="alert(3)"><script>alert(4)</script><p id="after">after</p>'
    nb = new_notebook(
        cells=[
            new_markdown_cell("# 92 · Unsafe output"),
            new_code_cell(
                "HTML(unsafe)",
                outputs=[
                    new_output("display_data", data={"text/html": unsafe, "text/plain": "x"}),
                    new_output("display_data", data={"application/javascript": "alert(5)"}),
                ],
            ),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    for folder in (src, executed):
        nbformat.write(nb, folder / "92-unsafe-output.ipynb")
    render_site(executed, out, notebooks=src, dataset=data, progress=False)
    for edition in ("playbook", "course"):
        v = _Visit(browser, {"out": out}, f"{edition}/92-unsafe-output.html")
        v.page.wait_for_timeout(200)
        assert v.dialogs == [], edition
        assert any("Content Security Policy" in e for e in v.errors), v.errors
        assert v.page.locator("#after").is_visible()
        assert v.page.get_by_text("A JavaScript output is not shown").is_visible()
        v.close()


# --------------------------------------------------------------------------- search
def _search(v, site, query):
    """Open search.html?q=QUERY in the visit's page; return the result titles."""
    uri = (site["out"] / "search.html").as_uri()
    v.page.goto(f"{uri}?q={query}")
    v.page.wait_for_selector("#crmkit-search-results li", timeout=10_000)
    return v.page.locator(".crmkit-result-title").all_inner_texts()


def test_search_finds_a_glossary_term_by_its_synonym_from_file(browser, site):
    """Issue #14: "termination" finds "ending a customer relationship", from file://."""
    v = _Visit(browser, site, "search.html")
    titles = _search(v, site, "termination")
    assert any("ending a customer relationship" in t for t in titles), titles
    status = v.page.inner_text("#crmkit-search-status")
    assert "ending a customer relationship" in status  # says what else it searched
    # the same term in Polish finds the English entry and the lesson text
    titles = _search(v, site, "zakończenie relacji z klientem")
    assert any("ending a customer relationship" in t for t in titles), titles
    assert v.errors == [] and v.external == [] and v.failed == []
    v.close()


def test_search_box_of_a_lesson_leads_to_results_whose_links_resolve(browser, site):
    v = _Visit(browser, site, "playbook/00-start-here.html")
    v.page.fill("#crmkit-search-q", "synthetic world")
    v.page.press("#crmkit-search-q", "Enter")
    v.page.wait_for_selector("#crmkit-search-results li", timeout=10_000)
    assert "search.html?q=synthetic" in v.page.url
    hrefs = v.page.eval_on_selector_all(
        ".crmkit-result-title a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert any(h.startswith("playbook/00-start-here.html#") for h in hrefs), hrefs
    out = site["out"].resolve()
    for href in hrefs:
        path, _, anchor = href.partition("#")
        page = out / unquote(path)
        assert page.is_file(), href
        if anchor:
            text = page.read_text(encoding="utf-8")
            assert f'id="{anchor}"' in text or f'id="{unquote(anchor)}"' in text, href
    assert v.errors == [] and v.external == []
    v.close()


def test_search_shows_text_from_data_as_text(browser, site):
    """Names from the data are in the index; a result shows them and runs nothing."""
    v = _Visit(browser, site, "search.html")
    _search(v, site, "alert")
    texts = " ".join(v.page.locator(".crmkit-result-text").all_inner_texts())
    assert "<script>alert(1)</script>" in texts
    assert v.page.locator("#crmkit-search-results script, #crmkit-search-results img").count() == 0
    assert v.dialogs == []
    v.close()


def test_search_on_a_phone_fits_the_screen(browser, site):
    v = _Visit(browser, site, "search.html", width=390, height=844)
    _search(v, site, "retention")
    assert _no_horizontal_overflow(v.page)
    v.page.screenshot(path=str(site["shots"] / "search-phone.png"))
    v.close()


# --------------------------------------------------------------------------- accessibility
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def _axe_serious(browser, site, rel, *, width=1280) -> list[str]:
    """axe-core's serious and critical violations on a page, as 'rule: element' lines.

    axe is injected into a context that bypasses the page's security policy (the
    policy forbids inline scripts, which is how a test tool gets in), after the
    widgets have rendered.
    """
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    path = site["out"] / rel
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    if "application/vnd.jupyter.widget-view+json" in path.read_text(encoding="utf-8"):
        page.wait_for_function(_ALL_WIDGETS_RENDERED, timeout=30_000)
    page.wait_for_timeout(300)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ')));
        }"""
    )
    context.close()
    return found


def test_axe_finds_no_serious_or_critical_violation_on_any_page(browser, site):
    """Issue #14: every page of both editions (and the site's own pages), axe-core 4."""
    pages = _pages(site)
    assert any(p.startswith("course/") for p in pages) and any(
        p.startswith("playbook/") for p in pages
    )
    problems = {rel: found for rel in pages if (found := _axe_serious(browser, site, rel))}
    assert problems == {}


def test_a_table_wider_than_a_phone_says_it_scrolls_sideways(browser, site):
    """Issue #14: wide tables scroll inside their box with a visible cue; nothing runs off."""
    phone = _Visit(browser, site, "data-dictionary.html", width=390, height=844)
    assert phone.page.locator(".crmkit-scroll-hint").count() >= 1
    assert _no_horizontal_overflow(phone.page)
    # a box that scrolls is reachable by keyboard, and named (axe: scrollable-region-focusable)
    boxes = phone.page.locator("[data-crmkit-scrolls]")
    assert boxes.count() == phone.page.locator(".crmkit-scroll-hint").count()
    assert boxes.first.get_attribute("tabindex") == "0"
    assert "scrolls sideways" in boxes.first.get_attribute("aria-label")
    phone.close()
    pages = _pages(site)
    on_a_phone = {rel: found for rel in pages
                  if (found := _axe_serious(browser, site, rel, width=390))}  # fmt: skip
    assert on_a_phone == {}
    wide = _Visit(browser, site, "data-dictionary.html", width=1280, height=900)
    assert wide.page.locator(".crmkit-scroll-hint").count() == 0  # the tables fit
    wide.close()
