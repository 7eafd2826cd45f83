"""crmkit.site.search: the documents and synonyms of the site's search index."""

import json

import pandas as pd

from crmkit.concepts import glossary_frame
from crmkit.schema import SCHEMA
from crmkit.site.search import (
    data_dictionary_documents,
    glossary_documents,
    lesson_documents,
    search_index_script,
    synonym_groups,
)

PAGE = """<html><body>
<nav class="crmkit-sidebar"><h2>Lessons</h2><p>menu text</p></nav>
<main id="content">
<header class="crmkit-header"><p>About 30 minutes</p></header>
<h1 id="top">03 · Stages<a class="anchor-link" href="#top">¶</a></h1>
<p>Who it is for: teams.</p>
<div class="jp-CodeCell"><div class="jp-InputArea"><pre>world = lesson_world()</pre></div></div>
<h2 id="Flow">The flow<a class="anchor-link" href="#Flow">¶</a></h2>
<ul><li><p>nested once</p></li></ul>
<table><tr><th>stage</th><td>commitment</td></tr></table>
<script>var x = "not text";</script>
<nav class="crmkit-prevnext"><a>Next</a></nav>
<footer><p>footer text</p></footer>
</main></body></html>"""


def test_lesson_sections_hold_their_text_and_nothing_of_the_chrome():
    docs = lesson_documents(PAGE, stem="03-stages", label="03", title="Stages")
    assert [d["section"] for d in docs] == ["Introduction", "The flow"]
    intro, flow = docs
    assert intro["text"] == "Who it is for: teams."  # no code, no header, no menu
    assert flow["text"] == "nested once stage commitment"  # the nested paragraph once
    assert flow["url"] == "playbook/03-stages.html#Flow"
    assert flow["course"] == "course/03-stages.html#Flow"
    assert intro["title"] == "Lesson 03 · Stages"
    assert len({d["id"] for d in docs}) == 2


def test_every_glossary_term_is_a_document_in_all_its_languages():
    frame = glossary_frame()
    docs = glossary_documents(frame)
    assert len(docs) == len(frame)
    by_key = {d["id"].split("#")[1]: d for d in docs}
    term = by_key["termination"]
    assert term["section"] == "ending a customer relationship"
    assert term["url"] == "glossary.html#term-termination"
    row = frame.set_index("key").loc["termination"]
    for lang in ("pl", "fa", "ru", "fi"):
        assert row[lang] in term["text"]


def test_termination_and_its_names_are_one_synonym_group():
    groups = synonym_groups()
    group = next(g for g in groups if "termination" in g)
    row = glossary_frame().set_index("key").loc["termination"]
    assert "ending a customer relationship" in group
    for lang in ("pl", "fa", "ru", "fi"):
        assert row[lang].lower() in group
    assert all(p == p.lower() for g in groups for p in g)


def test_a_source_word_joins_its_terms_group():
    frame = pd.DataFrame([{
        "key": "lead_management", "en": "lead management", "pl": "", "fa": "", "ru": "",
        "fi": "", "definition": "d", "source": "002 (fa)",
        "source_terms": "002 (fa): «مدیریت رهبری» (literally leadership management)",
    }])  # fmt: skip
    assert synonym_groups(frame) == [["lead management", "مدیریت رهبری"]]  # longest first


def test_every_column_of_the_dictionary_is_a_document():
    docs = data_dictionary_documents()
    assert len(docs) == sum(len(cols) for cols in SCHEMA.values())
    churn = next(d for d in docs if d["id"] == "data#customers.churn_date")
    assert churn["url"] == "data-dictionary.html#table-customers"
    assert churn["text"].startswith("churn date: ")


def test_the_index_script_cannot_close_its_tag_and_is_reproducible():
    docs = [{"id": "x", "text": "</script><script>alert(1)</script>"}]
    script = search_index_script(docs, [["a", "b"]])
    assert "</script" not in script
    assert script == search_index_script(docs, [["a", "b"]])
    data = json.loads(script.removeprefix("window.CRMKIT_SEARCH = ").rstrip().rstrip(";"))
    assert data["documents"] == docs and data["synonyms"] == [["a", "b"]]
