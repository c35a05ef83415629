// Gantt-style chart of a project's items: plan (upper bar) against actual and predicted (lower
// bar), with today and the predicted completion as vertical lines. The table on the page carries
// the same information as text; on a phone the chart scrolls sideways.
(function () {
  "use strict";
  var node = document.getElementById("project-gantt-data");
  var el = document.getElementById("project-gantt");
  if (!node || !el || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(node.textContent);
  var DAY = 86400000;
  function t(iso) { return iso ? new Date(iso + "T00:00:00+08:00").getTime() : null; }
  var today = t(data.today);
  var names = data.items.map(function (item) { return item.name; });
  var planned = [], actual = [], predicted = [];
  data.items.forEach(function (item, i) {
    if (item.planned[0]) {
      planned.push({ value: [i, t(item.planned[0]), t(item.planned[1]) + DAY], item: item });
    }
    if (item.actual[0]) {
      var done = !!item.actual[1];
      actual.push({
        value: [i, t(item.actual[0]), done ? t(item.actual[1]) + DAY : Math.max(today, t(item.actual[0])) + DAY],
        item: item, done: done
      });
    }
    if (item.predicted) {
      predicted.push({ value: [i, t(item.predicted[0]), t(item.predicted[1]) + DAY], item: item });
    }
  });
  function bar(upper, color) {
    return function (params, api) {
      var start = api.coord([api.value(1), api.value(0)]);
      var end = api.coord([api.value(2), api.value(0)]);
      var band = api.size([0, 1])[1] * 0.36;
      var y = upper ? start[1] - band : start[1];
      var fill = typeof color === "function" ? color(params.dataIndex) : color;
      return {
        type: "rect",
        shape: echarts.graphic.clipRectByRect(
          { x: start[0], y: y, width: Math.max(end[0] - start[0], 2), height: band },
          { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
        ),
        style: api.style({ fill: fill })
      };
    };
  }
  function fmt(ms) { return echarts.time.format(ms, "{yyyy}-{MM}-{dd}", false); }
  function tip(params) {
    var v = params.value;
    return params.marker + params.seriesName + "：" + params.data.item.name + "<br>" +
      fmt(v[1]) + " 至 " + fmt(v[2] - DAY) + "（" + params.data.item.status + "）";
  }
  var lines = [{ name: "今天", xAxis: today }];
  if (data.predicted_completion) {
    lines.push({ name: "预计完成", xAxis: t(data.predicted_completion) + DAY });
  }
  el.style.height = Math.max(260, names.length * 40 + 90) + "px";
  var chart = echarts.init(el);
  chart.setOption({
    aria: { enabled: true, label: { description: document.getElementById("chart-desc").textContent } },
    animation: false,
    tooltip: { trigger: "item", formatter: function (p) { return p.data && p.data.item ? tip(p) : p.name; } },
    grid: { left: 8, right: 64, top: 28, bottom: 28, containLabel: true },
    xAxis: {
      type: "time", position: "top",
      axisLabel: { formatter: "{MM}-{dd}", hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: "#eef1f5" } }
    },
    yAxis: { type: "category", data: names, inverse: true, axisTick: { show: false } },
    series: [
      {
        name: "计划", type: "custom", renderItem: bar(true, "#c5d4ea"),
        encode: { x: [1, 2], y: 0 }, data: planned, tooltip: { formatter: tip }
      },
      {
        name: "预计", type: "custom", renderItem: bar(false, "rgba(245,159,0,0.55)"),
        encode: { x: [1, 2], y: 0 }, data: predicted, tooltip: { formatter: tip }
      },
      {
        name: "实际", type: "custom",
        renderItem: bar(false, function (i) { return actual[i].done ? "#2fb344" : "#206bc4"; }),
        encode: { x: [1, 2], y: 0 }, data: actual, tooltip: { formatter: tip }
      },
      {
        name: "标记", type: "line", data: [], silent: true,
        markLine: {
          symbol: "none", silent: true,
          label: { formatter: "{b}", position: "end" },
          lineStyle: { color: "#d63939", type: "dashed" },
          data: lines
        }
      }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
