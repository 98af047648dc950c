// The link chart: Cytoscape.js with the fCoSE force layout.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { csrfToken, download, getJSON, postJSON } from "./selection.js";
import { communities } from "./communities.js";

cytoscape.use(fcose);

const SHAPES = {
  Person: "ellipse",
  LegalEntity: "ellipse",
  Company: "round-rectangle",
  Organization: "round-rectangle",
  BankAccount: "rhomboid",
  Phone: "round-tag",
  Passport: "rectangle",
  Identification: "rectangle",
  Vehicle: "hexagon",
  Address: "diamond",
  Sanction: "tag",
};
const CATEGORY_COLOURS = {
  suspect: "#c0392b",
  convicted: "#7b1d1d",
  victim: "#6a3d9a",
  witness: "#1b7f79",
  informant: "#444444",
  contact: "#d68910",
  other: "#5d6d7e",
};

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "font-size": 10,
      "text-valign": "bottom",
      "text-margin-y": 3,
      "text-wrap": "ellipsis",
      "text-max-width": 120,
      "min-zoomed-font-size": 8,
      width: 26,
      height: 26,
      shape: (n) => SHAPES[n.data("schema")] || "ellipse",
      "background-color": (n) => CATEGORY_COLOURS[n.data("category")] || "#5d6d7e",
    },
  },
  { selector: "node[schema = 'Phone']", style: { "background-color": "#2e86c1", width: 18, height: 18 } },
  { selector: "node[?protected]", style: { "border-width": 3, "border-style": "dashed", "border-color": "#6a3d9a" } },
  { selector: "node:parent", style: { "background-opacity": 0.06, "background-color": "#1f5fae", label: "data(label)", "text-valign": "top", shape: "round-rectangle" } },
  { selector: "node:selected", style: { "border-width": 4, "border-color": "#f1c40f" } },
  {
    selector: "edge",
    style: {
      width: (e) => Math.min(1 + Math.log2(e.data("count") || 1), 8),
      "line-color": "#95a5a6",
      "target-arrow-color": "#95a5a6",
      "target-arrow-shape": "triangle",
      "curve-style": "bezier",
      label: "data(caption)",
      "font-size": 8,
      "min-zoomed-font-size": 10,
      "text-rotation": "autorotate",
      color: "#555",
    },
  },
  { selector: "edge[schema = 'Call']", style: { "line-style": "dashed", "line-color": "#2e86c1", "target-arrow-color": "#2e86c1" } },
  { selector: "edge[schema = 'Payment']", style: { "line-color": "#27ae60", "target-arrow-color": "#27ae60" } },
  { selector: "edge[schema = 'Family'], edge[schema = 'Associate']", style: { "line-color": "#8e44ad", "target-arrow-shape": "none" } },
  { selector: "node.path", style: { "border-color": "#f39c12", "border-width": 5 } },
  { selector: "edge.path", style: { "line-color": "#f39c12", "target-arrow-color": "#f39c12", width: 5 } },
  { selector: ".outside", style: { display: "none" } },
  { selector: ".faded", style: { opacity: 0.25 } },
];

function edgeCaption(edge) {
  // kind: the link's kind in the user's language (the server's model labels).
  const parts = [edge.kind || edge.label];
  if (edge.count > 1) parts.push(`×${edge.count}`);
  if (edge.amount) parts.push(`${edge.amount} ${edge.currency || ""}`.trim());
  return parts.join(" ");
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

  function entityIds() {
    return cy.nodes().filter((n) => !n.id().startsWith("group:")).map((n) => n.id());
  }

  function layout(fit = true) {
    const visible = cy.elements(":visible");
    const options = { name: "fcose", quality: "default", randomize: visible.length > 2, animate: false, fit, nodeRepulsion: 6000, idealEdgeLength: 80, numIter: 1500 };
    cy.layout(options).run();
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

  async function expand(ids) {
    const query = ids.map((id) => `id=${encodeURIComponent(id)}`).join("&");
    say(text.loading);
    const graph = await getJSON(`/ui/api/graph/expand?${query}`);
    const added = add(graph);
    layout(true);
    return added;
  }

  async function findPath(from, to) {
    say(text.searching);
    const found = await getJSON(`/ui/api/graph/path?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    cy.elements().removeClass("path");
    if (!found.nodes.length) {
      say(text.noPath);
      return [];
    }
    add(found);
    layout(true);
    const ids = [...found.nodes.map((n) => n.id), ...found.edges.map((e) => e.id)];
    for (const id of ids) cy.getElementById(id).addClass("path");
    say(text.pathFound.replace("{links}", found.edges.length));
    return found.nodes.map((n) => n.id);
  }

  function applyWindow() {
    cy.batch(() => {
      cy.edges().forEach((e) => {
        e.toggleClass("outside", !selection.inWindow(e.data("first"), e.data("last")));
      });
    });
  }

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
    add(saved.graph);
    const positions = saved.positions || {};
    if (Object.keys(positions).length) {
      cy.nodes().forEach((n) => {
        if (positions[n.id()]) n.position(positions[n.id()]);
      });
      cy.fit();
    } else layout(true);
  }

  async function exportAs(format) {
    if (format === "png") {
      download(cy.png({ full: true, scale: 2, bg: "#ffffff", output: "blob" }), "nitka-chart.png");
      return;
    }
    const url = `/ui/api/charts/export?format=${format}`;
    let response = await postExport(url);
    if (response.status === 403) {
      // Data under H2 or H3 leaves only with its provider's permission, named and recorded.
      const refusal = (await response.json()).detail || {};
      if (refusal.field !== "permission") throw new Error(refusal.error || "403");
      const reference = window.prompt(`${refusal.error}\n\n${text.permission}`);
      if (!reference) return;
      response = await postExport(`${url}&permission=${encodeURIComponent(reference)}`);
    }
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    const name = format === "graphml" ? "nitka-chart.graphml" : "nitka-chart.anx";
    download(await response.blob(), name);
  }

  function postExport(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ ids: entityIds() }),
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
  cy.on("mouseover", "node", (event) => {
    const kind = event.target.data("kind");
    container.title = kind ? `${kind}: ${event.target.data("label")}` : "";
  });
  cy.on("mouseout", "node", () => {
    container.title = "";
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
