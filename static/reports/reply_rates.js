// Reply-rate bar chart; the table on the page carries the same numbers as text.
(function () {
  "use strict";
  var node = document.getElementById("reply-rate-data");
  var el = document.getElementById("reply-rate-chart");
  if (!node || !el || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(node.textContent);
  el.style.height = Math.max(240, data.labels.length * 48) + "px";
  var chart = echarts.init(el);
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    legend: { data: ["回复率", "按时回复率"] },
    grid: { left: 8, right: 24, bottom: 8, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: data.labels, inverse: true },
    series: [
      { name: "回复率", type: "bar", data: data.reply },
      { name: "按时回复率", type: "bar", data: data.on_time }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
