// ECharts for the decision-support pages. Each chart's numbers are also in the table beside it;
// the data arrives through json_script elements named "<id>-data".
(function () {
  "use strict";
  if (typeof echarts === "undefined") {
    return;
  }
  var palette = ["#0b5cad", "#047857", "#b45309", "#7c3aed", "#be123c", "#0e7490", "#4d7c0f", "#64748b"];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var node = document.getElementById(el.id + "-data");
    if (!node) {
      return;
    }
    var spec = JSON.parse(node.textContent);
    var chart = echarts.init(el);
    var option = { aria: { enabled: true }, color: palette, tooltip: {}, animation: false };
    if (spec.type === "pie") {
      option.tooltip = { trigger: "item" };
      option.legend = { type: "scroll", bottom: 0 };
      option.series = [{
        type: "pie",
        radius: ["35%", "65%"],
        name: spec.series[0].name,
        data: spec.categories.map(function (c, i) { return { name: c, value: spec.series[0].data[i] }; })
      }];
    } else if (spec.type === "map") {
      var max = 1;
      spec.series.forEach(function (s) { s.data.forEach(function (v) { max = Math.max(max, v); }); });
      option.tooltip = { trigger: "item" };
      option.visualMap = { min: 0, max: max, left: 8, bottom: 8, calculable: true, inRange: { color: ["#e0ecf8", "#0b5cad"] } };
      option.series = spec.series.slice(0, 1).map(function (s) {
        return {
          type: "map",
          map: "china",
          name: s.name,
          roam: false,
          label: { show: false },
          data: spec.categories.map(function (c, i) {
            var total = 0;
            spec.series.forEach(function (t) { total += t.data[i]; });
            return { name: c.replace(/(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$/, ""), value: total };
          })
        };
      });
    } else {
      option.tooltip = { trigger: "axis" };
      option.legend = spec.series.length > 1 ? { top: 0 } : undefined;
      option.grid = { left: 8, right: 16, bottom: 8, top: spec.series.length > 1 ? 32 : 16, containLabel: true };
      option.xAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } };
      option.yAxis = { type: "value" };
      option.series = spec.series.map(function (s) {
        return { type: "bar", name: s.name, data: s.data, stack: s.stack || undefined };
      });
    }
    chart.setOption(option);
    el.setAttribute("data-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
