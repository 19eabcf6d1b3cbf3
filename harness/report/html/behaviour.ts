// The report's only script, inlined into report.html: selecting a step (a click on its column, a
// marker, a cell or its row in the step list; the arrow keys move to the previous or next step)
// shows that step's panel. Each scenario on the page (the counterexample, and with --html-all every
// kept one) is a scope (`data-scope`) with its own selection; the counterexample's selected step is
// also on <body data-selected-step>. Plain ES5-style JavaScript in a string: it runs as written,
// untouched by the TypeScript build.

/** The page's script (step selection per scope), inlined as written. */
export const REPORT_JS = `
(function () {
  "use strict";
  var MAIN = "counterexample";
  var selected = {};
  var current = null;
  function inScope(scope, selector) {
    return document.querySelectorAll('[data-scope="' + scope + '"] ' + selector);
  }
  function steps(scope) {
    var panels = inScope(scope, ".step-detail");
    var out = [];
    for (var i = 0; i < panels.length; i++) out.push(Number(panels[i].getAttribute("data-step")));
    return out;
  }
  function select(scope, n) {
    var panels = inScope(scope, ".step-detail");
    var found = false;
    for (var i = 0; i < panels.length; i++) if (Number(panels[i].getAttribute("data-step")) === n) found = true;
    if (!found) return;
    selected[scope] = n;
    current = scope;
    for (var j = 0; j < panels.length; j++) panels[j].hidden = Number(panels[j].getAttribute("data-step")) !== n;
    var marked = inScope(scope, ".step-col, .step-row");
    for (var k = 0; k < marked.length; k++) marked[k].classList.toggle("selected", Number(marked[k].getAttribute("data-step")) === n);
    var holder = scope === MAIN ? document.body : document.querySelector('[data-scope="' + scope + '"]');
    if (holder !== null) holder.setAttribute("data-selected-step", String(n));
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a")) return;
    var el = target.closest("[data-step]");
    var scopeEl = el === null ? null : el.closest("[data-scope]");
    if (scopeEl === null || (el.closest("svg.timeline") === null && el.closest(".step-list") === null)) return;
    select(scopeEl.getAttribute("data-scope"), Number(el.getAttribute("data-step")));
  });
  document.addEventListener("keydown", function (event) {
    if (current === null || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    var all = steps(current);
    var k = all.indexOf(selected[current]) + (event.key === "ArrowLeft" ? -1 : 1);
    if (k >= 0 && k < all.length) select(current, all[k]);
  });
  var kept = document.querySelectorAll("details.scenario[data-scope]");
  for (var i = 0; i < kept.length; i++) {
    select(kept[i].getAttribute("data-scope"), Number(kept[i].getAttribute("data-initial-step")));
    // Opening a kept scenario makes it the one the arrow keys move in; closing it gives them back.
    kept[i].addEventListener("toggle", function (event) {
      var d = event.currentTarget;
      var scope = d.getAttribute("data-scope");
      if (d.open) current = scope;
      else if (current === scope) current = MAIN in selected ? MAIN : null;
    });
  }
  current = null;
  select(MAIN, Number(document.body.getAttribute("data-initial-step")));
})();
`;
