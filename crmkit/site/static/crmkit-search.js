/* crmkit site search: runs on search.html, from file:// as from a web server.
 *
 * The index is a script written at build time (search-index.js sets
 * window.CRMKIT_SEARCH = {documents, synonyms}); MiniSearch (vendored, MIT) indexes
 * the documents in the page. A query is searched as typed and as each synonym of a
 * glossary term it mentions ("termination" -> "ending a customer relationship", the
 * term in the other four languages, the source's own word). Results are written
 * with textContent only: no text from the index is parsed as HTML.
 */
(function () {
  "use strict";
  var data = window.CRMKIT_SEARCH;
  var form = document.getElementById("crmkit-search-page-form");
  var input = document.getElementById("crmkit-search-page-q");
  var status = document.getElementById("crmkit-search-status");
  var list = document.getElementById("crmkit-search-results");
  if (!form || !input || !status || !list) return;
  if (!data || !window.MiniSearch) {
    status.textContent = "The search index did not load: rebuild the site (crmkit build).";
    return;
  }
  var STOP = ["a", "an", "and", "the", "of", "to", "in", "on", "for", "with", "by", "is", "it"];
  var KIND = { lesson: "Lesson", glossary: "Glossary", data: "Data dictionary" };
  var base = form.getAttribute("data-root") || "";

  function processTerm(term) {
    var t = term.toLowerCase();
    return STOP.indexOf(t) >= 0 ? null : t;
  }

  // words are split at spaces, punctuation and symbols (MiniSearch's own tokenizer
  // keeps symbols such as < > = + inside words: "a<b" would be one word)
  function tokenize(text) {
    return text.split(/[\s\p{P}\p{S}]+/u).filter(function (t) { return t; });
  }

  var engine = new window.MiniSearch({
    fields: ["title", "section", "text"],
    tokenize: tokenize,
    storeFields: ["kind", "title", "section", "url", "course", "text"],
    processTerm: processTerm,
    searchOptions: { boost: { section: 3, title: 2 }, prefix: true, fuzzy: 0.15,
      processTerm: processTerm, tokenize: tokenize }
  });
  engine.addAll(data.documents);

  function phrases(query) {
    var low = query.toLowerCase().trim();
    var found = [low];
    data.synonyms.forEach(function (group) {
      var hit = group.some(function (p) {
        return low.indexOf(p) >= 0 || (low.length >= 4 && p.indexOf(low) === 0);
      });
      if (hit) {
        group.forEach(function (p) { if (found.indexOf(p) < 0) found.push(p); });
      }
    });
    return found;
  }

  function search(query) {
    var all = phrases(query).map(function (p) { return { combineWith: "AND", queries: [p] }; });
    var hits = engine.search({ combineWith: "OR", queries: all });
    if (!hits.length) hits = engine.search(query, { combineWith: "OR" });
    return { hits: hits, phrases: all.length > 1 ? phrases(query).slice(1) : [] };
  }

  function snippet(text, words) {
    var low = text.toLowerCase();
    var at = -1;
    words.some(function (w) { at = low.indexOf(w.toLowerCase()); return at >= 0; });
    var start = Math.max(0, at < 0 ? 0 : at - 80);
    var piece = text.slice(start, start + 240);
    return (start > 0 ? "… " : "") + piece + (start + 240 < text.length ? " …" : "");
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = base + href;
    a.textContent = text;
    return a;
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) {
      status.textContent = "Type a word or a phrase, in any of the five languages.";
      return;
    }
    var res = search(query);
    var words = query.split(/\s+/).concat(res.phrases);
    var n = res.hits.length;
    status.textContent = n + (n === 1 ? " result" : " results") + " for \u201c" + query + "\u201d" +
      (res.phrases.length ? " (also searched: " + res.phrases.slice(0, 4).join("; ") +
        (res.phrases.length > 4 ? "; …" : "") + ")" : "") + ".";
    res.hits.slice(0, 50).forEach(function (hit) {
      var li = document.createElement("li");
      li.className = "crmkit-result crmkit-result-" + hit.kind;
      var kind = document.createElement("span");
      kind.className = "crmkit-result-kind";
      kind.textContent = KIND[hit.kind] || hit.kind;
      var head = document.createElement("p");
      head.className = "crmkit-result-title";
      head.appendChild(kind);
      head.appendChild(document.createTextNode(" "));
      head.appendChild(link(hit.url, hit.section ? hit.title + " \u203a " + hit.section : hit.title));
      li.appendChild(head);
      var p = document.createElement("p");
      p.className = "crmkit-result-text";
      p.setAttribute("dir", "auto");
      p.textContent = snippet(hit.text, words);
      li.appendChild(p);
      if (hit.course) {
        var c = document.createElement("p");
        c.className = "crmkit-result-course";
        c.appendChild(link(hit.course, "the same section with code (course edition)"));
        li.appendChild(c);
      }
      list.appendChild(li);
    });
  }

  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  show(input.value);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value;
    try {  // keep the query in the address (some browsers refuse it on file://)
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    } catch (err) { /* the results still show */ }
    show(q);
  });
})();
