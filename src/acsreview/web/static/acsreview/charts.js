/* Draws every chart of a page with vega-embed, from the Vega-Lite spec the page carries
   in a <script type="application/json"> (no inline script: the page's Content Security
   Policy allows none). Expressions run in vega's interpreter, not through eval.
   Without JavaScript the chart's data table is all there is, and is complete. */
(function () {
  "use strict";
  function draw() {
    if (!window.vegaEmbed || !window.vegaInterpreter) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (box) {
      var source = document.getElementById(box.getAttribute("data-chart"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(box, spec, {
        // vega-embed and its tooltips would add their stylesheets as inline <style>, which
        // the policy blocks: the rules charts need are in report.css instead.
        actions: false, renderer: "svg", ast: true, defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
        expr: window.vegaInterpreter.expressionInterpreter
      }).then(function () {
        box.removeAttribute("aria-hidden");
        var svg = box.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", spec.description || "");
        }
      }).catch(function () { box.hidden = true; });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else { draw(); }
})();
