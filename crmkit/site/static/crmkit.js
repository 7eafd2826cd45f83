/* crmkit site: the only script of the site's own (pages carry no inline script).
 *
 * - Gives an image that arrives without an alt attribute an alt text, and a control
 *   without a name the name of its label (a fallback: the build writes alt texts,
 *   and the simulators of crmkit-live.js label their controls).
 * - On the glossary: a filter box.
 * - Says "scroll sideways" above a table that is wider than the screen (a phone),
 *   where it scrolls inside its box.
 * - Folds the lesson menu (<details class="crmkit-menu" open>) at load on a narrow
 *   screen, and opens it again when the window grows wide (where its "Contents"
 *   button is hidden). Without script the menu simply stays open.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("crmkit-js");
  // the width at which crmkit.css turns the sidebar into a bar above the page
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 60rem)") : null;
  function widgetAlt(img) {
    var box = img.closest(".crmkit-widget, .jp-OutputArea-output");
    var heading = box && box.querySelector(
      ".widget-html-content h1, .widget-html-content h2, .widget-html-content h3, " +
      ".widget-html-content h4, .widget-html-content strong, .widget-html-content b"
    );
    var title = heading ? heading.textContent.trim() : "";
    return title
      ? "Figure: " + title + " (interactive figure, as it was when the notebook ran)"
      : "Interactive figure, as it was when the notebook ran";
  }

  // Widget images arrive without alt: give them one at once, and refine it once
  // the panel's title has been drawn (marked data-crmkit-alt until then).
  function fixAlt(root) {
    var imgs = root.tagName === "IMG" ? [root] : [];
    if (root.querySelectorAll) {
      imgs = imgs.concat(Array.prototype.slice.call(root.querySelectorAll("img:not([alt])")));
    }
    imgs.forEach(function (img) {
      if (!img.hasAttribute("alt")) {
        img.setAttribute("data-crmkit-alt", "");
        img.setAttribute("alt", widgetAlt(img));
      }
    });
  }

  function refineAlt() {
    document.querySelectorAll("img[data-crmkit-alt]").forEach(function (img) {
      img.setAttribute("alt", widgetAlt(img));
    });
  }

  // A control inside a widget is named by the widget's description label.
  var CONTROLS = '[role="slider"], input, select, textarea, button';

  function nameControls(root) {
    if (!root.querySelectorAll) return;
    var found = Array.prototype.slice.call(root.querySelectorAll(CONTROLS));
    if (root.matches && root.matches(CONTROLS)) found.push(root);
    found.forEach(function (el) {
      if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return;
      if (el.id && document.querySelector('label[for="' + el.id + '"]')) return;
      if (el.closest("label")) return;
      var box = el.closest(".widget-inline-hbox, .widget-checkbox, .jupyter-widgets");
      var label = box && box.querySelector(".widget-label, .widget-label-basic");
      var text = label ? label.textContent.trim() : "";
      if (!text && el.tagName === "BUTTON") text = el.textContent.trim();
      if (text) el.setAttribute("aria-label", text);
    });
  }

  function watchImages() {
    fixAlt(document.body);
    nameControls(document.body);
    var pending = false;
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType === 1) {
            fixAlt(n);
            nameControls(n);
          }
        });
      });
      if (!pending) {
        pending = true;
        window.setTimeout(function () { pending = false; refineAlt(); }, 50);
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  function glossaryFilter() {
    var input = document.getElementById("glossary-filter");
    var table = document.getElementById("glossary");
    if (!input || !table) return;
    input.parentNode.hidden = false;
    var rows = Array.prototype.slice.call(table.tBodies);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLocaleLowerCase();
      rows.forEach(function (row) {
        row.hidden = q !== "" && row.textContent.toLocaleLowerCase().indexOf(q) === -1;
      });
    });
  }

  // A wide table scrolls inside its box on a phone; say so above it, so that the
  // reader knows there is more to the right (and take the line away when it fits).
  var SCROLLERS = ".crmkit-scroll, .jp-OutputArea-output, .jp-RenderedHTMLCommon";

  function markWideTables() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (!box.querySelector(":scope > table, :scope > div > table")) return;
      var style = window.getComputedStyle(box).overflowX;
      var wide = (style === "auto" || style === "scroll") && box.scrollWidth > box.clientWidth + 1;
      var hint = box.previousElementSibling;
      var has = hint && hint.classList.contains("crmkit-scroll-hint");
      if (wide && !has) {
        hint = document.createElement("p");
        hint.className = "crmkit-scroll-hint";
        hint.textContent = "The table is wider than the screen: scroll it sideways \u2192";
        box.parentNode.insertBefore(hint, box);
      } else if (!wide && has) {
        hint.remove();
      }
      // a box that scrolls must be reachable by keyboard (arrow keys scroll it)
      if (wide && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() + ": " : "") +
          "table, scrolls sideways");
        box.setAttribute("data-crmkit-scrolls", "");
      } else if (!wide && box.hasAttribute("data-crmkit-scrolls")) {
        ["tabindex", "role", "aria-label", "data-crmkit-scrolls"].forEach(function (a) {
          box.removeAttribute(a);
        });
      }
    });
  }

  function foldMenu() {
    var menu = document.querySelector("details.crmkit-menu");
    if (!menu || !narrow) return;
    menu.open = !narrow.matches;
    var follow = function () { menu.open = !narrow.matches; };
    if (narrow.addEventListener) narrow.addEventListener("change", follow);
    else if (narrow.addListener) narrow.addListener(follow);
  }

  document.addEventListener("DOMContentLoaded", function () {
    try {
      foldMenu();
    } finally {
      root.classList.add("crmkit-menu-ready");
    }
    watchImages();
    glossaryFilter();
    markWideTables();
    window.addEventListener("resize", markWideTables);
    // a table can widen once the page's images and fonts are in: look again then
    window.addEventListener("load", markWideTables);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(markWideTables);
  });
})();
