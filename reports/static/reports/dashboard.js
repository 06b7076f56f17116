/* Dashboard chart: excellent share and deduction rate side by side (ECharts, Chinese locale). */
(function () {
  var el = document.getElementById("dashboard-chart");
  var dataEl = document.getElementById("dashboard-chart-data");
  if (!el || !dataEl || !window.echarts) { return; }
  var data = JSON.parse(dataEl.textContent);
  var chart = window.echarts.init(el, null, { locale: "ZH", renderer: "svg" });
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: data.series_names },
    grid: { left: 48, right: 24, top: 40, bottom: 48 },
    xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 8 ? 30 : 0 } },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: [
      { name: data.series_names[0], type: "bar", data: data.excellent_share, itemStyle: { color: "#b3261e" } },
      { name: data.series_names[1], type: "bar", data: data.deduction_rate, itemStyle: { color: "#0b57d0" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
