/* The ten-strategy self-assessment (lesson 05) in the page:
 * crmkit.widgets.strategy.strategy_self_assessment.
 *
 * strategy_scorecard, scorecard_maturity and scorecard_to_csv
 * (crmkit/metrics/care.py) again: gap = 5 - rating, priority 1 = the largest gap
 * (ties in strategy order), the maturity level of the mean rating, and the CSV a
 * trainer merges with the other teams' (crmkit/workshop/room.py). The browser test
 * compares the priorities with priorities_html and the CSV with scorecard_to_csv.
 */
(function () {
  "use strict";
  var L = window.crmkitLive;
  // crmkit/_csvsafe.py: a cell a spreadsheet would run as a formula gets a leading '
  var RISKY = /^'*[=+\-@\t\r]/;
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

  function scorecard(data, ratings, participant) {
    var rows = data.strategies.map(function (s, i) {
      var r = ratings[s.key];
      return { index: i, number: s.number, strategy: s.key, name: s.name, rating: r,
        gap: 5.0 - r, kpis: s.kpis, participant: participant };
    });
    rows.slice().sort(function (a, b) { return (b.gap - a.gap) || (a.index - b.index); })
      .forEach(function (row, k) { row.priority = k + 1; });
    var total = 0;
    rows.forEach(function (row) { total += row.rating; });
    var mean = total / rows.length;
    var level = data.levels[0];
    data.levels.forEach(function (lv) { if (mean >= lv[0] - 1e-9) level = lv; });
    return { rows: rows, mean: mean, level: level[1], description: level[2] };
  }

  function csvCell(value) {
    var text = String(value);
    if (/[",\n\r]/.test(text)) text = '"' + text.replace(/"/g, '""') + '"';
    return text;
  }

  // scorecard_to_csv: pandas' to_csv of the table, numbers as pandas writes them
  function csv(data, card) {
    var lines = [data.columns.join(",")];
    card.rows.forEach(function (r) {
      var who = r.participant;
      if (RISKY.test(who) && !NUMBER.test(who)) who = "'" + who;
      var cells = {
        number: String(r.number), strategy: r.strategy, name: r.name,
        rating: r.rating.toFixed(1), gap: r.gap.toFixed(1), priority: String(r.priority),
        kpis: r.kpis, participant: who
      };
      lines.push(data.columns.map(function (c) { return csvCell(cells[c]); }).join(","));
    });
    return lines.join("\n") + "\n";
  }

  function wrap(text, width) {
    var lines = [], line = "";
    // break after a hyphen too ("Relationship-based"), as a long word would leave the picture
    text.replace(/-/g, "- ").split(" ").forEach(function (word) {
      var joined = line ? line + (/-$/.test(line) ? "" : " ") + word : word;
      if (line && joined.length > width) { lines.push(line); line = word; }
      else line = joined;
    });
    if (line) lines.push(line);
    return lines;
  }

  function radar(data, card, width) {
    var n = card.rows.length;
    var size = Math.min(width, 640);
    var narrow = size < 480;
    var h = Math.round(size * (narrow ? 0.85 : 0.72));
    // room for the labels around the rim: about 12 (narrow) or 18 characters of 11 px
    var cx = size / 2, cy = h / 2, R = Math.min(size / 2 - (narrow ? 80 : 115), h * 0.36);
    var who = card.rows[0].participant || "Your scorecard";
    var root = L.svg("svg", {
      width: size, height: h, viewBox: "0 0 " + size + " " + h, role: "img",
      "class": "crmkit-live-chart",
      "aria-label": "Radar of the ten ratings (1 = absent, 5 = excellent) for " + who +
        "; the table below lists the priorities."
    });
    function at(k, r) {
      var a = 2 * Math.PI * k / n; // clockwise from the top
      return [cx + Math.sin(a) * R * r / 5, cy - Math.cos(a) * R * r / 5];
    }
    for (var ring = 1; ring <= 5; ring++) {
      var pts = [];
      for (var k = 0; k < n; k++) pts.push(at(k, ring));
      L.svg("path", { d: L.path(pts) + "Z", fill: "none", stroke: "#c8ced6" }, root);
      var lab = at(0.5, ring);
      L.svg("text", { x: lab[0] + 2, y: lab[1], "class": "crmkit-live-small", text: String(ring) }, root);
    }
    card.rows.forEach(function (row, k) {
      var end = at(k, 5);
      L.svg("line", { x1: cx, y1: cy, x2: end[0], y2: end[1], stroke: "#c8ced6" }, root);
      var a = 2 * Math.PI * k / n, side = Math.sin(a);
      var pos = at(k, 5 + (narrow ? 0.7 : 0.55));
      var lines = wrap(row.number + ". " + row.name, narrow ? 12 : 18);
      var anchor = side > 0.1 ? "start" : side < -0.1 ? "end" : "middle";
      var dy = Math.cos(a) > 0.5 ? -(lines.length - 1) * 13 : Math.cos(a) < -0.5 ? 10 : -((lines.length - 1) * 13) / 2 + 4;
      var text = L.svg("text", { x: pos[0], y: pos[1] + dy, "text-anchor": anchor, "class": "crmkit-live-small" }, root);
      lines.forEach(function (line, i) {
        L.svg("tspan", { x: pos[0], dy: i ? 13 : 0, text: line }, text);
      });
    });
    var outline = card.rows.map(function (row, k) { return at(k, row.rating); });
    L.svg("path", { d: L.path(outline) + "Z", fill: data.colour, "fill-opacity": 0.12,
      stroke: data.colour, "stroke-width": 2 }, root);
    outline.forEach(function (p) { L.svg("circle", { cx: p[0], cy: p[1], r: 3.5, fill: data.colour }, root); });
    return root;
  }

  function build(block, data) {
    var parts = L.frame(block, data);
    var ratings = {};
    data.strategies.forEach(function (s) {
      ratings[s.key] = data.ratings[s.key];
      var c = L.slider({
        label: s.number + ". " + s.name, min: 1, max: 5, step: 1, value: data.ratings[s.key],
        format: function (v) { return String(v); }
      }, function (v) { ratings[s.key] = v; update(); });
      c.input.setAttribute("data-strategy", s.key);
      parts.controls.appendChild(c.row);
    });
    var nameId = "crmkit-live-participant-" + Math.random().toString(36).slice(2, 8);
    var name = L.el("input", { type: "text", id: nameId, value: data.participant, autocomplete: "off" });
    parts.controls.appendChild(L.el("div", { className: "crmkit-live-control" }, [
      L.el("label", { "for": nameId, text: data.participant_label }), name
    ]));
    name.addEventListener("input", update);
    var button = L.el("button", { type: "button", className: "crmkit-live-button",
      text: "Download my ratings (CSV)" });
    var card = null;
    button.addEventListener("click", function () {
      var blob = new Blob([csv(data, card)], { type: "text/csv;charset=utf-8" });
      var link = L.el("a", { href: URL.createObjectURL(blob), download: "scorecard.csv" });
      document.body.appendChild(link);
      link.click();
      window.setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
    });

    function update() {
      card = scorecard(data, ratings, name.value.trim());
      parts.caption.textContent = "Ten relationship strategies (source 000): self-assessment. " +
        "Rating 1 = absent ... 5 = excellent; the gap to the rim is the room to improve.";
      var who = card.rows[0].participant || "Your scorecard";
      parts.chart.replaceChildren(radar(data, card, L.widthOf(parts.chart, 640)), L.legend([
        { label: who + ": mean " + L.fmt(card.mean, ".1f") + " (" + card.level + ")",
          colour: data.colour, kind: "line" }
      ]));
      var top = card.rows.slice().sort(function (a, b) { return a.priority - b.priority; })
        .slice(0, data.top);
      var head = L.el("p", {}, [
        L.el("b", { text: who }), ": mean rating " + L.fmt(card.mean, ".1f") + " of 5, maturity level ",
        L.el("b", { text: card.level }), " (" + card.description + ")"
      ]);
      parts.summary.replaceChildren(
        head,
        L.table(["priority", "strategy", "rating", "gap", "metrics that show it at work"],
          top.map(function (r) {
            return [String(r.priority), r.number + ". " + r.name, L.g(r.rating), L.g(r.gap), r.kpis];
          }), null, [true, false, true, true, false], "crmkit-live-priorities"),
        L.el("p", {}, [button])
      );
    }
    update();
    L.onResize(update);
  }

  L.register("strategy", build);
})();
