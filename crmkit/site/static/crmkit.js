/* crmkit site: the only script of the site's own (pages carry no inline script).
 *
 * - On pages with widgets: points require.js at static/vendor/ (where the widget
 *   manager's fonts are) and loads the widget manager, which renders every
 *   widget from the state stored in the page.
 * - Gives images that a widget draws (they have no alt attribute) an alt text.
 * - On the glossary: a filter box.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var renderer = me ? me.getAttribute("data-widget-renderer") : null;
  if (renderer && window.require && window.require.config) {
    window.require.config({ baseUrl: new URL("vendor/", me.src).href });
  }

  function loadWidgets() {
    var state = 'script[type="application/vnd.jupyter.widget-state+json"]';
    if (!renderer || !document.querySelector(state)) return;
    var s = document.createElement("script");
    s.src = renderer;
    document.body.appendChild(s);
  }

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

  function watchImages() {
    fixAlt(document.body);
    var pending = false;
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) {
          if (n.nodeType === 1) fixAlt(n);
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

  document.addEventListener("DOMContentLoaded", function () {
    watchImages();
    glossaryFilter();
    loadWidgets();
  });
})();
