// The map: Leaflet over a basemap shipped with Nitka (country borders from
// Natural Earth through world-atlas, Ukraine's hromadas from the bundled
// gazetteer); no tile server, so it works on a closed network. Addresses are
// placed by the server only where their place and country agree; the others
// are listed under the map with the reason.
import L from "leaflet";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-50m.json";
import { getJSON } from "./selection.js";

const UKRAINE = [48.5, 31.2];
const FIT = { padding: [40, 40], maxZoom: 9, animate: false };
// Room around the markers when the map fits them: more than a marker's radius,
// so that none is cut off at the map's edge.

function escapeText(value) {
  const span = document.createElement("span");
  span.textContent = value;
  return span.innerHTML;
}

export function startMap(container, selection, text) {
  const map = L.map(container, { preferCanvas: false, attributionControl: true, zoomControl: true }).setView(UKRAINE, 5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · GeoNames (CC BY 4.0) · KSE / OCHA");
  L.geoJSON(feature(countries, countries.objects.countries), {
    style: { color: "#7f8c8d", weight: 1, fillColor: "#fbfbf8", fillOpacity: 1 },
    interactive: false,
  }).addTo(map);

  const hromadas = L.layerGroup();
  getJSON("/ui/basemap/hromadas.json").then((places) => {
    for (const [name, lat, lon] of places) {
      L.circleMarker([lat, lon], { radius: 1.5, color: "#95a5a6", weight: 1, interactive: true })
        .bindTooltip(name)
        .addTo(hromadas);
    }
  });
  const showHromadas = () => {
    if (map.getZoom() >= 7) hromadas.addTo(map);
    else hromadas.remove();
  };
  map.on("zoomend", showHromadas);

  const places = L.layerGroup().addTo(map);
  let markers = new Map();

  const Unplaced = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      const box = L.DomUtil.create("details", "unplaced");
      box.dataset.unplaced = "";
      box.dataset.testid = "unplaced";
      box.hidden = true;
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    },
  });
  const unplaced = new Unplaced().addTo(map);

  function listUnplaced(left) {
    const box = unplaced.getContainer();
    box.hidden = !left.length;
    const title = (text.notPlaced || "Not on the map ({count}):").replace("{count}", left.length);
    box.innerHTML =
      `<summary>${escapeText(title)}</summary><ul>` +
      left
        .map(
          (u) =>
            `<li data-entity="${escapeText(u.entity)}"><b>${escapeText(u.label)}</b>: ` +
            `${escapeText(u.text)} — <span data-reason="${escapeText(u.reason)}">${escapeText(u.why)}</span></li>`,
        )
        .join("") +
      "</ul>";
    container.dataset.unplaced = String(left.length);
  }

  let latest = 0;

  async function show(ids) {
    // Only the answer to the latest request is drawn: an earlier one that comes
    // back later would add its markers a second time.
    const ticket = ++latest;
    const query = ids.slice(0, 500).map((id) => `id=${encodeURIComponent(id)}`).join("&");
    const found = ids.length ? await getJSON(`/ui/api/places?${query}`) : { places: [], routes: [], unplaced: [] };
    if (ticket !== latest) return found.places;
    places.clearLayers();
    markers = new Map();
    for (const place of found.places) {
      const marker = L.circleMarker([place.lat, place.lon], { radius: 7, color: "#c0392b", weight: 2, fillOpacity: 0.6 })
        .bindTooltip(`${place.label} · ${place.place}`)
        .on("click", () => selection.select([place.entity], "map"))
        .addTo(places);
      marker.getElement()?.setAttribute("data-entity", place.entity);
      if (!markers.has(place.entity)) markers.set(place.entity, []);
      markers.get(place.entity).push(marker);
    }
    for (const route of found.routes) {
      L.polyline(route.points, { color: "#2c3e50", weight: 3, dashArray: "6 4" })
        .bindTooltip(route.label)
        .on("click", () => selection.select([route.entity], "map"))
        .addTo(places);
    }
    applyWindow();
    listUnplaced(found.unplaced || []);
    const layers = places.getLayers();
    if (layers.length) map.fitBounds(L.featureGroup(layers).getBounds(), FIT);
    container.dataset.markers = String(found.places.length);
    container.dataset.entities = [...markers.keys()].join(" ");
    return found.places;
  }

  function highlight(ids) {
    const wanted = new Set(ids);
    for (const [entity, list] of markers) {
      for (const marker of list) {
        marker.setStyle(wanted.has(entity) ? { color: "#f1c40f", radius: 10 } : { color: "#c0392b", radius: 7 });
      }
    }
    const chosen = ids.flatMap((id) => markers.get(id) || []);
    if (chosen.length) map.fitBounds(L.featureGroup(chosen).getBounds(), FIT);
    container.dataset.selected = ids.filter((id) => markers.has(id)).join(" ");
  }

  // Places of nodes with nothing in the time window are hidden (chart's "timeless").
  function applyWindow() {
    let hidden = 0;
    for (const [entity, list] of markers) {
      const outside = selection.outside.has(entity);
      for (const marker of list) {
        if (outside && places.hasLayer(marker)) places.removeLayer(marker);
        if (!outside && !places.hasLayer(marker)) places.addLayer(marker);
        if (outside) hidden += 1;
      }
    }
    container.dataset.hidden = String(hidden);
  }

  selection.addEventListener("timeless", applyWindow);
  selection.addEventListener("charted", (event) => show(event.detail.ids).then(() => highlight(selection.ids)));
  selection.addEventListener("select", (event) => highlight(event.detail.ids));
  return { map, show, highlight };
}
