"""The four simulators that respond on a static page (issue #14, section 2), in Chromium.

A small site holds the four widgets as the lessons display them (see
``live_site.py``). For each simulator the test moves its controls over a grid of
settings, and compares the text the page shows with what the widget's own Python
code writes at the same settings (the expected values are never copied from a
page). It also checks the self-assessment's CSV against ``scorecard_to_csv`` and
that the workshop's room merge reads it, that nothing is requested from outside
the site and nothing is logged as an error, that nothing runs off a 390 px
screen, axe-core's serious and critical rules, and the page without script and
in print (one figure: the static twin).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from live_site import LESSONS, build

import crmkit
from crmkit.metrics.care import scorecard_to_csv, strategy_scorecard
from crmkit.metrics.lifecycle import (
    KNOBS,
    base_matrix,
    scenario_matrix,
    scenario_start,
    simulate_lifecycle,
)
from crmkit.metrics.termination import termination_what_if
from crmkit.metrics.value import economics_curve

pytestmark = pytest.mark.browser

LOCAL = ("file:", "data:", "blob:", "about:")
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGE = {name: stem for stem, (name, _) in LESSONS.items()}


@pytest.fixture(scope="module")
def browser(chromium_browser):
    return chromium_browser


@pytest.fixture(scope="module")
def world():
    return crmkit.make_world(400, random_state=1)


@pytest.fixture(scope="module")
def live(tmp_path_factory, world):
    return build(tmp_path_factory.mktemp("live_site"), world)


class _Open:
    """A simulator page opened in Chromium, with what the browser logged and requested."""

    def __init__(self, browser, live, name, *, edition="playbook", width=1280, **context):
        self.errors, self.external = [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **context)
        self.page = page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("request", lambda r: not r.url.startswith(LOCAL) and self.external.append(r.url))
        page.goto((live["out"] / edition / f"{PAGE[name]}.html").as_uri())
        page.wait_for_load_state("load")
        if context.get("java_script_enabled", True):
            page.wait_for_selector(".crmkit-live-ready")

    def set(self, values: dict) -> None:
        """Set controls by label text ({label: value}), as a reader would, in one go."""
        self.page.evaluate(
            """values => {
              for (const [label, value] of Object.entries(values)) {
                const lab = [...document.querySelectorAll('.crmkit-live label')]
                  .find(l => l.textContent === label);
                if (!lab) throw new Error('no control labelled ' + label);
                const input = document.getElementById(lab.htmlFor);
                input.value = String(value);
                if (String(input.value) !== String(value) && input.type === 'range')
                  throw new Error(label + ': the slider refused ' + value);
                input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input'));
              }
            }""",
            values,
        )

    def summary(self) -> list[list[str]]:
        """The simulator's summary as blocks of text: paragraphs and table rows."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll(
                 '.crmkit-live-summary > p:not(.crmkit-scroll-hint), .crmkit-live-summary tr')]
               .map(n => n.tagName === 'TR'
                 ? [...n.children].map(c => c.textContent.trim())
                 : [n.textContent.replace(/\\s+/g, ' ').trim()])
               .filter(b => b.join('') !== '')"""
        )

    def close(self):
        self.context.close()


class _Blocks(HTMLParser):
    """The same blocks from the widget's HTML: paragraphs and table rows, as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._text, self._row, self._cell = [], None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._text = []
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "p" and self._text is not None:
            text = " ".join("".join(self._text).split())
            if text:
                self.blocks.append([text])
            self._text = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.blocks.append(self._row)
            self._row = None


def blocks(widget_html: str) -> list[list[str]]:
    parser = _Blocks()
    parser.feed(widget_html)
    return parser.blocks


def _pick(values, n, seed):
    """``n`` settings from the product of ``values`` (every value used), reproducibly."""
    rng = np.random.default_rng(seed)
    grid = list(itertools.product(*values))
    idx = rng.choice(len(grid), size=min(n, len(grid)), replace=False)
    return [grid[i] for i in sorted(idx)]


# --------------------------------------------------------------------------- the page as a whole
@pytest.mark.parametrize("name", list(PAGE))
@pytest.mark.parametrize("edition", ["playbook", "course"])
def test_a_simulator_replaces_its_twin_offline_and_without_errors(browser, live, name, edition):
    v = _Open(browser, live, name, edition=edition)
    page = v.page
    assert page.locator(".crmkit-live-ready").count() == 1
    assert not page.locator(".crmkit-live-fallback").is_visible()
    # the static twin and its "The figure below shows" sentence are hidden on screen
    assert page.locator("main img").count() == 1
    assert not page.locator("main img").is_visible()
    assert not page.get_by_text("The figure below shows").is_visible()
    # every control has a visible label that names it
    controls = page.locator(".crmkit-live input, .crmkit-live select")
    assert controls.count() >= 4
    for i in range(controls.count()):
        c = controls.nth(i)
        cid = c.get_attribute("id")
        assert page.locator(f'label[for="{cid}"]').is_visible(), cid
    assert page.locator(".crmkit-live svg[role=img][aria-label]").count() >= 1
    assert v.errors == [] and v.external == []
    v.close()


def test_without_script_the_sentence_and_the_static_twin_show(browser, live):
    for name in PAGE:
        v = _Open(browser, live, name, java_script_enabled=False)
        assert v.page.locator(".crmkit-live-fallback").is_visible()
        assert v.page.locator("main img").is_visible()
        assert v.page.locator(".crmkit-live input").count() == 0
        v.close()


def test_print_shows_the_twin_and_no_controls(browser, live):
    for name in PAGE:
        v = _Open(browser, live, name)
        v.page.emulate_media(media="print")
        assert v.page.locator("main img").is_visible()
        assert not v.page.locator(".crmkit-live").is_visible()
        v.close()


@pytest.mark.parametrize("name", list(PAGE))
def test_on_a_phone_nothing_runs_off_the_right_edge(browser, live, name):
    v = _Open(browser, live, name, width=390)
    page = v.page
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
    )
    # the simulator's parts stay inside the screen (a wide table scrolls inside its box)
    right = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
             '.crmkit-live-inner, .crmkit-live-controls > *, .crmkit-live-control > *, '
             + '.crmkit-live-chart, .crmkit-live-scroll, .crmkit-live-button')]
           .map(n => n.getBoundingClientRect().right))"""
    )
    assert right <= 390
    # a table wider than the screen scrolls in its box, with a line above that says so
    page.wait_for_timeout(100)
    unmarked = page.evaluate(
        """() => [...document.querySelectorAll('.crmkit-live-scroll')]
             .filter(b => b.scrollWidth > b.clientWidth + 1)
             .filter(b => !(b.previousElementSibling
                            && b.previousElementSibling.classList.contains('crmkit-scroll-hint')))
             .length"""
    )
    assert unmarked == 0
    assert v.errors == []
    v.close()


def test_axe_finds_no_serious_or_critical_violation(browser, live):
    problems = {}
    for name in PAGE:
        for width in (1280, 390):
            v = _Open(browser, live, name, width=width, bypass_csp=True)
            v.page.add_script_tag(path=str(AXE))
            found = v.page.evaluate(
                """async () => {
                    const r = await axe.run(document, {resultTypes: ['violations']});
                    return r.violations
                      .filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ')));
                }"""
            )
            if found:
                problems[(name, width)] = found
            v.close()
    assert problems == {}


# --------------------------------------------------------------------------- numbers = Python
def test_retention_economics_equals_python_over_a_grid(browser, live):
    from crmkit.widgets.economics import _summary_html

    v = _Open(browser, live, "retention")
    settings = _pick(
        [(0.5, 0.63, 0.8, 0.87, 0.94), (50, 400, 975, 1500), (0, 900, 3000), (0.0, 0.1, 0.25)],
        30,
        seed=6,
    )
    for curve in ("cost", "profit"):
        v.set({"Curve": curve})
        for r, m, a, d in settings[:15] if curve == "cost" else settings[15:]:
            v.set({"Retention per year": r, "Margin per customer-year": m,
                   "Acquisition cost per customer": a, "Discount rate per year": d})  # fmt: skip
            row = economics_curve(r, margin=m, acquisition_cost=a, discount_rate=d)
            row = row.loc[np.isclose(row["retention"], r)].iloc[0]
            assert v.summary() == blocks(_summary_html(row)), (r, m, a, d)
    assert v.errors == []
    v.close()


def test_lifecycle_simulator_equals_python_over_a_grid(browser, live, world):
    from crmkit.widgets.lifecycle import _summary

    v = _Open(browser, live, "lifecycle")
    base = base_matrix(world)
    rng = np.random.default_rng(3)
    labels = {k: label for k, (_, _, label, _, _) in KNOBS.items()}
    for i in range(16):
        moves = {}
        for key, (_, _, _, hi, step) in KNOBS.items():
            n = int(round(hi / step))
            moves[key] = round(int(rng.integers(0, n + 1)) * step, 3)  # a slider's value
        if i == 0:  # the extremes: nobody moves, then everybody does
            moves = {k: 0.0 for k in KNOBS}
        if i == 1:
            moves = {k: KNOBS[k][3] for k in KNOBS}
        months = [6, 24, 60, 36][i % 4]
        start = ["cohort", "base"][i % 2]
        v.set({labels[k]: val for k, val in moves.items()}
              | {"Months simulated": months, "Start from": start})  # fmt: skip
        x0, new = scenario_start(world, start)
        P = scenario_matrix(base, **moves)
        mix = simulate_lifecycle(P, months=months, start=x0, new_per_month=new)
        ref = simulate_lifecycle(base, months=months, start=x0, new_per_month=new)
        assert v.summary() == blocks(_summary(mix, ref, P)), (moves, months, start)
    assert v.errors == []
    v.close()


def test_lifecycle_simulator_opens_on_the_estimated_rates(browser, live, world):
    """Before a slider moves, the scenario is the estimated matrix (not rounded to a step)."""
    from crmkit.widgets.lifecycle import _summary

    v = _Open(browser, live, "lifecycle")
    base = base_matrix(world)
    estimates = {k: float(np.clip(base.loc[a, b], 0, hi)) for k, (a, b, _, hi, _) in KNOBS.items()}
    P = scenario_matrix(base, **estimates)
    x0, new = scenario_start(world, "cohort")
    mix = simulate_lifecycle(P, months=24, start=x0, new_per_month=new)
    ref = simulate_lifecycle(base, months=24, start=x0, new_per_month=new)
    assert v.summary() == blocks(_summary(mix, ref, P))
    v.close()


def test_termination_what_if_equals_python_over_a_grid(browser, live, world):
    from crmkit.metrics.termination import prepare_candidates
    from crmkit.widgets.termination import SEGMENT_LABELS, _summary_html

    cand = prepare_candidates(world)
    v = _Open(browser, live, "termination")
    settings = _pick(
        [list(SEGMENT_LABELS), ["raise_price", "redesign_product", "unbundle_offer"],
         (0.0, 0.05, 0.1, 0.25, 0.5), (0.0, 0.5, 2.0, 3.5, 5.0)],  # fmt: skip
        30,
        seed=9,
    )
    settings.append(("late_payer", "raise_price", 0.3, 4.0))  # drives the segment away
    for segment, method, p, e in settings:
        v.set({"Customers to let go": segment, "Method": method, "Price rise": p,
               "Price elasticity": e})  # fmt: skip
        table = termination_what_if(
            cand, world.transactions, segment=segment, method=method, price_rise=p, elasticity=e
        )
        if table.loc[0, "before"] == 0:
            who = html.escape(SEGMENT_LABELS[segment])
            expected = f"<p>No customer is flagged <b>{who}</b> here: choose another segment.</p>"
        else:
            expected = _summary_html(table, cand, segment, method, p, e)
        assert v.summary() == blocks(expected), (segment, method, p, e)
    assert v.errors == []
    v.close()


def _ratings_grid():
    from crmkit import concepts

    keys = concepts.keys(concepts.STRATEGIES)
    rng = np.random.default_rng(5)
    grid = [dict.fromkeys(keys, 1), dict.fromkeys(keys, 5), dict.fromkeys(keys, 3)]
    grid += [dict(zip(keys, rng.integers(1, 6, len(keys)).tolist(), strict=True))
             for _ in range(12)]  # fmt: skip
    return grid


def test_self_assessment_equals_python_over_a_grid(browser, live):
    from crmkit import concepts
    from crmkit.widgets.strategy import priorities_html

    names = concepts.labels(concepts.STRATEGIES)
    label = {k: f"{j}. {names[k]}" for j, k in enumerate(names, start=1)}
    v = _Open(browser, live, "strategy")
    teams = ["Sales north", "", "Zoë & <Co>"]
    for i, ratings in enumerate(_ratings_grid()):
        team = teams[i % len(teams)]
        v.set({label[k]: r for k, r in ratings.items()} | {"Team or participant": team})
        card = strategy_scorecard(ratings, participant=team)
        expected = blocks(priorities_html(card))
        assert v.summary()[: len(expected)] == expected, ratings
    assert v.errors == []
    v.close()


def test_self_assessment_exports_the_readers_ratings_for_the_room(browser, live, tmp_path):
    """The CSV is the reader's, byte for byte scorecard_to_csv's, and the room merge reads it."""
    from crmkit import concepts
    from crmkit.workshop.room import read_room_scorecards

    names = concepts.labels(concepts.STRATEGIES)
    label = {k: f"{j}. {names[k]}" for j, k in enumerate(names, start=1)}
    v = _Open(browser, live, "strategy", accept_downloads=True)
    files = []
    for ratings, team in zip(_ratings_grid()[2:5], ["=Sales, north", "Billing \"B\"", "Care"],
                             strict=True):  # fmt: skip
        v.set({label[k]: r for k, r in ratings.items()} | {"Team or participant": team})
        with v.page.expect_download() as info:
            v.page.get_by_role("button", name="Download my ratings (CSV)").click()
        path = tmp_path / f"{len(files)}-{info.value.suggested_filename}"
        info.value.save_as(path)
        text = path.read_text(encoding="utf-8")
        assert text == scorecard_to_csv(strategy_scorecard(ratings, participant=team))
        files.append((path, ratings, team))
    cards, skipped = read_room_scorecards([p for p, _, _ in files])
    assert skipped == []
    assert list(cards) == [team for _, _, team in files]
    for _, ratings, team in files:
        got = dict(zip(cards[team]["strategy"], cards[team]["rating"], strict=True))
        assert got == {k: float(r) for k, r in ratings.items()}
    assert v.errors == [] and v.external == []
    v.close()


def test_page_data_sits_in_a_json_script_that_cannot_end_early(live):
    """The data is a <script type="application/json">; a '</script>' in it is escaped."""
    for name, stem in PAGE.items():
        text = (live["out"] / "playbook" / f"{stem}.html").read_text(encoding="utf-8")
        scripts = re.findall(
            r'<script[^>]*\bclass="crmkit-live-data"[^>]*>(.*?)</script>', text, re.S
        )
        assert len(scripts) == 1, name
        assert 'type="application/json"' in text
        assert json.loads(scripts[0])["simulator"] == name
        assert f'src="../static/live/{name}.js"' in text
        assert 'src="../static/crmkit-live.js"' in text
