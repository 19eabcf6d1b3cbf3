// The report's only script, inlined into report.html: selecting a step (a click on its column, a
// marker, a cell or its row in the step list; the arrow keys move to the previous or next step)
// shows that step's panel. Plain ES5-style JavaScript in a string: it runs as written, untouched by
// the TypeScript build.

export const REPORT_JS = `
(function () {
  "use strict";
  var panels = document.querySelectorAll(".step-detail");
  if (panels.length === 0) return;
  var steps = [];
  for (var i = 0; i < panels.length; i++) steps.push(Number(panels[i].getAttribute("data-step")));
  var current = null;
  function select(n) {
    if (steps.indexOf(n) < 0) return;
    current = n;
    for (var i = 0; i < panels.length; i++) panels[i].hidden = steps[i] !== n;
    var marked = document.querySelectorAll(".step-col, .step-row");
    for (var j = 0; j < marked.length; j++) marked[j].classList.toggle("selected", Number(marked[j].getAttribute("data-step")) === n);
    document.body.setAttribute("data-selected-step", String(n));
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a")) return;
    var el = target.closest("[data-step]");
    if (el !== null && (el.closest("#timeline") !== null || el.closest(".step-list") !== null)) select(Number(el.getAttribute("data-step")));
  });
  document.addEventListener("keydown", function (event) {
    if (current === null || (event.key !== "ArrowLeft" && event.key !== "ArrowRight")) return;
    var k = steps.indexOf(current) + (event.key === "ArrowLeft" ? -1 : 1);
    if (k >= 0 && k < steps.length) select(steps[k]);
  });
  select(Number(document.body.getAttribute("data-initial-step")));
})();
`;
