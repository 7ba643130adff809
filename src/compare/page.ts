/** The report as one self-contained HTML page (inline CSS and SVG, no script, no network) and as Markdown. */
import type { CompareData } from './compare.js';
import type { CostLine, OptionCost } from './cost.js';
import { coloursOf, costChart, esc, packingChart, usd } from './svg.js';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#202124}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4}.est{background:#fff3cd;padding:1px 6px;border-radius:4px;font-size:12px}.num{text-align:right}
.mapped{color:#137333}.partial{color:#b06000}.unsupported,.absent{color:#c5221f}.chart{display:block;margin:8px 0 20px;max-width:100%;height:auto}
.scroll{overflow-x:auto}.legend span{margin-right:12px;white-space:nowrap}`;

const money = (n: number): string => usd(n);

function optionRow(o: OptionCost): string {
  return (
    `<tr><td>${esc(o.label)}</td><td>${esc(o.machine ?? '—')}</td><td class="num">${o.nodes ?? '—'}</td>` +
    `<td class="num">${money(o.monthly)} <span class="est">estimate</span></td></tr>`
  );
}

function lineRow(l: CostLine): string {
  return (
    `<tr><td>${esc(l.item)}</td><td class="num">${+l.quantity.toFixed(3)} ${esc(l.unit)}</td><td class="num">${l.unitPrice}</td>` +
    `<td class="num">${money(l.monthly)}</td></tr>`
  );
}

function optionDetails(o: OptionCost): string {
  return (
    `<h3>${esc(o.label)}: ${money(o.monthly)}/month <span class="est">estimate</span></h3>` +
    `<table><tr><th>Item</th><th>Quantity</th><th>Unit price (USD)</th><th>Monthly</th></tr>${o.lines.map(lineRow).join('')}</table>` +
    (o.notes ?? []).map((n) => `<p>${esc(n)}</p>`).join('')
  );
}

/** Who a price comes from: the vendor's list, a third party, or berth's own estimate. */
function sourceKind(tag: string): string {
  if (tag === 'P') return 'vendor';
  return `${tag === 'S' ? 'third party' : 'berth'} <span class="est">estimate</span>`;
}

/** One service of the packing charts' legend: its colour swatch and its name. */
function legendEntry(service: string, colour: string | undefined): string {
  const swatch = `<svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${colour}"/></svg>`;
  return `<span>${swatch} ${esc(service)}</span>`;
}

export function renderHtml(d: CompareData): string {
  const colours = coloursOf(d.workloads.map((w) => w.service));
  const feature = d.features
    .map(
      (f) => `<tr><td>${esc(f.feature)}</td><td class="${f.gkeStatus}">${esc(f.gke)}</td><td class="${f.ecsStatus}">${esc(f.ecs)} (${f.ecsStatus})</td></tr>`,
    )
    .join('');
  const workloads = d.workloads
    .map(
      (w) =>
        `<tr><td>${esc(w.service)}</td><td>${esc(w.kind)}</td><td class="num">${w.replicas}</td><td class="num">${w.cpuMilli}m</td>` +
        `<td class="num">${Math.round(w.memoryMiB)} MiB</td><td class="num">${w.sidecars}</td></tr>`,
    )
    .join('');
  const prices = Object.entries(d.priceSources)
    .map(
      ([k, s]) =>
        `<tr><td>${esc(k)}</td><td class="num">${d.prices[k as keyof typeof d.prices]}</td><td>${esc(s.unit)}</td><td>${esc(s.region)}</td>` +
        `<td>${sourceKind(s.tag)}</td><td>${esc(s.date)}</td><td>${esc(s.source)}</td></tr>`,
    )
    .join('');
  const consistency =
    d.consistency.length === 0
      ? '<p>Both renderings request the same CPU and memory for every service.</p>'
      : `<p><strong>The renderings differ; the comparison is void where they do:</strong></p>` +
        `<ul>${d.consistency.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`;
  const summary =
    `From ${esc(d.generatedFrom)}: ${d.workloads.length} services, ${d.totals.pods} pods, ${d.totals.cpuMilli}m CPU and ` +
    `${Math.round(d.totals.memoryMiB)} MiB requested; ${d.loadBalancing.publicServices} public services. ` +
    'Every dollar figure is an <span class="est">estimate</span> from list prices and requests, not a quote.';
  const legend = d.workloads.map((w) => legendEntry(w.service, colours.get(w.service))).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>berth compare: ${esc(d.environment)} on GKE or ECS</title><style>${STYLE}</style></head><body>
<h1>GKE or ECS? Environment “${esc(d.environment)}”</h1>
<p>${summary}</p>
<h2>Monthly cost</h2>
${costChart(d.options)}
<table><tr><th>Option</th><th>Node type</th><th>Nodes</th><th>Monthly</th></tr>${d.options.map(optionRow).join('')}</table>
<h2>Node packing</h2>
${d.packings.map((p, i) => `<h3>${esc(p.option)}</h3><div class="scroll">${packingChart(p, `packing-chart-${i}`, colours)}</div>`).join('\n')}
<p class="legend">${legend}</p>
<h2>Features, point by point</h2>
<table><tr><th>Feature</th><th>GKE rendering</th><th>ECS rendering</th></tr>${feature}</table>
<h2>Cost lines</h2>
${d.options.map(optionDetails).join('\n')}
<h2>Services</h2>
<table><tr><th>Service</th><th>Kind</th><th>Pods</th><th>CPU / pod</th><th>Memory / pod</th><th>Sidecars</th></tr>${workloads}</table>
<h2>Same requests on both sides</h2>
${consistency}
<h2>Assumptions</h2>
<ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>
<h2>Prices</h2>
<div class="scroll"><table><tr><th>Key</th><th>USD</th><th>Unit</th><th>Region</th><th>Source type</th><th>Date</th><th>Source</th></tr>${prices}</table></div>
</body></html>
`;
}

export function renderMarkdown(d: CompareData): string {
  const out = [
    `# GKE or ECS? Environment "${d.environment}"`,
    '',
    `From ${d.generatedFrom}: ${d.workloads.length} services, ${d.totals.pods} pods, ` +
      `${d.totals.cpuMilli}m CPU and ${Math.round(d.totals.memoryMiB)} MiB requested; ${d.loadBalancing.publicServices} public services. ` +
      `All costs are estimates (list prices, requests not usage).`,
    '',
    '## Monthly cost (estimate)',
    '',
    '| Option | Node type | Nodes | Monthly |',
    '|---|---|---|---|',
    ...d.options.map((o) => `| ${o.label} | ${o.machine ?? '—'} | ${o.nodes ?? '—'} | ${money(o.monthly)} |`),
    '',
    '## Features, point by point',
    '',
    '| Feature | GKE rendering | ECS rendering |',
    '|---|---|---|',
    ...d.features.map((f) => `| ${f.feature} | ${f.gke} | ${f.ecs} (${f.ecsStatus}) |`),
    '',
    '## Cost lines',
    '',
    ...d.options.flatMap((o) => [
      `### ${o.label}: ${money(o.monthly)}/month`,
      '',
      '| Item | Quantity | Unit price | Monthly |',
      '|---|---|---|---|',
      ...o.lines.map((l) => `| ${l.item} | ${+l.quantity.toFixed(3)} ${l.unit} | ${l.unitPrice} | ${money(l.monthly)} |`),
      '',
      ...(o.notes ?? []).flatMap((n) => [n, '']),
    ]),
    '## Same requests on both sides',
    '',
    ...(d.consistency.length === 0 ? ['Both renderings request the same CPU and memory for every service.'] : d.consistency.map((c) => `- ${c}`)),
    '',
    '## Assumptions',
    '',
    ...d.notes.map((n) => `- ${n}`),
    '',
    '## Prices',
    '',
    '| Key | USD | Unit | Region | Tag | Date | Source |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(d.priceSources).map(
      ([k, s]) => `| ${k} | ${d.prices[k as keyof typeof d.prices]} | ${s.unit} | ${s.region} | ${s.tag} | ${s.date} | ${s.source} |`,
    ),
    '',
  ];
  return out.join('\n');
}
