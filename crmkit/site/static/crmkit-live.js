/* crmkit site: simulators that respond on a static page, with no kernel.
 *
 * A lesson page with a simulator holds a <div class="crmkit-live"> with the
 * simulator's data in a <script type="application/json"> (written by
 * crmkit/site/live.py from what the lesson computed in Python). This file holds
 * what every simulator shares: number formats that give the same text as
 * Python's format(), controls with visible labels, a small SVG chart kit and
 * the start-up. Each simulator (static/live/<name>.js) registers itself with
 * crmkitLive.register(name, build); build(block, data) fills the block.
 *
 * Once a simulator is built, the static twin (the figure drawn at one setting,
 * cells marked by the site build) is hidden on screen; print shows the twin and
 * hides the simulator (crmkit.css). Without script, the sentence and the twin stay.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var builders = {};
  var counter = 0;

  // ------------------------------------------------------------------ formats
  // Python's format(x, ".Nf"): the exact binary value rounded half to even.
  function fixed(x, digits) {
    if (isNaN(x)) return "nan";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    var neg = x < 0 || Object.is(x, -0);
    var ax = Math.abs(x);
    var s = ax.toFixed(digits); // ties go up here
    if (ax < 1e21) {
      var long = ax.toFixed(Math.min(100, digits + 30));
      var dot = long.indexOf(".");
      var tail = long.slice(dot + 1 + digits);
      if (/^50*$/.test(tail)) {
        var down = long.slice(0, dot + (digits ? digits + 1 : 0));
        var last = down.charAt(down.length - 1);
        if ("02468".indexOf(last) >= 0) s = down;
      }
    }
    return (neg ? "-" : "") + s;
  }

  function group(text) {
    var m = /^(-?)(\d+)(.*)$/.exec(text);
    if (!m) return text;
    return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + m[3];
  }

  /* Python's format(x, spec) for the specs the kit's tables use:
     [+][,].N(f|%), e.g. ",.0f", "+.0%", ".1f", "+,.0f". */
  function fmt(x, spec) {
    var m = /^(\+)?(,)?\.(\d+)([f%])$/.exec(spec);
    if (!m) throw new Error("crmkit-live: unknown format " + spec);
    var value = m[4] === "%" ? x * 100 : x;
    var text = fixed(value, Number(m[3]));
    if (m[2]) text = group(text);
    if (m[1] && text.charAt(0) !== "-" && text !== "nan") text = "+" + text;
    return m[4] === "%" ? text + "%" : text;
  }

  // Python's format(x, "g") for the short numbers the pages show (0.5, 2, 1.5).
  function g(x) {
    if (Number.isInteger(x)) return String(x);
    return String(Number(x.toPrecision(6)));
  }

  // ------------------------------------------------------------------ DOM
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function uid(prefix) {
    counter += 1;
    return "crmkit-live-" + prefix + "-" + counter;
  }

  /* A labelled range input with its value shown beside it.
     spec: {label, min, max, step, value, format(value) -> text}; onChange(value). */
  function slider(spec, onChange) {
    var id = uid("c");
    var input = el("input", {
      type: "range", id: id, min: spec.min, max: spec.max, step: spec.step,
      value: spec.value
    });
    var out = el("output", { "for": id, className: "crmkit-live-value" });
    var row = el("div", { className: "crmkit-live-control" }, [
      el("label", { "for": id, text: spec.label }), input, out
    ]);
    var state = { value: Number(spec.value) };
    function show() {
      var text = spec.format(state.value);
      out.textContent = text;
      input.setAttribute("aria-valuetext", text);
    }
    input.addEventListener("input", function () {
      state.value = Number(input.value);
      show();
      onChange(state.value);
    });
    show();
    return {
      row: row, input: input,
      get value() { return state.value; },
      set: function (v) { input.value = String(v); state.value = Number(input.value); show(); }
    };
  }

  /* A labelled <select>; options as [label, value] pairs. */
  function select(spec, onChange) {
    var id = uid("c");
    var sel = el("select", { id: id }, spec.options.map(function (o) {
      var opt = el("option", { value: o[1], text: o[0] });
      if (o[1] === spec.value) opt.selected = true;
      return opt;
    }));
    sel.addEventListener("change", function () { onChange(sel.value); });
    var row = el("div", { className: "crmkit-live-control" }, [
      el("label", { "for": id, text: spec.label }), sel
    ]);
    return { row: row, input: sel, get value() { return sel.value; } };
  }

  /* A table: header texts, rows of cell texts; numeric[i] right-aligns column i
     (default: every column but the first). */
  function table(headers, rows, caption, numeric, className) {
    function num(i) { return numeric ? numeric[i] : i > 0; }
    var head = el("tr", {}, headers.map(function (h, i) {
      return el("th", { scope: "col", text: h, className: num(i) ? "crmkit-live-num" : "" });
    }));
    var body = rows.map(function (r) {
      return el("tr", {}, r.map(function (c, i) {
        var cell = el("td", { text: c });
        if (num(i)) cell.className = "crmkit-live-num";
        return cell;
      }));
    });
    var t = el("table", { className: "crmkit-live-table" + (className ? " " + className : "") }, [
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, [head]), el("tbody", {}, body)
    ]);
    // a table wider than a phone scrolls inside this box, which keyboards can reach
    return el("div", { className: "crmkit-live-scroll", tabindex: "0", role: "region",
      "aria-label": caption || "Table: " + headers.join(", ") }, [t]);
  }

  // ------------------------------------------------------------------ SVG charts
  function svg(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    if (parent) parent.appendChild(node);
    return node;
  }

  // About `count` round tick values covering [lo, hi].
  function ticks(lo, hi, count) {
    if (!(hi > lo)) hi = lo + 1;
    var raw = (hi - lo) / Math.max(1, count);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * mag; })
      .filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return out;
  }

  /* A plot area in an <svg> of the container's width: scales, axes, grid, labels.
     opts: {width, height, x: [lo, hi], y: [lo, hi], xlabel, ylabel, xfmt, yfmt,
            xticks (optional list), label (the chart's accessible name)} */
  function plot(opts) {
    var w = opts.width, h = opts.height;
    var m = { left: opts.left || 64, right: opts.right || 22, top: 12, bottom: opts.bottom || 46 };
    var root = svg("svg", {
      width: w, height: h, viewBox: "0 0 " + w + " " + h, role: "img",
      "aria-label": opts.label, "class": "crmkit-live-chart"
    });
    var x0 = m.left, x1 = w - m.right, y0 = h - m.bottom, y1 = m.top;
    function sx(v) { return x0 + (v - opts.x[0]) / (opts.x[1] - opts.x[0]) * (x1 - x0); }
    function sy(v) { return y0 - (v - opts.y[0]) / (opts.y[1] - opts.y[0]) * (y0 - y1); }
    var grid = svg("g", { "class": "crmkit-live-grid" }, root);
    (opts.yticks || ticks(opts.y[0], opts.y[1], 5)).forEach(function (v) {
      if (v < opts.y[0] - 1e-9 || v > opts.y[1] + 1e-9) return;
      svg("line", { x1: x0, x2: x1, y1: sy(v), y2: sy(v) }, grid);
      svg("text", { x: x0 - 6, y: sy(v) + 4, "text-anchor": "end", text: opts.yfmt(v) }, root);
    });
    (opts.xticks || ticks(opts.x[0], opts.x[1], Math.max(2, Math.floor((x1 - x0) / 70))))
      .forEach(function (v, i) {
        var label = opts.xfmt(v, i);
        if (label === null) return;
        svg("line", { x1: sx(v), x2: sx(v), y1: y0, y2: y0 + 4, stroke: "#1f2328" }, root);
        if (opts.wrapx && label.indexOf(" ") > 0) { // a long category name: two lines
          var t = svg("text", { x: sx(v), y: y0 + 16, "text-anchor": "middle", "class": "crmkit-live-small" }, root);
          var words = label.split(" ");
          var cut = Math.ceil(words.length / 2);
          svg("tspan", { x: sx(v), dy: 0, text: words.slice(0, cut).join(" ") }, t);
          svg("tspan", { x: sx(v), dy: 12, text: words.slice(cut).join(" ") }, t);
        } else {
          svg("text", { x: sx(v), y: y0 + 18, "text-anchor": "middle", text: label }, root);
        }
      });
    svg("line", { x1: x0, x2: x1, y1: y0, y2: y0, stroke: "#1f2328" }, root);
    svg("line", { x1: x0, x2: x0, y1: y0, y2: y1, stroke: "#1f2328" }, root);
    if (opts.xlabel) {
      svg("text", { x: (x0 + x1) / 2, y: h - 6, "text-anchor": "middle", text: opts.xlabel }, root);
    }
    if (opts.ylabel) {
      svg("text", {
        x: 0, y: 0, "text-anchor": "middle", text: opts.ylabel,
        transform: "translate(13," + (y0 + y1) / 2 + ") rotate(-90)"
      }, root);
    }
    return { root: root, sx: sx, sy: sy, x0: x0, x1: x1, y0: y0, y1: y1 };
  }

  function path(points) {
    return points.map(function (p, i) { return (i ? "L" : "M") + p[0].toFixed(2) + "," + p[1].toFixed(2); }).join("");
  }

  /* A legend under a chart: items {label, colour, kind: "line" | "dash" | "box" | "ring"}. */
  function legend(items, title) {
    var list = el("ul", { className: "crmkit-live-legend" }, items.map(function (it) {
      var mark = el("span", { className: "crmkit-live-key crmkit-live-key-" + (it.kind || "box"), "aria-hidden": "true" });
      mark.style.setProperty("--key", it.colour);
      return el("li", {}, [mark, it.label]);
    }));
    if (!title) return list;
    return el("div", { className: "crmkit-live-legend-box" }, [
      el("p", { className: "crmkit-live-legend-title", text: title }), list
    ]);
  }

  /* The frame every simulator shares: title, note, controls, figure, summary. */
  function frame(block, data) {
    var parts = {
      heading: el("h4", { className: "crmkit-live-title", text: data.title }),
      note: el("p", { className: "crmkit-live-note", text: data.note }),
      controls: el("div", { className: "crmkit-live-controls", role: "group", "aria-label": "Settings: " + data.title }),
      figure: el("figure", { className: "crmkit-live-figure" }),
      summary: el("div", { className: "crmkit-live-summary", "aria-live": "polite" })
    };
    parts.caption = el("figcaption", { className: "crmkit-live-caption" });
    parts.chart = el("div", { className: "crmkit-live-plot" });
    parts.figure.appendChild(parts.caption);
    parts.figure.appendChild(parts.chart);
    [parts.heading, parts.note, parts.controls, parts.figure, parts.summary].forEach(function (p) {
      block.appendChild(p);
    });
    return parts;
  }

  // the width a chart can take inside its block
  function widthOf(node, most) {
    var w = node.clientWidth || most;
    return Math.max(260, Math.min(most, Math.floor(w)));
  }

  // Redraw on a change of width (a phone turned, a window resized), at most once a frame.
  function onResize(redraw) {
    var last = 0, pending = false;
    window.addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        var w = document.documentElement.clientWidth;
        if (w !== last) { last = w; redraw(); }
      });
    });
  }

  // ------------------------------------------------------------------ start-up
  function register(name, build) { builders[name] = build; }

  // As crmkit.js does for the lesson's tables: a table wider than its box (a phone)
  // gets a line above it that says it scrolls sideways; the line goes when it fits.
  function hintWide(root) {
    root.querySelectorAll(".crmkit-live-scroll").forEach(function (box) {
      var wide = box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("crmkit-scroll-hint");
      if (wide && !has) {
        box.parentNode.insertBefore(el("p", { className: "crmkit-scroll-hint",
          text: "The table is wider than the screen: scroll it sideways \u2192" }), box);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }

  function watchWidth(root) {
    var pending = false;
    function later() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; hintWide(root); });
    }
    new MutationObserver(later).observe(root, { childList: true, subtree: true });
    later();
  }

  function start() {
    document.querySelectorAll(".crmkit-live").forEach(function (block) {
      var name = block.getAttribute("data-simulator");
      var build = builders[name];
      var script = block.querySelector("script.crmkit-live-data");
      if (!build || !script) return;
      var data = JSON.parse(script.textContent);
      var fallback = block.querySelector(".crmkit-live-fallback");
      var inner = el("div", { className: "crmkit-live-inner" });
      block.appendChild(inner);
      build(inner, data);
      if (fallback) fallback.hidden = true;
      block.classList.add("crmkit-live-ready");
      watchWidth(inner);
      var twin = block.getAttribute("data-twin");
      if (twin) {
        document.querySelectorAll(".celltag_" + twin).forEach(function (n) {
          n.classList.add("crmkit-live-replaced");
        });
      }
    });
  }

  window.crmkitLive = {
    register: register, fmt: fmt, fixed: fixed, g: g, el: el, slider: slider, select: select,
    table: table, svg: svg, plot: plot, path: path, ticks: ticks, legend: legend,
    frame: frame, widthOf: widthOf, onResize: onResize
  };
  // the scripts are deferred: every simulator has registered by DOMContentLoaded
  var started = false;
  function once() { if (!started) { started = true; start(); } }
  if (document.readyState === "complete") window.setTimeout(once, 0);
  else {
    document.addEventListener("DOMContentLoaded", once);
    window.addEventListener("load", once);
  }
})();
