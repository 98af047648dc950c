// The timeline: vis-timeline with the calls, payments, trips, events and
// messages of the entities on the chart; its window is the chart's time filter.
import { DataSet, Timeline } from "vis-timeline/standalone";
import { getJSON } from "./selection.js";

const MONTH = 30 * 24 * 3600 * 1000;

// Only a long period is drawn as a bar: a call of minutes or a trip of a day
// would be a sliver too narrow for its text, so it is a box at its start (its
// end is in the tooltip).
function long(item) {
  return Boolean(item.end) && Date.parse(item.end) - Date.parse(item.start) >= MONTH;
}

export function startTimeline(container, selection, text) {
  const items = new DataSet();
  const timeline = new Timeline(container, items, {
    height: "100%",
    stack: true,
    maxHeight: 400,
    zoomMin: 60 * 1000,
    selectable: true,
    multiselect: true,
    showCurrentTime: false,
    tooltip: { followMouse: true, overflowMethod: "cap" },
    verticalScroll: true,
    // The label as text (never as markup), whole: the item's box grows or wraps to fit it.
    template: (item) => {
      const text = document.createElement("span");
      text.className = "item-text";
      text.textContent = item.content;
      return text;
    },
  });
  let byEntity = new Map();
  let all = [];
  const inWindow = (row) => selection.inWindow(row.start, row.end || row.start);

  // The chart may change again before an answer comes: only the latest is shown
  // (two answers added at once would repeat item ids).
  let asked = 0;
  async function show(ids) {
    const mine = ++asked;
    const query = ids.slice(0, 500).map((id) => `id=${encodeURIComponent(id)}`).join("&");
    const found = ids.length ? await getJSON(`/ui/api/timeline?${query}`) : { items: [] };
    if (mine !== asked) return [];
    items.clear();
    byEntity = new Map();
    const rows = found.items.map((item) => ({
      id: item.id,
      content: item.label,
      title: item.title,
      start: item.start,
      end: long(item) ? item.end : undefined,
      type: long(item) ? "range" : "box",
      className: `item-${item.schema.toLowerCase()}`,
      entities: item.entities,
    }));
    all = rows;
    items.add(rows.filter(inWindow));
    for (const row of rows) {
      for (const entity of row.entities) {
        if (!byEntity.has(entity)) byEntity.set(entity, []);
        byEntity.get(entity).push(row.id);
      }
    }
    if (rows.length) timeline.fit({ animation: false });
    container.dataset.items = String(rows.length);
    container.dataset.entities = [...byEntity.keys()].join(" ");
    return rows;
  }

  timeline.on("select", ({ items: chosen }) => {
    const ids = chosen.flatMap((id) => items.get(id)?.entities || []);
    selection.select(ids, "timeline");
  });
  selection.addEventListener("charted", (event) => show(event.detail.ids));
  selection.addEventListener("select", (event) => {
    if (event.detail.from === "timeline") return;
    const chosen = event.detail.ids.flatMap((id) => byEntity.get(id) || []);
    timeline.setSelection(chosen);
    container.dataset.selected = chosen.join(" ");
  });
  selection.addEventListener("window", (event) => {
    // Items outside the window leave the timeline (as links leave the chart).
    const { start, end } = event.detail;
    items.clear();
    items.add(all.filter(inWindow));
    container.dataset.shown = String(items.length);
    if (start && end) timeline.setWindow(start, end, { animation: false });
  });
  return { timeline, show };
}
