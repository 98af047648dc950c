// Communities of the chart by label propagation: each node takes the label most
// of its neighbours carry, until nothing changes. Deterministic (nodes in id
// order, ties to the smallest label), so the same chart groups the same way.
// name: what the n-th community is called (in the user's language).
export function communities(cy, name = (n) => `community ${n}`, rounds = 20) {
  const nodes = cy.nodes().filter((n) => !n.id().startsWith("group:")).sort((a, b) => (a.id() < b.id() ? -1 : 1));
  const label = new Map(nodes.map((n) => [n.id(), n.id()]));
  for (let round = 0; round < rounds; round++) {
    let changed = false;
    nodes.forEach((node) => {
      const counts = new Map();
      node.connectedEdges().filter((e) => !e.hasClass("outside")).forEach((edge) => {
        const other = edge.source().id() === node.id() ? edge.target() : edge.source();
        const l = label.get(other.id());
        if (l !== undefined) counts.set(l, (counts.get(l) || 0) + 1);
      });
      if (!counts.size) return;
      let best = null;
      let bestCount = -1;
      for (const [l, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (c > bestCount) {
          best = l;
          bestCount = c;
        }
      }
      if (best !== label.get(node.id())) {
        label.set(node.id(), best);
        changed = true;
      }
    });
    if (!changed) break;
  }
  const sizes = new Map();
  for (const l of label.values()) sizes.set(l, (sizes.get(l) || 0) + 1);
  const names = new Map();
  let index = 0;
  for (const [l, size] of [...sizes].sort((a, b) => b[1] - a[1])) {
    if (size > 1) names.set(l, name(++index));
  }
  const grouped = new Map();
  for (const [id, l] of label) if (names.has(l)) grouped.set(id, names.get(l));
  return grouped;
}
