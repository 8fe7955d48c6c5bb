/* Leaders' dashboards: draws each chart from the data the page carries (a <script type="application/json"> per
   chart, built by lvzhi/dashboards/charts.py) with the ECharts served from /static/vendor/echarts/. The figures are
   also in each chart's table and summary; this script only draws them, saves a chart as PNG and follows a click
   on a unit to its cases. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var screen = document.body.classList.contains("dash-screen");
  var font = screen ? 18 : 12;
  var charts = [];

  function isPct(name) { return /%|％/.test(name); }

  function axisChart(spec) {
    var counts = spec.series.filter(function (s) { return !isPct(s.name); });
    var rates = spec.series.filter(function (s) { return isPct(s.name); });
    var series = counts.map(function (s) {
      return { name: s.name, type: spec.kind === "line" ? "bar" : "bar", data: s.data,
               stack: spec.kind === "stack" ? "all" : undefined };
    }).concat(rates.map(function (s) {
      return { name: s.name, type: "line", yAxisIndex: counts.length ? 1 : 0, data: s.data, connectNulls: false,
               label: { show: true, formatter: "{c}%", fontSize: font } };
    }));
    var yAxes = [{ type: "value", axisLabel: { fontSize: font } }];
    if (counts.length && rates.length) { yAxes.push({ type: "value", max: 100, axisLabel: { formatter: "{value}%", fontSize: font } }); }
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0, textStyle: { fontSize: font } },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: spec.categories, axisLabel: { fontSize: font, interval: 0, rotate: spec.categories.length > 6 ? 30 : 0 } },
      yAxis: yAxes,
      series: series
    };
  }

  function hbarChart(spec) {
    var s = spec.series[0];
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 40, bottom: 8, top: 8, containLabel: true },
      xAxis: { type: "value", max: spec.percent ? 100 : null, axisLabel: { fontSize: font } },
      yAxis: { type: "category", inverse: true, data: spec.categories, axisLabel: { fontSize: font } },
      series: [{ name: s.name, type: "bar", data: s.data, label: { show: true, position: "right", fontSize: font,
                 formatter: spec.percent ? "{c}%" : "{c}" } }]
    };
  }

  function pieLike(spec, type) {
    var s = spec.series[0];
    var data = spec.categories.map(function (c, i) { return { name: c, value: s.data[i] }; });
    var one = { name: s.name, type: type, data: data, label: { fontSize: font } };
    if (type === "funnel") { one.sort = "none"; one.left = "10%"; one.width = "80%"; one.label = { show: true, position: "inside", formatter: "{b}: {c}", fontSize: font }; }
    else { one.radius = ["35%", "65%"]; one.label.formatter = "{b}: {c} ({d}%)"; }
    return { tooltip: { trigger: "item" }, series: [one] };
  }

  function heatmap(spec) {
    var data = [];
    spec.series.forEach(function (s, y) { s.data.forEach(function (v, x) { data.push([x, y, v === null ? "-" : v]); }); });
    return {
      tooltip: { position: "top" },
      grid: { left: 8, right: 8, bottom: 48, top: 8, containLabel: true },
      xAxis: { type: "category", data: spec.columns, axisLabel: { fontSize: font } },
      yAxis: { type: "category", inverse: true, data: spec.categories, axisLabel: { fontSize: font } },
      visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#c62828", "#ffeb3b", "#2e7d32"] } },
      series: [{ type: "heatmap", data: data, label: { show: true, fontSize: font - 2 } }]
    };
  }

  function option(spec) {
    var o;
    if (spec.kind === "funnel" || spec.kind === "pie") { o = pieLike(spec, spec.kind); }
    else if (spec.kind === "hbar") { o = hbarChart(spec); }
    else if (spec.kind === "heatmap") { o = heatmap(spec); }
    else { o = axisChart(spec); }
    o.animation = false;
    o.textStyle = { fontSize: font };
    if (screen) { o.backgroundColor = "transparent"; }
    return o;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, screen ? "dark" : null, { renderer: "canvas" });
    chart.setOption(option(spec));
    chart.on("click", function (p) {
      var link = spec.links && spec.links[p.dataIndex];
      if (link) { window.location.href = link; }
    });
    el.setAttribute("data-rendered", "1");
    charts.push({ id: el.getAttribute("data-chart"), name: el.getAttribute("data-name"), chart: chart });
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.chart.resize(); }); });

  document.querySelectorAll("[data-png]").forEach(function (button) {
    button.addEventListener("click", function () {
      var id = button.getAttribute("data-png");
      var found = charts.filter(function (c) { return c.id === id; })[0];
      if (!found) { return; }
      var link = document.createElement("a");
      link.href = found.chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: screen ? "#0b1a2e" : "#fff" });
      link.download = found.name + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  });
})();
