// The investment maps (Leaflet): the city outline and schematic town areas shipped with the site,
// optional tiles from MAP_TILE_URL, and points. Everything shown here is also in a table on the
// page; data arrives through json_script (no inline script, CSP).
(function () {
  "use strict";
  var node = document.getElementById("invest-map-data");
  var el = document.getElementById("invest-map");
  if (!node || !el || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(node.textContent);
  var map = L.map(el, { scrollWheelZoom: false, attributionControl: true, zoomSnap: 0.25 });
  map.setView(data.center, 10);
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution || "", maxZoom: 18 }).addTo(map);
  } else {
    el.classList.add("invest-map-plain");
  }
  var colours = { park: "#0b5cad", asset: "#b45309", enterprise: "#047857" };
  var counts = data.towns || null;
  var maxCount = 0;
  if (counts) {
    Object.keys(counts).forEach(function (k) { maxCount = Math.max(maxCount, counts[k]); });
  }
  function townStyle(feature) {
    var n = counts ? counts[feature.properties.code] || 0 : 0;
    var share = maxCount ? n / maxCount : 0;
    return {
      color: "#64748b",
      weight: 1,
      dashArray: "3 3",
      fillColor: "#0b5cad",
      fillOpacity: counts ? 0.05 + 0.45 * share : 0.04
    };
  }
  var bounds = null;
  fetch(data.outline, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (geo) {
      var city = geo.features.filter(function (f) { return f.properties.kind === "city"; });
      var towns = geo.features.filter(function (f) { return f.properties.kind === "town"; });
      var townLayer = L.geoJSON({ type: "FeatureCollection", features: towns }, {
        style: townStyle,
        onEachFeature: function (feature, layer) {
          var label = feature.properties.name;
          if (counts) {
            label += "：" + (counts[feature.properties.code] || 0);
          }
          layer.bindTooltip(label, { sticky: true });
        }
      }).addTo(map);
      var cityLayer = L.geoJSON({ type: "FeatureCollection", features: city }, {
        style: { color: "#1e3a5f", weight: 2, fill: false }
      }).addTo(map);
      bounds = cityLayer.getBounds();
      if (!data.points.length || data.points.length > 1) {
        map.fitBounds(bounds, { padding: [8, 8], animate: false });
      }
      L.control.layers(null, (function () {
        var layers = {};
        layers[data.labels.outline] = cityLayer;
        layers[data.labels.towns] = townLayer;
        return layers;
      })(), { collapsed: true }).addTo(map);
      el.setAttribute("data-ready", "1");
    })
    .catch(function () { el.setAttribute("data-ready", "error"); });
  data.points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lng], {
      radius: p.kind === "enterprise" ? 4 : 7,
      color: "#fff",
      weight: 1,
      fillColor: colours[p.kind] || "#334155",
      fillOpacity: 0.9
    }).addTo(map);
    var box = document.createElement("div");
    var title = document.createElement(p.url ? "a" : "strong");
    title.textContent = p.name;
    if (p.url) {
      title.href = p.url;
    }
    box.appendChild(title);
    if (p.detail) {
      var detail = document.createElement("div");
      detail.textContent = p.detail;
      box.appendChild(detail);
    }
    marker.bindPopup(box);
  });
  if (data.points.length === 1) {
    map.setView([data.points[0].lat, data.points[0].lng], 11);
  }
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "invest-legend");
    var kinds = {};
    data.points.forEach(function (p) { kinds[p.kind] = true; });
    Object.keys(kinds).forEach(function (k) {
      var row = document.createElement("div");
      var dot = document.createElement("span");
      dot.className = "invest-dot invest-dot-" + k;
      row.appendChild(dot);
      row.appendChild(document.createTextNode(data.labels[k] || k));
      div.appendChild(row);
    });
    return div;
  };
  if (data.points.length) {
    legend.addTo(map);
  }
})();
