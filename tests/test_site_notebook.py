"""crmkit.site.notebook: a lesson page from an executed notebook (editions, alt texts,
escaping), figure titles, the notebook scan and the security policy.

The site is rendered from hand-made "executed" lessons (tests/hand_made_site.py), so
no kernel runs here.
"""

from __future__ import annotations

from hand_made_site import pages, parse, site_fixture  # noqa: F401
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from crmkit.site.notebook import content_security_policy, figure_titles, scan_notebook


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
    for page in pages(out):
        for tag, attrs in parse(page).tags:
            if tag == "img":
                assert attrs.get("alt", "").strip(), f"{page.name}: image without alt"
                assert "No description" not in attrs["alt"]
    alts = [a["alt"] for t, a in parse(out / "playbook/00-start-here.html").tags if t == "img"]
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


def test_names_from_data_render_as_text_not_markup(site):
    for edition in ("playbook", "course"):
        page = site["out"] / f"{edition}/01-what-is-a-customer-relationship.html"
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text
        assert "<img src=x" not in text and "<img src=\"x\"" not in text
        assert "onerror=alert(2)>" not in text.replace("&lt;img src=x onerror=alert(2)&gt;", "")
        assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 2  # pandas and show_table
        parsed = parse(page)
        assert not [a for t, a in parsed.tags if t == "img" and a.get("src") == "x"]
        assert not [a for t, a in parsed.tags if any(k.startswith("on") for k in a)]


def test_scan_notebook_warns_about_what_the_site_cannot_show():
    nb = new_notebook(cells=[
        new_markdown_cell("The value is $x^2$ and costs $5 and $10."),
        new_code_cell("js", outputs=[new_output("display_data",
                                                data={"application/javascript": "alert(1)"})]),
    ])
    problems = scan_notebook(nb)
    assert len(problems) == 2 and "math" in problems[0] and "JavaScript" in problems[1]
    assert scan_notebook(new_notebook(cells=[new_markdown_cell("costs $5 and $10")])) == []


def test_content_security_policy_allows_no_inline_script_and_no_eval():
    policy = content_security_policy()
    scripts = policy.split("script-src")[1].split(";")[0]
    assert scripts.split() == ["'self'", "file:"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert "connect-src 'self' file:" in policy and "object-src 'none'" in policy


def test_checklist_items_name_their_checkboxes():
    from crmkit.site.notebook import label_task_checkboxes

    box = '<input class="task-list-item-checkbox" disabled="" type="checkbox"/>'
    plain = f'<ul><li class="task-list-item">{box}<strong>Call</strong> them &amp; listen</li></ul>'
    assert label_task_checkboxes(plain) == (
        f'<ul><li class="task-list-item"><label>{box}<strong>Call</strong> them &amp; listen'
        "</label></li></ul>"
    )
    blocks = f'<li class="task-list-item">{box}<p>Plan "A" &lt;now&gt;</p></li>'
    named = label_task_checkboxes(blocks)
    assert 'aria-label="Plan &quot;A&quot; &lt;now&gt;"' in named and "<label>" not in named
    other = '<li class="item"><input type="checkbox"/>x</li>'
    assert label_task_checkboxes(other) == other  # only the Markdown checklists


def test_a_widget_becomes_a_sentence_and_its_state_is_dropped():
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from crmkit.site.notebook import STATIC_WIDGET_NOTE, StaticWidgetPreprocessor

    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2},
            "text/plain": "VBox(...)"}  # fmt: skip
    png = {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
    figure = new_output("display_data", data=png)
    nb = new_notebook(
        cells=[new_code_cell("w", outputs=[new_output("display_data", data=view), figure])],
        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}},
    )
    nb, _ = StaticWidgetPreprocessor().preprocess(nbformat.from_dict(nb), {})
    first, second = nb.cells[0].outputs
    assert first["data"]["text/plain"] == STATIC_WIDGET_NOTE
    assert 'class="crmkit-static-note"' in first["data"]["text/html"]
    assert second == figure  # the twin's figure is kept as it was
    assert "widgets" not in nb.metadata  # no state on the page, no widget manager loaded


def test_the_playbook_shows_a_world_without_code_names_and_the_course_with_them():
    import crmkit
    from crmkit.site.notebook import EditionPreprocessor

    world = crmkit.make_world(60, random_state=2)
    html = world._repr_html_()
    assert "<code>world.customers</code>" in html and "world.truth" in html

    def shown(edition):
        from nbformat.v4 import new_code_cell, new_output

        cell = new_code_cell("world", outputs=[new_output(
            "execute_result", data={"text/html": html, "text/plain": "World"}, execution_count=1
        )])  # fmt: skip
        cell, _ = EditionPreprocessor().preprocess_cell(cell, {"crmkit": {"edition": edition}}, 0)
        return cell.outputs[0]["data"]["text/html"]

    playbook, course = shown("playbook"), shown("course")
    assert "world." not in playbook and "<td>customers</td>" in playbook
    assert course == html


def test_the_playbook_shows_dataframes_as_tables_for_people_and_the_course_as_pandas_does():
    import pandas as pd

    from crmkit.site.notebook import EditionPreprocessor
    from crmkit.tables import MIMETYPE, people_table_html

    df = pd.DataFrame({"share_who_left": [0.27, None]})
    pandas_html = df.to_html()

    def shown(edition):
        cell = new_code_cell("df", outputs=[new_output("execute_result", data={
            "text/html": pandas_html, "text/plain": df.to_string(), MIMETYPE: people_table_html(df)
        }, execution_count=1)])  # fmt: skip
        cell, _ = EditionPreprocessor().preprocess_cell(cell, {"crmkit": {"edition": edition}}, 0)
        return cell.outputs[0]["data"]

    playbook, course = shown("playbook"), shown("course")
    assert playbook["text/html"] == people_table_html(df)
    assert "share who left (%)" in playbook["text/html"] and "27.0%" in playbook["text/html"]
    assert "text/plain" not in playbook and MIMETYPE not in playbook
    assert course["text/html"] == pandas_html and MIMETYPE not in course


def test_links_between_lessons_point_at_their_pages():
    from crmkit.site.notebook import LessonLinkPreprocessor

    cell = new_markdown_cell(
        "see [lesson 11](11-loyalty-kpis-and-culture.ipynb) and [its KPIs](11-loyalty-kpis-and"
        "-culture.ipynb#kpis), not [a download](downloads/data.csv) or [x](notes.ipynb)"
    )
    cell, _ = LessonLinkPreprocessor().preprocess_cell(cell, {}, 0)
    assert cell.source == (
        "see [lesson 11](11-loyalty-kpis-and-culture.html) and [its KPIs](11-loyalty-kpis-and"
        "-culture.html#kpis), not [a download](downloads/data.csv) or [x](notes.ipynb)"
    )


def test_the_playbook_leaves_out_course_only_parts_of_markdown_outputs():
    from crmkit.site.notebook import EditionPreprocessor

    text = '- [ ] **Listen.** Ask often. <span class="crmkit-course-only">*Data: staff.x.*</span>'

    def shown(edition):
        cell = new_code_cell("display(Markdown(text))", outputs=[new_output(
            "display_data", data={"text/markdown": text, "text/plain": "<Markdown>"})])
        cell, _ = EditionPreprocessor().preprocess_cell(cell, {"crmkit": {"edition": edition}}, 0)
        return cell.outputs[0]["data"]["text/markdown"]

    assert shown("playbook") == "- [ ] **Listen.** Ask often. "
    assert shown("course") == text
