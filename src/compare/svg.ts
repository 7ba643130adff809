/** Inline SVG pictures for the report: readable without JavaScript, each with an accessible <title>. */
import type { OptionCost } from './cost.js';
import type { PackingView } from './compare.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** A colour per service, by its position in `services` (distinct for the first ten, then repeating). */
/** The opening tag of a chart: its id, size and the title (`<id>-title`) that labels it. */
function svgOpen(id: string, width: number, height: number): string {
  const size = `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="chart" role="img" aria-labelledby="${id}-title" ${size}>`;
}

export function coloursOf(services: readonly string[]): ReadonlyMap<string, string> {
  return new Map(services.map((s, i) => [s, PALETTE[i % PALETTE.length]]));
}

/** Horizontal bars: one per option, its estimated monthly total. */
export function costChart(options: readonly OptionCost[], id = 'cost-chart'): string {
  const width = 760;
  const labelW = 230;
  const barH = 28;
  const height = options.length * (barH + 12) + 20;
  const max = Math.max(...options.map((o) => o.monthly), 1);
  const bars = options.map((o, i) => {
    const y = 10 + i * (barH + 12);
    const w = Math.max(2, Math.round(((width - labelW - 110) * o.monthly) / max));
    return (
      `<g><title>${esc(`${o.label}: ${usd(o.monthly)} per month (estimate)`)}</title>` +
      `<text x="${labelW - 8}" y="${y + barH / 2 + 5}" text-anchor="end" font-size="14">${esc(o.label)}</text>` +
      `<rect x="${labelW}" y="${y}" width="${w}" height="${barH}" fill="${o.id.startsWith('gke') ? '#4285f4' : o.id === 'legacy' ? '#9e9e9e' : '#ff9900'}"/>` +
      `<text x="${labelW + w + 6}" y="${y + barH / 2 + 5}" font-size="14">${esc(usd(o.monthly))}</text></g>`
    );
  });
  return svgOpen(id, width, height) + `<title id="${id}-title">Estimated monthly cost per option, USD</title>${bars.join('')}</svg>`;
}

/** Nodes as columns, pods as blocks whose height is their memory request (share of the node's capacity). */
export function packingChart(p: PackingView, id: string, colours: ReadonlyMap<string, string>, maxColumns = 80): string {
  const shown = p.nodes.slice(0, maxColumns);
  const colW = shown.length > 40 ? 10 : shown.length > 15 ? 24 : 48;
  const gap = 6;
  const plotH = 240;
  const width = Math.max(640, 20 + shown.length * (colW + gap));
  const height = plotH + 50;
  const cols = shown.map((n, i) => {
    const x = 10 + i * (colW + gap);
    let y = 10 + plotH;
    const blocks = n.pods.map((pod) => {
      const h = Math.max(1, (pod.memoryMiB / p.capacity.memoryMiB) * plotH);
      y -= h;
      return (
        `<rect x="${x}" y="${y.toFixed(1)}" width="${colW}" height="${h.toFixed(1)}" fill="${colours.get(pod.service) ?? '#777'}" stroke="#fff" ` +
        `stroke-width="0.5"><title>${esc(`${pod.service} #${pod.replica}: ${Math.round(pod.memoryMiB)} MiB, ${pod.cpuMilli}m CPU`)}</title></rect>`
      );
    });
    const used = Math.round((n.memoryMiB / p.capacity.memoryMiB) * 100);
    return (
      `<g><title>${esc(`node ${i + 1}: ${n.pods.length} pods, ${used}% of memory, ${Math.round((n.cpuMilli / p.capacity.cpuMilli) * 100)}% of CPU`)}</title>` +
      `<rect x="${x}" y="10" width="${colW}" height="${plotH}" fill="#f1f3f4" stroke="#999"/>${blocks.join('')}</g>`
    );
  });
  const more = p.nodes.length > shown.length ? ` (first ${shown.length} of ${p.nodes.length} shown)` : '';
  const title = `${p.option}: ${p.nodes.length} × ${p.machine}, pods stacked by memory request${more}`;
  const caption = `${p.nodes.length} nodes × ${p.machine} (${Math.round(p.capacity.memoryMiB)} MiB, ${p.capacity.cpuMilli}m for pods each)${more}`;
  return (
    svgOpen(id, width, height) +
    `<title id="${id}-title">${esc(title)}</title>${cols.join('')}` +
    `<text x="10" y="${plotH + 35}" font-size="13">${esc(caption)}</text></svg>`
  );
}
