// The workstation's entry point: htmx for the pages, and the analysis views
// (link chart, map, timeline) loaded only on the pages that have them.
import htmx from "htmx.org";

window.htmx = htmx;
// Refusals (4xx) carry a message for the page: swap them in like answers.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "4..", swap: true, error: false },
  { code: "5..", swap: false, error: true },
];

async function start() {
  const workspace = document.querySelector("[data-nitka-workspace]");
  if (workspace) {
    const { startWorkspace } = await import("./workspace.js");
    await startWorkspace(workspace);
  }
  if (document.querySelector("[data-nitka-stat-chart]")) {
    const { startStatCharts } = await import("./stats.js");
    startStatCharts(document);
  }
  if (document.querySelector("[data-shortcut]")) {
    const { startShortcuts } = await import("./shortcuts.js");
    startShortcuts(document);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
