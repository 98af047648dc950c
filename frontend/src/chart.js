// The link chart: Cytoscape.js with the fCoSE force layout.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { csrfToken, download, getJSON, postJSON } from "./selection.js";
import { communities } from "./communities.js";
import { FONTS, borderOf, colourOf, iconOf, shapeOf } from "./looks.js";

cytoscape.use(fcose);

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-family": FONTS,
      "font-size": 11,
      color: "#1d2430",
      "text-valign": "bottom",
      "text-halign": "center",
      "text-margin-y": 4,
      "text-wrap": "ellipsis",
      "text-max-width": 130,
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.85,
      "text-background-padding": 2,
      "text-background-shape": "round-rectangle",
      "min-zoomed-font-size": 7,
      width: 34,
      height: 34,
      shape: shapeOf,
      "background-color": colourOf,
      "background-image": iconOf,
      "background-width": "58%",
      "background-height": "58%",
      "background-clip": "none",
      "border-width": 3,
      "border-color": borderOf,
    },
  },
  { selector: "node[schema = 'Phone']", style: { width: 28, height: 28 } },
  { selector: "node[?protected]", style: { "border-width": 3, "border-style": "dashed", "border-color": "#6a3d9a" } },
  {
    selector: "node:parent",
    style: {
      "background-opacity": 0.06,
      "background-color": "#1f5fae",
      "background-image": "none",
      "border-width": 1,
      "border-color": "#1f5fae",
      label: "data(label)",
      "text-valign": "top",
      shape: "round-rectangle",
    },
  },
  { selector: "node:selected", style: { "border-width": 5, "border-color": "#f1c40f", "border-style": "solid" } },
  {
    selector: "edge",
    style: {
      width: (e) => Math.min(1.5 + Math.log2(e.data("count") || 1), 8),
      "line-color": "#95a5a6",
      "target-arrow-color": "#95a5a6",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "",
      "font-family": FONTS,
      "font-size": 10,
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.9,
      "text-background-padding": 2,
      color: "#333",
    },
  },
  { selector: "edge.hover, edge:selected", style: { label: "data(caption)", width: (e) => Math.min(3 + Math.log2(e.data("count") || 1), 9), "z-index": 10 } },
  { selector: "edge[schema = 'reference']", style: { "line-style": "dotted", "target-arrow-shape": "none" } },
  { selector: "edge[schema = 'Call']", style: { "line-style": "dashed", "line-color": "#0e7c9a", "target-arrow-color": "#0e7c9a" } },
  { selector: "edge[schema = 'Payment']", style: { "line-color": "#1e8449", "target-arrow-color": "#1e8449" } },
  { selector: "edge[schema = 'Family'], edge[schema = 'Associate']", style: { "line-color": "#8e44ad", "target-arrow-shape": "none" } },
  { selector: "node.path", style: { "border-color": "#f39c12", "border-width": 6 } },
  { selector: "edge.path", style: { "line-color": "#f39c12", "target-arrow-color": "#f39c12", width: 5 } },
  { selector: ".outside", style: { display: "none" } },
  { selector: ".faded", style: { opacity: 0.25 } },
];

// fCoSE with room for every node and its label: nodes repel each other, edges
// are long enough for two labels, and separate components are packed apart.
const LAYOUT = {
  name: "fcose",
  quality: "proof",
  animate: false,
  nodeDimensionsIncludeLabels: true,
  uniformNodeDimensions: false,
  packComponents: true,
  nodeRepulsion: () => 45000,
  idealEdgeLength: () => 140,
  edgeElasticity: () => 0.3,
  nodeSeparation: 120,
  gravity: 0.2,
  gravityRange: 3.8,
  numIter: 2500,
  tile: true,
  tilingPaddingVertical: 30,
  tilingPaddingHorizontal: 30,
  padding: 40,
};

function edgeCaption(edge) {
  // kind: the link's kind in the user's language (the server's model labels).
  const parts = [edge.kind || edge.label];
  if (edge.relationships && edge.relationships.length) parts.push(`(${edge.relationships.join(", ")})`);
  if (edge.count > 1) parts.push(`×${edge.count}`);
  if (edge.amount) parts.push(`${edge.amount} ${edge.currency || ""}`.trim());
  return parts.join(" ");
}

// The full text behind a node or an edge, for its tooltip: names are cut at
// the label's width, and an edge's caption is shown only on hover.
function describe(element) {
  const data = element.data();
  if (element.isNode()) return [data.label, data.kind || data.schema, (data.cases || []).join(", ")].filter(Boolean).join("\n");
  const lines = [data.caption];
  for (const numbers of data.numbers || []) lines.push(numbers);
  if (data.first) lines.push(data.last && data.last !== data.first ? `${data.first} – ${data.last}` : data.first);
  return lines.join("\n");
}

function toElements(graph) {
  const nodes = graph.nodes.map((n) => ({ group: "nodes", data: { ...n } }));
  const edges = graph.edges.map((e) => ({ group: "edges", data: { ...e, caption: edgeCaption(e) } }));
  return [...nodes, ...edges];
}

export function startChart(container, root, selection, text) {
  const status = root.querySelector("[data-status]");
  const cy = cytoscape({
    container,
    style: STYLE,
    selectionType: "additive",
    minZoom: 0.05,
    maxZoom: 4,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
    pixelRatio: 1,
  });
  const BIG = 500;
  let straight = false;
  let grouping = "none";

  const say = (message) => {
    if (status) status.textContent = message;
  };

  // Canvas text does not wait for a web font, nor draws again once it is there:
  // load the subsets that these names need (each face has a unicode-range)
  // before the names are drawn, waiting no more than a few seconds.
  function loadFonts(graph) {
    const text = (graph.nodes || []).map((n) => n.label).join(" ");
    if (!text || !document.fonts) return Promise.resolve();
    const families = FONTS.split(",").map((f) => f.trim()).filter((f) => f.startsWith('"'));
    const loading = Promise.all(families.map((family) => document.fonts.load(`11px ${family}`, text)));
    const enough = new Promise((resolve) => setTimeout(resolve, 3000));
    return Promise.race([loading, enough]).catch(() => {});
  }

  const tip = document.createElement("div");
  tip.className = "chart-tip";
  tip.dataset.testid = "chart-tip";
  tip.hidden = true;
  container.appendChild(tip);
  function showTip(event) {
    const element = event.target;
    if (element.isNode() && element.isParent()) return;
    tip.textContent = describe(element);
    const at = event.renderedPosition || element.renderedMidpoint?.() || { x: 0, y: 0 };
    tip.style.left = `${Math.min(at.x + 14, container.clientWidth - 260)}px`;
    tip.style.top = `${at.y + 14}px`;
    tip.hidden = false;
  }

  function entityIds() {
    return cy.nodes().filter((n) => !n.id().startsWith("group:")).map((n) => n.id());
  }

  // A fresh chart is laid out from scratch; an expanded one goes on from where
  // its nodes are, each new node first placed on a ring around its neighbour
  // already on the chart, so that none starts on top of another.
  function layout(fit = true, fresh = null) {
    const incremental = fresh && fresh.length < cy.nodes().length;
    if (incremental) placeAround(fresh);
    cy.layout({ ...LAYOUT, randomize: !incremental, fit }).run();
    if (fit && cy.zoom() > 1.6) cy.zoom({ level: 1.6, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    if (fit) cy.center();
  }

  function placeAround(fresh) {
    const added = cy.collection(fresh.map((id) => cy.getElementById(id))).nodes();
    const byAnchor = new Map();
    added.forEach((node) => {
      const anchor = node.neighborhood("node").filter((n) => !added.has(n))[0];
      const key = anchor ? anchor.id() : "";
      if (!byAnchor.has(key)) byAnchor.set(key, []);
      byAnchor.get(key).push(node);
    });
    const box = cy.nodes().not(added).boundingBox();
    for (const [key, nodes] of byAnchor) {
      const centre = key ? cy.getElementById(key).position() : { x: box.x2 + 200, y: (box.y1 + box.y2) / 2 };
      const radius = 120 + 12 * nodes.length;
      nodes.forEach((node, index) => {
        const angle = (2 * Math.PI * index) / nodes.length;
        node.position({ x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) });
      });
    }
  }

  function add(graph) {
    const fresh = toElements(graph).filter((el) => cy.getElementById(el.data.id).empty());
    cy.batch(() => cy.add(fresh));
    if (!straight && cy.edges().length > BIG) {
      // A large chart draws with less detail: straight edges (several times faster
      // than curves), link captions only on hover or selection, node names only
      // when zoomed in enough to read them.
      straight = true;
      cy.style()
        .selector("edge")
        .style({ "curve-style": "straight", label: "", "arrow-scale": 0.6 })
        .selector("edge:selected, edge.hover")
        .style({ label: "data(caption)" })
        .selector("node")
        .style({ "min-zoomed-font-size": 12 })
        .update();
    }
    applyWindow();
    regroup();
    selection.charted(entityIds());
    say(text.shown.replace("{nodes}", cy.nodes().length).replace("{edges}", cy.edges().length) + (graph.truncated ? " " + text.truncated : ""));
    return fresh.length;
  }

  // Adds what an expansion or a path brought, laid out around what was there.
  function grow(graph) {
    const before = new Set(cy.nodes().map((n) => n.id()));
    const added = add(graph);
    layout(true, cy.nodes().filter((n) => !before.has(n.id()) && !n.isParent()).map((n) => n.id()));
    return added;
  }

  async function expand(ids) {
    const query = ids.map((id) => `id=${encodeURIComponent(id)}`).join("&");
    say(text.loading);
    const graph = await getJSON(`/ui/api/graph/expand?${query}`);
    await loadFonts(graph);
    return grow(graph);
  }

  async function findPath(from, to) {
    say(text.searching);
    const found = await getJSON(`/ui/api/graph/path?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    await loadFonts(found);
    cy.elements().removeClass("path");
    if (!found.nodes.length) {
      say(text.noPath);
      return [];
    }
    grow(found);
    const ids = [...found.nodes.map((n) => n.id), ...found.edges.map((e) => e.id)];
    for (const id of ids) cy.getElementById(id).addClass("path");
    say(text.pathFound.replace("{links}", found.edges.length));
    return found.nodes.map((n) => n.id);
  }

  // Links outside the time window are hidden; the nodes left with none in it (but
  // with dated links) are named to the map, which hides their places too.
  function applyWindow() {
    cy.batch(() => {
      cy.edges().forEach((e) => {
        e.toggleClass("outside", !selection.inWindow(e.data("first"), e.data("last")));
      });
    });
    const outside = cy.nodes().filter((n) => {
      const dated = n.connectedEdges().filter((e) => e.data("first") || e.data("last"));
      return dated.nonempty() && dated.every((e) => e.hasClass("outside"));
    });
    selection.timeless(outside.map((n) => n.id()));
    updateSlider();
  }

  // The time slider: two handles over the days of the chart's dated links, driving
  // the same window as "Filter by time" (chart, timeline and map together).
  const sliders = [...root.querySelectorAll("[data-slider]")];
  const DAY = 24 * 3600 * 1000;
  let span = null;
  function updateSlider() {
    const dates = cy.edges().map((e) => [e.data("first"), e.data("last")]).flat().filter(Boolean).map((d) => Date.parse(d.slice(0, 10))).filter((d) => !Number.isNaN(d));
    if (!sliders.length || !dates.length) return;
    const low = Math.min(...dates);
    const high = Math.max(...dates);
    if (span && span.low === low && span.high === high) return;
    span = { low, high };
    const days = Math.round((high - low) / DAY);
    for (const slider of sliders) {
      slider.max = String(days);
      slider.value = slider.dataset.slider === "start" ? "0" : String(days);
    }
  }
  function slid() {
    if (!span) return;
    const [start, end] = sliders.map((s) => Number(s.value)).sort((a, b) => a - b);
    const day = (n) => new Date(span.low + n * DAY).toISOString().slice(0, 10);
    root.querySelector('[name="window-start"]').value = day(start);
    root.querySelector('[name="window-end"]').value = day(end);
    selection.setWindow(day(start), day(end), "slider");
  }
  for (const slider of sliders) slider.addEventListener("input", slid);

  function regroup() {
    cy.batch(() => {
      cy.nodes().filter((n) => n.parent().nonempty()).forEach((n) => n.move({ parent: null }));
      cy.nodes().filter((n) => n.id().startsWith("group:")).remove();
      if (grouping === "none") return;
      const groups = new Map();
      if (grouping === "case") {
        cy.nodes().forEach((n) => {
          const cases = n.data("cases") || [];
          if (cases.length) groups.set(n.id(), text.groupCase.replace("{id}", cases[0]));
        });
      } else {
        const found = communities(cy, (n) => text.groupCommunity.replace("{n}", n));
        for (const [id, label] of found) groups.set(id, label);
      }
      const parents = new Set(groups.values());
      cy.add([...parents].map((label) => ({ group: "nodes", data: { id: `group:${label}`, label } })));
      for (const [id, label] of groups) cy.getElementById(id).move({ parent: `group:${label}` });
    });
  }

  async function openSaved(chartId) {
    const saved = await getJSON(`/ui/api/charts/${encodeURIComponent(chartId)}`);
    await loadFonts(saved.graph);
    add(saved.graph);
    const positions = saved.positions || {};
    if (Object.keys(positions).length) {
      cy.nodes().forEach((n) => {
        if (positions[n.id()]) n.position(positions[n.id()]);
      });
      cy.fit();
    } else layout(true);
  }

  // The chart's nodes, or the given ids (an analysis answer's calls and payments).
  async function exportAs(format, ids = null, stem = "nitka-chart") {
    const wanted = ids || entityIds();
    if (format === "png") {
      download(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), "nitka-chart.png");
      return;
    }
    const url = `/ui/api/charts/export?format=${format}`;
    let response = await postExport(url, wanted);
    if (response.status === 403) {
      // Data under H2 or H3 leaves only with its provider's permission, named and recorded.
      const refusal = (await response.json()).detail || {};
      if (refusal.field !== "permission") throw new Error(refusal.error || "403");
      const reference = window.prompt(`${refusal.error}\n\n${text.permission}`);
      if (!reference) return;
      response = await postExport(`${url}&permission=${encodeURIComponent(reference)}`, wanted);
    }
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    const name = `${stem}.${format}`;
    download(await response.blob(), name);
  }

  function postExport(url, ids) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ ids }),
    });
  }

  async function save(caseId, name) {
    const positions = {};
    cy.nodes().filter((n) => !n.id().startsWith("group:")).forEach((n) => {
      positions[n.id()] = n.position();
    });
    const response = await postJSON("/ui/api/charts", { case: caseId, name, ids: entityIds(), positions });
    const saved = await response.json();
    say(text.saved.replace("{name}", name));
    return saved;
  }

  cy.on("tap", "node", (event) => {
    const node = event.target;
    if (node.id().startsWith("group:")) return;
    selection.select([node.id()], "chart");
  });
  cy.on("mouseover", "edge", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "edge", (event) => event.target.removeClass("hover"));
  cy.on("mouseover", "node, edge", showTip);
  cy.on("mouseout", "node, edge", () => {
    tip.hidden = true;
  });
  cy.on("viewport", () => {
    tip.hidden = true;
  });
  cy.on("dbltap", "node", (event) => {
    if (!event.target.id().startsWith("group:")) expand([event.target.id()]);
  });
  cy.on("tap", (event) => {
    if (event.target === cy) selection.select([], "chart");
  });

  selection.addEventListener("select", (event) => {
    if (event.detail.from === "chart") return;
    cy.nodes().unselect();
    for (const id of event.detail.ids) cy.getElementById(id).select();
  });
  selection.addEventListener("window", applyWindow);

  // The toolbar.
  const on = (name, handler) => {
    const element = root.querySelector(`[data-action="${name}"]`);
    if (element) element.addEventListener(element.tagName === "SELECT" ? "change" : "click", handler);
  };
  on("expand", () => {
    const ids = cy.nodes(":selected").map((n) => n.id());
    if (ids.length) expand(ids);
  });
  on("path", () => {
    const ids = cy.nodes(":selected").map((n) => n.id());
    if (ids.length === 2) findPath(ids[0], ids[1]);
    else say(text.pickTwo);
  });
  on("group", (event) => {
    grouping = event.target.value;
    regroup();
    layout(true);
  });
  on("layout", () => layout(true));
  on("export", (event) => {
    const format = event.target.value;
    event.target.value = "";
    if (format) exportAs(format);
  });
  on("window", () => {
    const start = root.querySelector('[name="window-start"]').value;
    const end = root.querySelector('[name="window-end"]').value;
    selection.setWindow(start, end, "chart");
  });
  on("save", async () => {
    const caseId = root.querySelector('[name="chart-case"]').value;
    const name = root.querySelector('[name="chart-name"]').value.trim();
    if (!caseId || !name) {
      say(text.saveNeeds);
      return;
    }
    try {
      await save(caseId, name);
    } catch (error) {
      say(String(error));
    }
  });
  const adder = root.querySelector("[data-add]");
  if (adder) {
    adder.addEventListener("submit", (event) => {
      event.preventDefault();
      const id = adder.querySelector("input").value.trim();
      if (id) expand([id]);
    });
  }

  return { cy, expand, findPath, openSaved, exportAs, save, layout, entityIds };
}
