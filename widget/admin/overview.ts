// The console's overview charts (/admin): reads the day-by-day series the page carries as JSON
// (#chart-data) and draws them with uPlot. Built by widget/build-admin.mjs into
// backend/static/admin/overview.js, loaded by the overview page only, never by the widget.

import uPlot from "uplot";

type Values = (number | null)[];

interface Series {
  days: number[];
  conversations: number[];
  messages: number[];
  share: Values;
  errors: number[];
  ttft50: Values;
  ttft95: Values;
  flags: Record<string, number[]>;
}

const COLORS = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#b45309", "#0e7490", "#be185d"];

function draw(key: string, days: number[], lines: [string, Values][]): uPlot | null {
  const target = document.getElementById(`chart-${key}`);
  if (!target) return null;
  const options: uPlot.Options = {
    width: Math.max(300, target.clientWidth || 480),
    height: 220,
    scales: { x: { time: true } },
    series: [
      {},
      ...lines.map(([label], index) => ({
        label,
        stroke: COLORS[index % COLORS.length] ?? "#1d4ed8",
        width: 2,
        spanGaps: false,
      })),
    ],
  };
  const data = [days, ...lines.map(([, values]) => values)] as uPlot.AlignedData;
  return new uPlot(options, data, target);
}

function start(): void {
  const source = document.getElementById("chart-data");
  if (!source?.textContent) return;
  const s = JSON.parse(source.textContent) as Series;
  const flags = Object.entries(s.flags);
  const charts = [
    draw("volume", s.days, [
      ["Conversations", s.conversations],
      ["Messages", s.messages],
    ]),
    draw("share", s.days, [["Thumbs-up share (%)", s.share]]),
    draw("flags", s.days, flags.length ? flags : [["No flags", s.days.map(() => 0)]]),
    draw("ttft", s.days, [
      ["p50 (s)", s.ttft50],
      ["p95 (s)", s.ttft95],
    ]),
    draw("errors", s.days, [["Errors", s.errors]]),
  ];
  addEventListener("resize", () => {
    for (const chart of charts) {
      const box = chart?.root.parentElement;
      if (chart && box) chart.setSize({ width: Math.max(300, box.clientWidth), height: 220 });
    }
  });
  document.body.dataset["charts"] = "ready";
}

start();
