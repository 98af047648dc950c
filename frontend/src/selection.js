// One selection and one time window shared by the chart, the map and the
// timeline: choosing an entity in one shows it in the others.
export class Selection extends EventTarget {
  constructor() {
    super();
    this.ids = [];
    this.onChart = [];
    this.window = { start: "", end: "" };
    this.outside = new Set();
  }

  select(ids, from) {
    this.ids = [...new Set(ids)];
    this.dispatchEvent(new CustomEvent("select", { detail: { ids: this.ids, from } }));
  }

  charted(ids) {
    this.onChart = [...new Set(ids)];
    this.dispatchEvent(new CustomEvent("charted", { detail: { ids: this.onChart } }));
  }

  // The charted nodes whose every dated link is outside the time window.
  timeless(ids) {
    this.outside = new Set(ids);
    this.dispatchEvent(new CustomEvent("timeless", { detail: { ids: this.outside } }));
  }

  setWindow(start, end, from) {
    this.window = { start: start || "", end: end || "" };
    this.dispatchEvent(new CustomEvent("window", { detail: { ...this.window, from } }));
  }

  // Whether a link dated [first, last] falls in the window (undated links always do).
  inWindow(first, last) {
    const { start, end } = this.window;
    if (!first && !last) return true;
    if (start && (last || first) < start) return false;
    if (end && (first || last) > end + "\uffff") return false;
    return true;
  }
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export async function getJSON(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response;
}

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
