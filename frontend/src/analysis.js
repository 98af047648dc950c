// The Analysis panel: any query of the server's table (web/analysis_table.py) on
// the chosen case or the chart's selected numbers; the answer as a table, opened
// in the chart (and so in the timeline and the map), or exported through the
// chart's export (audited, with the H2/H3 gate).
import { getJSON } from "./selection.js";

const MOST_IDS = 500;

function cell(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cell).join(value.every((v) => typeof v !== "object") ? ", " : "; ");
  if (typeof value === "object") return Object.entries(value).map(([k, v]) => `${k}: ${cell(v)}`).join(", ");
  return String(value);
}

function fill(table, rows) {
  table.replaceChildren();
  if (!rows.length) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const head = table.createTHead().insertRow();
  for (const name of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const name of columns) tr.insertCell().textContent = cell(row[name]);
  }
}

export function startAnalysis(panel, chart, selection, text) {
  const form = panel.querySelector("[data-analysis-form]");
  const chooser = panel.querySelector("[data-analysis-query]");
  const table = panel.querySelector("[data-analysis-results]");
  const status = panel.querySelector("[data-analysis-status]");
  const opener = panel.querySelector("[data-analysis-open]");
  const exporter = panel.querySelector("[data-analysis-export]");
  let answer = { rows: [], ids: [] };

  const say = (message) => {
    status.textContent = message;
  };

  function current() {
    return panel.querySelector(`[data-analysis-params="${CSS.escape(chooser.value)}"]`);
  }

  function choose() {
    for (const fieldset of panel.querySelectorAll("[data-analysis-params]")) {
      const shown = fieldset.dataset.analysisParams === chooser.value;
      fieldset.hidden = !shown;
      fieldset.disabled = !shown;
    }
  }

  // The chart's selected nodes as numbers or accounts: a phone node's number, any
  // other node's label (an account's number is its label).
  function selectedNumbers() {
    return chart.cy.nodes(":selected").filter((n) => !n.id().startsWith("group:"))
      .map((n) => (n.id().startsWith("phone:") ? n.id().slice(6) : n.data("label")));
  }

  async function run() {
    const params = new URLSearchParams();
    for (const field of current().querySelectorAll("input, select")) {
      if (field.value.trim()) params.append(field.name, field.value.trim());
    }
    say(text.running);
    opener.disabled = exporter.disabled = true;
    try {
      answer = await getJSON(`/ui/api/analysis/${chooser.value}?${params}`);
    } catch (error) {
      answer = { rows: [], ids: [] };
      fill(table, []);
      say(refusal(error));
      return;
    }
    fill(table, answer.rows);
    table.dataset.rows = String(answer.rows.length);
    say(answer.rows.length ? text.rows.replace("{rows}", answer.rows.length) : text.noRows);
    opener.disabled = exporter.disabled = !answer.ids.length;
  }

  function refusal(error) {
    const body = String(error.message || error).replace(/^\d+ /, "");
    try {
      const detail = JSON.parse(body).detail;
      if (detail && detail.error) return detail.field ? `${detail.field}: ${detail.error}` : detail.error;
    } catch {
      // not JSON: the message as it is
    }
    return body;
  }

  async function open() {
    const ids = answer.ids.slice(0, MOST_IDS);
    if (!ids.length) {
      say(text.nothingToOpen);
      return;
    }
    await chart.expand(ids);
    let message = text.opened.replace("{ids}", ids.length);
    if (answer.ids.length > ids.length) message += " " + text.tooMany.replace("{shown}", ids.length).replace("{ids}", answer.ids.length);
    say(message);
  }

  chooser.addEventListener("change", choose);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  panel.querySelector("[data-analysis-selected]").addEventListener("click", () => {
    const numbers = selectedNumbers();
    if (!numbers.length) return;
    const fields = [...current().querySelectorAll("[data-numbers]")];
    if (fields.length === 1) fields[0].value = numbers.join(" ");
    else fields.forEach((field, index) => {
      if (numbers[index]) field.value = numbers[index];
    });
  });
  opener.addEventListener("click", open);
  exporter.addEventListener("change", async () => {
    const format = exporter.value;
    exporter.value = "";
    if (format) await chart.exportAs(format, answer.ids.slice(0, 5000), `nitka-${chooser.value.replace("/", "-")}`);
  });
  choose();
  selection.addEventListener("charted", () => {
    panel.dataset.charted = String(chart.cy.nodes().length);
  });
  return { run, open, choose };
}
