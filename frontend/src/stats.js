// The statistics page's charts, drawn by Chart.js from the figures each canvas
// carries in data-chart (labels, and one series per column; null is a suppressed
// cell, left as a gap). Only the parts of Chart.js a bar chart needs are bundled.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COLOURS = ["#1f5f8b", "#c0392b", "#7f8c8d", "#27ae60", "#8e44ad", "#d35400"];

export function startStatCharts(root) {
  for (const canvas of root.querySelectorAll("canvas[data-nitka-stat-chart]")) {
    const figures = JSON.parse(canvas.dataset.chart);
    const stacked = canvas.dataset.stacked === "true";
    const chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: figures.labels,
        datasets: figures.series.map((series, i) => ({
          label: series.label,
          data: series.values,
          backgroundColor: COLOURS[i % COLOURS.length],
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked },
          y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    canvas.dataset.drawn = String(chart.data.datasets.length);
  }
}
