/* The termination what-if (lesson 09) in the page:
 * crmkit.widgets.termination.termination_explorer.
 *
 * No model here: Python computed the what-if of every segment and method at every
 * price setting the page offers (crmkit.metrics.termination.termination_what_if_grid);
 * this file looks the numbers up, draws the bars and words them as the widget does
 * (what_if_summary). The browser test compares the page's text with the widget's.
 */
(function () {
  "use strict";
  var L = window.crmkitLive;

  function nearest(list, v) {
    var best = 0;
    list.forEach(function (x, i) { if (Math.abs(x - v) < Math.abs(list[best] - v)) best = i; });
    return best;
  }

  function how(method, p, labels) {
    if (method === "raise_price") return "Raise the price by " + L.fmt(p, ".0%");
    if (method === "unbundle_offer") return "Unbundle the offer (parts " + L.fmt(p, ".0%") + " dearer)";
    return labels[method] || method;
  }

  function bars(opts) {
    // opts: {width, height, groups: [label], before: [..], after: [..], notes: [..], ylabel, title, single}
    var all = opts.before.concat(opts.after);
    var top = Math.max(Math.max.apply(null, all.map(Math.abs)), 1);
    var low = Math.min(Math.min.apply(null, all), 0);
    var yt = L.ticks(low < 0 ? low * 1.2 : 0, top * 1.15, 4);
    var n = opts.groups.length;
    var p = L.plot({
      width: opts.width, height: opts.height, x: [-0.5, n - 0.5],
      y: [Math.min(yt[0], low < 0 ? low * 1.2 : 0), Math.max(yt[yt.length - 1], top * 1.15)],
      yticks: yt, xticks: opts.groups.map(function (g, i) { return i; }),
      xfmt: function (x, i) { return opts.groups[i]; }, yfmt: function (y) { return L.fmt(y, ",.0f"); },
      xlabel: null, ylabel: opts.ylabel, label: opts.title + ". The table below gives the numbers.",
      left: 72, bottom: 36, wrapx: (opts.width - 90) / n < 95
    });
    var slot = (p.x1 - p.x0) / n;
    var w = opts.single ? slot * 0.6 : slot * 0.36;
    opts.groups.forEach(function (g, i) {
      var centre = p.sx(i);
      var pairs = opts.single
        ? [[centre - w / 2, opts.values[i], opts.colours[i]]]
        : [[centre - w, opts.before[i], opts.colours[0]], [centre, opts.after[i], opts.colours[1]]];
      pairs.forEach(function (b) {
        var y = p.sy(Math.max(b[1], 0)), y0 = p.sy(Math.min(b[1], 0));
        L.svg("rect", { x: b[0], y: y, width: w, height: Math.max(y0 - y, 0.5), fill: b[2],
          stroke: "#000", "stroke-width": 0.5 }, p.root);
      });
      var label = opts.labels[i];
      var lx = opts.single ? centre : centre + w / 2;
      var ly = p.sy(Math.max(opts.single ? opts.values[i] : opts.after[i], 0)) - 4;
      L.svg("text", { x: lx, y: ly, "text-anchor": "middle", "class": "crmkit-live-small", text: label }, p.root);
    });
    L.svg("line", { x1: p.x0, x2: p.x1, y1: p.sy(0), y2: p.sy(0), stroke: "#000" }, p.root);
    return p.root;
  }

  function build(block, data) {
    var parts = L.frame(block, data);
    var methodLabels = {};
    data.methods.forEach(function (m) { methodLabels[m[0]] = m[1]; });
    var segLabels = {};
    data.segments.forEach(function (s) { segLabels[s[0]] = s[1]; });
    var P = data.price_rises, E = data.elasticities;
    var segment = L.select({ label: "Customers to let go",
      options: data.segments.map(function (s) { return [s[1], s[0]]; }), value: data.start.segment }, update);
    var method = L.select({ label: "Method",
      options: data.methods.map(function (m) { return [m[1], m[0]]; }), value: data.start.method }, update);
    var price = L.slider({ label: "Price rise", min: P[0], max: P[P.length - 1], step: P[1] - P[0],
      value: P[nearest(P, data.start.price_rise)], format: function (v) { return L.fmt(v, ".0%"); } }, update);
    var elasticity = L.slider({ label: "Price elasticity", min: E[0], max: E[E.length - 1], step: E[1] - E[0],
      value: E[nearest(E, data.start.elasticity)], format: function (v) { return L.fmt(v, ".1f"); } }, update);
    [segment, method, price, elasticity].forEach(function (c) { parts.controls.appendChild(c.row); });

    function update() {
      var seg = segment.value, m = method.value;
      var pi = nearest(P, price.value), ei = nearest(E, elasticity.value);
      var p = P[pi], e = E[ei];
      var res = data.results[seg];
      var before = res.before;
      var after = m === "redesign_product" ? res.redesign_product : res[m][pi * E.length + ei];
      var who = segLabels[seg];
      var n0 = before[0];
      var text = how(m, p, methodLabels);
      if (!n0) {
        parts.caption.textContent = "No customer is in the segment '" + who + "' in this data.";
        parts.chart.replaceChildren();
        parts.summary.replaceChildren(L.el("p", {}, [
          "No customer is flagged ", L.el("b", { text: who }), " here: choose another segment."
        ]));
        return;
      }
      parts.caption.textContent = text + ": " + who + " (" + L.fmt(n0, ",.0f") + " customers)";
      // the sentence of what_if_summary
      var p0 = before[4], p1 = after[4];
      var pct = p0 ? " (" + L.fmt((p1 - p0) / Math.abs(p0), "+.1%") + ")" : "";
      var sentence = text + " for " + who + ": " + L.fmt(after[0], ",.0f") + " of " + L.fmt(n0, ",.0f") +
        " customers stay (expected); profit " + L.fmt(p0, ",.0f") + " -> " + L.fmt(p1, ",.0f") + pct + ".";
      var notes = [];
      if (m === "redesign_product") notes.push(data.notes.redesign);
      if (m === "unbundle_offer") notes.push(res.bundles ? data.notes.unbundle : data.notes.no_bundles);
      if (m === "raise_price" && 1 - e * p <= 0) notes.push(data.notes.all_leave);
      var rows = data.measures.map(function (key, i) {
        return [data.labels[key], L.fmt(before[i], ",.0f"), L.fmt(after[i], ",.0f"),
          L.fmt(after[i] - before[i], "+,.0f")];
      });
      parts.summary.replaceChildren.apply(parts.summary, [L.el("p", {}, [L.el("b", { text: sentence })])]
        .concat(notes.map(function (t) { return L.el("p", {}, [L.el("i", { text: t })]); }))
        .concat([
          L.table(["measure", "before", "after", "change"], rows),
          L.el("p", {}, [L.el("small", { text: "Elasticity " + L.g(e) + ": each 10% of price rise loses " +
            L.fmt(Math.min(e * 0.1, 1), ".0%") + " of the segment's purchases. A simple model for " +
            "discussion, not a forecast." })])
        ]));
      // the bars: customers, then money (labels: change after vs before)
      var width = L.widthOf(parts.chart, 860);
      var wide = width >= 600;
      var money = data.measures.slice(1);
      var c = data.colours;
      var left = bars({
        width: wide ? Math.floor(width * 0.34) : width, height: wide ? 280 : 220, single: true,
        groups: ["before", "after"], values: [before[0], after[0]], before: [before[0]], after: [after[0]],
        colours: [c.before, c.after], labels: [L.fmt(before[0], ",.0f"), L.fmt(after[0], ",.0f")],
        ylabel: "customers (expected count)", title: "Customers in the segment"
      });
      var right = bars({
        width: wide ? width - Math.floor(width * 0.34) - 12 : width, height: 280,
        groups: money.map(function (k) { return data.labels[k]; }),
        before: before.slice(1), after: after.slice(1), colours: [c.before, c.after],
        labels: money.map(function (k, i) {
          var b = before[i + 1], a = after[i + 1];
          return b ? L.fmt((a - b) / Math.abs(b), "+.0%") : "n/a";
        }),
        ylabel: "currency units, two years", title: "Money (labels: change after vs before)"
      });
      parts.chart.replaceChildren(
        L.el("div", { className: "crmkit-live-panels" }, [
          L.el("div", {}, [L.el("p", { className: "crmkit-live-panel-title", text: "Customers in the segment" }), left]),
          L.el("div", {}, [L.el("p", { className: "crmkit-live-panel-title", text: "Money (labels: change after vs before)" }), right])
        ]),
        L.legend([
          { label: "before", colour: c.before, kind: "box" },
          { label: "after", colour: c.after, kind: "box" }
        ])
      );
    }
    update();
    L.onResize(update);
  }

  L.register("termination", build);
})();
