/* The lifecycle simulator (lesson 03) in the page: crmkit.widgets.lifecycle.lifecycle_simulator.
 *
 * Three short functions of crmkit/metrics/lifecycle.py again: scenario_matrix (a
 * move takes its probability from the stay cell of its row), simulate_lifecycle
 * (the stage mix times the matrix, month by month, plus the newcomers) and
 * months_in_stage (1 / (1 - stay)). The estimated matrix and the starting points
 * come from Python. The browser test compares the table with the widget's.
 */
(function () {
  "use strict";
  var L = window.crmkitLive;

  function scenarioMatrix(base, sliders, values) {
    var P = base.map(function (row) { return row.slice(); });
    var k = P.length;
    sliders.forEach(function (s) {
      var p = values[s.key], i = s.from, j = s.to, row = P[i];
      row[i] += row[j] - p;
      row[j] = p;
      if (row[i] < 0) { // not enough "stay" left: the other moves shrink in proportion
        var others = [], rest = [], total = 0, n;
        for (n = 0; n < k; n++) if (n !== j) others.push(n);
        others.forEach(function (c) { rest.push(c === i ? 0.0 : Math.max(row[c], 0)); });
        rest.forEach(function (v) { total += v; });
        others.forEach(function (c, idx) { row[c] = total > 0 ? rest[idx] * ((1 - p) / total) : 0.0; });
        if (total === 0) row[i] = 1 - p;
      }
    });
    return P.map(function (row) {
      var sum = 0;
      row.forEach(function (v) { sum += v; });
      return row.map(function (v) { return v / sum; });
    });
  }

  function simulate(P, months, start, newPerMonth) {
    var k = P.length, out = [start.slice()];
    for (var t = 0; t < months; t++) {
      var x = out[t], next = [];
      for (var j = 0; j < k; j++) {
        var v = 0;
        for (var i = 0; i < k; i++) v += x[i] * P[i][j];
        next.push(v + (j === 0 ? newPerMonth : 0));
      }
      out.push(next);
    }
    return out;
  }

  function sum(xs) { var s = 0; xs.forEach(function (v) { s += v; }); return s; }

  function build(block, data) {
    var parts = L.frame(block, data);
    var stages = data.stages;
    var sliders = {}, values = {};
    data.sliders.forEach(function (s) {
      values[s.key] = s.value; // the exact estimate until the reader moves the slider
      sliders[s.key] = L.slider({
        label: s.label, min: s.min, max: s.max, step: s.step, value: s.value,
        format: function (v) { return L.fmt(v, ".1%"); }
      }, function (v) { values[s.key] = v; update(); });
    });
    var months = L.slider({
      label: data.months.label, min: data.months.min, max: data.months.max,
      step: data.months.step, value: data.months.value,
      format: function (v) { return String(v); }
    }, update);
    var start = L.select({ label: "Start from", options: data.start.options, value: data.start.value }, update);
    data.sliders.forEach(function (s) { parts.controls.appendChild(sliders[s.key].row); });
    parts.controls.appendChild(months.row);
    parts.controls.appendChild(start.row);

    function draw(mix, ref, M, begin) {
      var title = "Customers in each stage over " + M + " months: " + begin.what;
      parts.caption.textContent = title;
      var tops = mix.map(function (x) { return sum(x); });
      var active = ref.map(function (x) { return sum(x.slice(0, x.length - 1)); });
      var hi = Math.max(Math.max.apply(null, tops), Math.max.apply(null, active), 1);
      var yt = L.ticks(0, hi * 1.04, 5);
      while (yt[yt.length - 1] < hi * 1.04) yt.push(yt[yt.length - 1] + (yt[1] - yt[0]));
      var width = L.widthOf(parts.chart, 760);
      var p = L.plot({
        width: width, height: width < 480 ? 260 : 330, x: [0, M],
        y: [0, Math.max(yt[yt.length - 1], hi * 1.04)],
        yticks: yt, xlabel: "Months from the start",
        ylabel: width < 480 ? "Customers" : "Customers (expected number)",
        xfmt: function (x) { return L.fmt(x, ".0f"); }, yfmt: function (y) { return L.fmt(y, ",.0f"); },
        xticks: L.ticks(0, M, width < 480 ? 4 : 8).filter(function (x) { return Number.isInteger(x); }),
        label: title + ". The table below gives the numbers.", left: 58
      });
      var below = mix.map(function () { return 0; });
      stages.forEach(function (s, k) {
        var upper = mix.map(function (x, t) { return below[t] + x[k]; });
        var pts = upper.map(function (v, t) { return [p.sx(t), p.sy(v)]; })
          .concat(below.map(function (v, t) { return [p.sx(t), p.sy(v)]; }).reverse());
        L.svg("path", { d: L.path(pts) + "Z", fill: s.colour, "fill-opacity": 0.9 }, p.root);
        below = upper;
      });
      L.svg("path", { d: L.path(active.map(function (v, t) { return [p.sx(t), p.sy(v)]; })),
        fill: "none", stroke: "#000", "stroke-width": 1.5, "stroke-dasharray": "6 4" }, p.root);
      var items = stages.slice().reverse().map(function (s) {
        return { label: s.label, colour: s.colour, kind: "box" };
      });
      items.push({ label: data.reference_label, colour: "#000", kind: "dash" });
      parts.chart.replaceChildren(p.root, L.legend(items, data.legend_title));
    }

    function summary(mix, ref, P, M) {
      var end = mix[M], base = ref[M], tot = sum(end), btot = sum(base);
      var rows = stages.map(function (s, k) {
        var share = tot ? end[k] / tot : 0, bshare = btot ? base[k] / btot : 0;
        return [s.label, L.fmt(end[k], ",.0f") + " (" + L.fmt(share, ".0%") + ")",
          L.fmt(base[k], ",.0f") + " (" + L.fmt(bshare, ".0%") + ")"];
      });
      var dwell = stages.slice(0, 4).map(function (s, k) {
        var stay = P[k][k];
        var months = stay < 1 ? 1 / (1 - stay) : Infinity;
        return s.label.toLowerCase() + (isFinite(months) ? " " + L.fmt(months, ".1f") : " for ever");
      }).join(", ");
      parts.summary.replaceChildren(
        L.table(["Stage after " + M + " months", "Your scenario", "At the estimated rates"], rows),
        L.el("p", { text: "Average months a customer stays in a stage under your scenario: " + dwell + "." })
      );
    }

    function update() {
      var M = months.value, begin = data.starts[start.value];
      var P = scenarioMatrix(data.matrix, data.sliders, values);
      var mix = simulate(P, M, begin.counts, begin.new_per_month);
      var ref = simulate(data.matrix, M, begin.counts, begin.new_per_month);
      draw(mix, ref, M, begin);
      summary(mix, ref, P, M);
    }
    update();
    L.onResize(update);
  }

  L.register("lifecycle", build);
})();
