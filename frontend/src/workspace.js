// The analysis workspace: link chart, map and timeline over one selection.
import { Selection } from "./selection.js";
import { startChart } from "./chart.js";
import { startMap } from "./map.js";
import { startTimeline } from "./timeline.js";
import { startAnalysis } from "./analysis.js";

export async function startWorkspace(root) {
  const selection = new Selection();
  const text = JSON.parse(root.querySelector("#workspace-text").textContent);
  const map = startMap(root.querySelector("[data-map]"), selection, text);
  const timeline = startTimeline(root.querySelector("[data-timeline]"), selection, text);
  const chart = startChart(root.querySelector("[data-chart]"), root, selection, text);
  const panel = root.querySelector("[data-analysis]");
  const analysis = panel ? startAnalysis(panel, chart, selection, text) : null;
  window.nitkaWorkspace = { selection, chart, map, timeline, analysis };
  const start = JSON.parse(root.dataset.start || "[]");
  const saved = root.dataset.chart;
  if (saved) await chart.openSaved(saved);
  else if (start.length) await chart.expand(start);
  root.dataset.ready = "true";
}
