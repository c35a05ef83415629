// 领导驾驶舱 charts; each chart's numbers are also in the table below it.
(function () {
  "use strict";
  var node = document.getElementById("dash-data");
  if (!node || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(node.textContent);
  var charts = [];

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return;
    }
    var chart = echarts.init(el);
    option.aria = { enabled: true };
    chart.setOption(option);
    charts.push(chart);
  }

  make("chart-months", {
    tooltip: { trigger: "axis" },
    legend: { data: ["受理", "已办结"] },
    grid: { left: 8, right: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: "受理", type: "line", data: data.months.map(function (m) { return m.received; }) },
      { name: "已办结", type: "line", data: data.months.map(function (m) { return m.closed; }) }
    ]
  });

  var cats = data.categories.slice(0, 15);
  var catEl = document.getElementById("chart-categories");
  if (catEl) {
    catEl.style.height = Math.max(200, cats.length * 26 + 40) + "px";
  }
  make("chart-categories", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 24, bottom: 8, top: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true, data: cats.map(function (c) { return c.name; }) },
    series: [{ name: "件数", type: "bar", data: cats.map(function (c) { return c.count; }) }]
  });

  // The towns on the city's map (schematic town areas shipped in static/investment); bubbles at
  // the town seats when the outline cannot be loaded.
  var townEl = document.getElementById("chart-towns");
  var max = Math.max.apply(null, [1].concat(data.towns.map(function (t) { return t.count; })));
  function bubbles() {
    var placed = data.towns.filter(function (t) { return t.latitude !== null && t.longitude !== null; });
    make("chart-towns", {
      tooltip: { formatter: function (p) { return p.data.name + "：" + p.data.value[2] + "件"; } },
      grid: { left: 8, right: 8, bottom: 8, top: 8 },
      xAxis: { type: "value", scale: true, show: false },
      yAxis: { type: "value", scale: true, show: false },
      series: [{
        type: "scatter",
        name: "诉求件数",
        data: placed.map(function (t) { return { name: t.name, value: [t.longitude, t.latitude, t.count] }; }),
        symbolSize: function (v) { return 8 + 32 * Math.sqrt(v[2] / max); },
        label: { show: true, position: "right", fontSize: 11, formatter: function (p) { return p.data.name; } }
      }]
    });
  }
  if (townEl && townEl.dataset.geojson && window.fetch) {
    fetch(townEl.dataset.geojson).then(function (r) { return r.json(); }).then(function (geo) {
      geo.features = geo.features.filter(function (f) { return f.properties.kind === "town"; });
      echarts.registerMap("rongcheng", geo);
      make("chart-towns", {
        tooltip: {
          trigger: "item",
          formatter: function (p) { return p.name + "：" + (p.value || 0) + "件"; }
        },
        visualMap: {
          min: 0, max: max, left: 8, bottom: 8, calculable: false,
          text: ["多", "少"], inRange: { color: ["#e8f1fb", "#1d60b0"] }, itemHeight: 80
        },
        series: [{
          type: "map",
          map: "rongcheng",
          name: "诉求件数",
          roam: false,
          zoom: 1.2,
          aspectScale: 0.8,
          label: { show: true, fontSize: 10, color: "#1f2d3d", formatter: function (p) { return p.name.replace(/(街道|镇)$/, ""); } },
          emphasis: { label: { show: true } },
          data: data.towns.map(function (t) { return { name: t.name, value: t.count }; })
        }]
      });
    }).catch(bubbles);
  } else {
    bubbles();
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
