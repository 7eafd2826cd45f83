"""Full-text search of the site that works from ``file://``.

A file share gives no web server, so a search engine that fetches its index
(Pagefind, or ``fetch()`` of a JSON file) cannot run there. The build instead
writes the index as a script, ``search-index.js`` (``window.CRMKIT_SEARCH =
{...}``), that ``search.html`` loads beside the vendored MiniSearch library
(``static/vendor/minisearch``, MIT); ``static/crmkit-search.js`` builds the
MiniSearch index in the page and shows the results.

The documents are:

- each section of each lesson (the text under one ``h1``/``h2`` heading of its
  playbook page), linked to that heading in the playbook and the course edition;
- each glossary term, in its five languages with its definition and the
  source's own word;
- each column of the data dictionary.

Synonyms come from the glossary: a term's key, its five names and the source's
own words form a group, so "termination" also finds "ending a customer
relationship", and a Polish reader's «zakończenie relacji» finds the English text.

Examples
--------
>>> docs = lesson_documents(
...     '<main><h1 id="t">Title</h1><p>Intro.</p><h2 id="a">Part A</h2><p>Text A.</p>'
...     '<ul><li>one</li><li>two</li></ul></main>', stem="01-x", label="01", title="X")
>>> [(d["section"], d["url"]) for d in docs]
[('Introduction', 'playbook/01-x.html#t'), ('Part A', 'playbook/01-x.html#a')]
>>> docs[1]["text"]
'Text A. one two'
"""

from __future__ import annotations

import json
import re

__all__ = [
    "INDEX_FILE",
    "SEARCH_PAGE",
    "data_dictionary_documents",
    "glossary_documents",
    "lesson_documents",
    "search_index_script",
    "synonym_groups",
]

SEARCH_PAGE = "search.html"
INDEX_FILE = "search-index.js"

#: Longest text kept per document (characters): enough to find a section by its words.
MAX_TEXT = 6000

_BLOCKS = ("p", "li", "td", "th", "figcaption", "dt", "dd", "blockquote", "caption")
_SKIP = ("nav", "footer", "script", "style", "template", "form", "button")
_SPACE = re.compile(r"\s+")


def _text(node) -> str:
    return _SPACE.sub(" ", node.get_text(" ")).strip()


def lesson_documents(html: str, *, stem: str, label: str, title: str) -> list[dict]:
    """One document per ``h1``/``h2`` section of a lesson's playbook page.

    The page's chrome (navigation, header, footer, forms) and scripts are left
    out; a block nested in another block (a paragraph in a list item) counts once.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = soup.find("main") or soup.body or soup
    for tag in root.find_all(_SKIP):
        tag.decompose()
    for tag in root.select(
        "header.crmkit-header, .crmkit-prevnext, .jp-CodeCell .jp-InputArea, a.anchor-link"
    ):
        tag.decompose()
    docs: list[dict] = []
    current = None
    for node in root.find_all(("h1", "h2", *_BLOCKS)):
        if node.name in ("h1", "h2"):
            anchor = node.get("id") or ""
            heading = "Introduction" if node.name == "h1" else _text(node)
            current = {
                "id": f"{stem}#{anchor or len(docs)}",
                "kind": "lesson",
                "title": f"Lesson {label} · {title}",
                "section": heading,
                "url": f"playbook/{stem}.html" + (f"#{anchor}" if anchor else ""),
                "course": f"course/{stem}.html" + (f"#{anchor}" if anchor else ""),
                "parts": [],
            }
            docs.append(current)
            continue
        if current is None or node.find_parent(_BLOCKS) is not None:
            continue
        text = _text(node)
        if text:
            current["parts"].append(text)
    out = []
    for doc in docs:
        text = " ".join(doc.pop("parts"))[:MAX_TEXT]
        if text or doc["section"]:
            out.append({**doc, "text": text})
    return out


def glossary_documents(frame=None) -> list[dict]:
    """One document per glossary term (:func:`crmkit.concepts.glossary_frame`)."""
    from crmkit.concepts import glossary_frame

    frame = glossary_frame() if frame is None else frame
    docs = []
    for row in frame.fillna("").astype(str).to_dict("records"):
        names = " · ".join(row[c] for c in ("pl", "fa", "ru", "fi") if row[c])
        own = f" The source's own word: {row['source_terms']}." if row["source_terms"] else ""
        docs.append({
            "id": f"glossary#{row['key']}",
            "kind": "glossary",
            "title": "Glossary",
            "section": row["en"],
            "url": f"glossary.html#term-{row['key']}",
            "text": f"{row['definition']} In the sources' languages: {names}.{own} "
                    f"Sources: {row['source']}.",
        })  # fmt: skip
    return docs


def data_dictionary_documents(schema=None) -> list[dict]:
    """One document per column of the data dictionary (:data:`crmkit.schema.SCHEMA`)."""
    from crmkit.schema import SCHEMA

    schema = SCHEMA if schema is None else schema
    docs = []
    for table, columns in schema.items():
        for col in columns:
            concept = f" Concept: {col.concept.replace('_', ' ')}." if col.concept else ""
            words = col.name.replace("_", " ")
            docs.append({
                "id": f"data#{table}.{col.name}",
                "kind": "data",
                "title": f"Data dictionary · {table}.csv",
                "section": col.name,
                "url": f"data-dictionary.html#table-{table}",
                "text": f"{words}: {col.description}{concept}",
            })  # fmt: skip
    return docs


def synonym_groups(frame=None) -> list[list[str]]:
    """Groups of phrases that mean one glossary term, lower-case, longest first.

    A term's key (``termination`` -> "termination"), its name in each language
    without a bracketed abbreviation, the abbreviation itself, and each of the
    source's own words.
    """
    from crmkit.concepts import glossary_frame

    frame = glossary_frame() if frame is None else frame
    groups = []
    for row in frame.fillna("").astype(str).to_dict("records"):
        phrases = {row["key"].replace("_", " ")}
        for col in ("en", "pl", "fa", "ru", "fi"):
            name = row[col].strip()
            if not name:
                continue
            bare = re.sub(r"\s*\(([^)]*)\)", "", name).strip()
            phrases.add(bare)
            phrases.update(m for m in re.findall(r"\(([^)]*)\)", name) if len(m) > 1)
        phrases.update(re.findall(r"«([^»]+)»", row["source_terms"]))  # the quoted words
        phrases = sorted({p.lower() for p in phrases if len(p) > 2}, key=lambda p: (-len(p), p))
        if len(phrases) > 1:
            groups.append(phrases)
    return groups


def search_index_script(documents: list[dict], synonyms: list[list[str]]) -> str:
    """The index as a script (``window.CRMKIT_SEARCH = ...``): the same input, the same bytes.

    ``<`` is written as ``\\u003c``, so no text in a document can close the script.
    """
    data = {"documents": documents, "synonyms": synonyms}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c")
    return f"window.CRMKIT_SEARCH = {text};\n"
