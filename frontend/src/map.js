// The map: Leaflet over a basemap shipped with Nitka (country borders from
// Natural Earth through world-atlas, Ukraine's hromadas from the bundled
// gazetteer); no tile server, so it works on a closed network.
import L from "leaflet";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-50m.json";
import { getJSON } from "./selection.js";

const UKRAINE = [48.5, 31.2];

export function startMap(container, selection, text) {
  const map = L.map(container, { preferCanvas: false, attributionControl: true, zoomControl: true }).setView(UKRAINE, 5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth · KSE / OCHA");
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

  async function show(ids) {
    places.clearLayers();
    markers = new Map();
    if (!ids.length) return [];
    const query = ids.slice(0, 500).map((id) => `id=${encodeURIComponent(id)}`).join("&");
    const found = await getJSON(`/ui/api/places?${query}`);
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
    if (chosen.length) map.fitBounds(L.featureGroup(chosen).getBounds(), { maxZoom: 9, padding: [30, 30] });
    container.dataset.selected = ids.filter((id) => markers.has(id)).join(" ");
  }

  selection.addEventListener("charted", (event) => show(event.detail.ids).then(() => highlight(selection.ids)));
  selection.addEventListener("select", (event) => highlight(event.detail.ids));
  return { map, show, highlight };
}
