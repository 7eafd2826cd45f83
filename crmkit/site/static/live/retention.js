/* Retention economics (lesson 06) in the page: crmkit.widgets.economics.retention_simulator.
 *
 * retention_economics (crmkit/metrics/value.py) again, in its closed form with no
 * horizon: lifetime 1 / (1 - r), lifetime profit (m - s) / (1 - r / (1 + d)) - a,
 * cost per customer-year a / lifetime + s, before and after r + rise. The table is
 * economics_summary's, worded as the widget words it; the browser test compares the
 * two over a grid of settings.
 */
(function () {
  "use strict";
  var L = window.crmkitLive;

  function economics(r, v, data) {
    var m = v.margin, a = v.acquisition_cost, d = v.discount_rate, s = data.servicing_cost;
    var r2 = r + data.retention_rise;
    var q = r / (1.0 + d), q2 = r2 / (1.0 + d);
    var life = 1.0 / (1.0 - r), life2 = 1.0 / (1.0 - r2);
    var profit = (m - s) * (1.0 / (1.0 - q)) - a;
    var profit2 = (m - s) * (1.0 / (1.0 - q2)) - a;
    var cost = a / life + s, cost2 = a / life2 + s;
    return {
      retention: r, retention_after: r2, life: life, life_after: life2,
      profit: profit, profit_after: profit2, cost: cost, cost_after: cost2,
      profit_change: profit !== 0 ? (profit2 - profit) / Math.abs(profit) : NaN,
      cost_change: cost > 0 ? cost2 / cost - 1.0 : 0.0
    };
  }

  function rows(e, names) {
    function rel(b, a) { return b !== 0 ? (a - b) / Math.abs(b) : NaN; }
    function pct(c) { return isNaN(c) ? "\u2014" : L.fmt(c, "+.0%"); }
    return [
      [names[0], L.fmt(e.retention, ".0%"), L.fmt(e.retention_after, ".0%"),
        L.fmt(100 * (e.retention_after - e.retention), "+.0f") + " points"],
      [names[1], L.fmt(e.life, ".1f"), L.fmt(e.life_after, ".1f"), pct(rel(e.life, e.life_after))],
      [names[2], L.fmt(e.profit, ",.0f"), L.fmt(e.profit_after, ",.0f"), pct(e.profit_change)],
      [names[3], L.fmt(e.cost, ",.0f"), L.fmt(e.cost_after, ",.0f"), pct(e.cost_change)]
    ];
  }

  function build(block, data) {
    var parts = L.frame(block, data);
    var controls = {};
    var curve = L.select({ label: "Curve", options: data.curves.map(function (c) { return [c[1], c[0]]; }),
      value: data.curves[0][0] }, update);
    parts.controls.appendChild(curve.row);
    data.sliders.forEach(function (s) {
      controls[s.key] = L.slider({
        label: s.label, min: s.min, max: s.max, step: s.step, value: s.value,
        format: function (v) { return s.percent ? L.fmt(v, ".0%") : L.fmt(v, ",.0f"); }
      }, update);
      parts.controls.appendChild(controls[s.key].row);
    });

    function values() {
      var v = {};
      Object.keys(controls).forEach(function (k) { v[k] = controls[k].value; });
      return v;
    }

    function draw(v, e) {
      var metric = curve.value;
      var key = metric === "cost" ? "cost" : "profit";
      var title = data.curves.filter(function (c) { return c[0] === metric; })[0][1];
      parts.caption.textContent = title;
      var grid = data.grid.slice();
      if (grid.indexOf(v.retention) < 0) grid.push(v.retention);
      grid.sort(function (a, b) { return a - b; });
      var pts = grid.map(function (r) { return [r * 100, economics(r, v, data)[key]]; });
      var ref = data.reference;
      var ys = pts.map(function (p) { return p[1]; })
        .concat([e[key], e[key + "_after"], ref[key], ref[key + "_after"]]);
      if (metric === "profit") ys.push(0);
      var lo = Math.min.apply(null, ys), hi = Math.max.apply(null, ys);
      var pad = (hi - lo || 1) * 0.06;
      var yt = L.ticks(lo - pad, hi + pad, 5);
      var width = L.widthOf(parts.chart, 720);
      var p = L.plot({
        width: width, height: width < 480 ? 260 : 320,
        x: [data.grid[0] * 100 - 1, data.grid[data.grid.length - 1] * 100 + 6],
        y: [Math.min(yt[0], lo - pad), Math.max(yt[yt.length - 1], hi + pad)], yticks: yt,
        xlabel: data.xlabel, ylabel: width < 480 ? title : data.ylabels[metric],
        xfmt: function (x) { return L.fmt(x, ".0f") + "%"; },
        yfmt: function (y) { return L.fmt(y, ",.0f"); },
        label: title + ": " + data.ylabels[metric] + " against " + data.xlabel +
          "; the table below gives the numbers."
      });
      if (metric === "profit") {
        L.svg("line", { x1: p.x0, x2: p.x1, y1: p.sy(0), y2: p.sy(0), stroke: "#666",
          "stroke-width": 0.8 }, p.root);
      }
      L.svg("path", { d: L.path(pts.map(function (q) { return [p.sx(q[0]), p.sy(q[1])]; })),
        fill: "none", stroke: data.colours.curve, "stroke-width": 2.2 }, p.root);
      var xa = p.sx(e.retention * 100), ya = p.sy(e[key]);
      var xb = p.sx(e.retention_after * 100), yb = p.sy(e[key + "_after"]);
      L.svg("line", { x1: xa, y1: ya, x2: xb, y2: yb, stroke: data.colours.point,
        "stroke-width": 1.5 }, p.root);
      [[xa, ya], [xb, yb]].forEach(function (c) {
        L.svg("circle", { cx: c[0], cy: c[1], r: 5, fill: data.colours.point }, p.root);
      });
      [[ref.retention, ref[key]], [ref.retention_after, ref[key + "_after"]]].forEach(function (c) {
        L.svg("circle", { cx: p.sx(c[0] * 100), cy: p.sy(c[1]), r: 8.5, fill: "none",
          stroke: data.colours.reference, "stroke-width": 1.5 }, p.root);
      });
      parts.chart.replaceChildren(p.root, L.legend([
        { label: "Model", colour: data.colours.curve, kind: "line" },
        { label: "Before and after the rise", colour: data.colours.point, kind: "dot" },
        { label: "Reichheld's example (source 001)", colour: data.colours.reference, kind: "ring" }
      ]));
    }

    function update() {
      var v = values();
      var e = economics(v.retention, v, data);
      draw(v, e);
      parts.summary.replaceChildren(
        L.table(["per customer", "before", "after +5 points", "change"], rows(e, data.rows)),
        L.el("p", {}, [L.el("small", { text: data.reference_note })])
      );
    }
    update();
    L.onResize(update);
  }

  L.register("retention", build);
})();
