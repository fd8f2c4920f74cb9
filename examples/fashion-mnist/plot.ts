// Loss and accuracy curves as one SVG: two panels side by side, a line per series, axes with a few
// ticks. Hand-written SVG, no plotting library.

export interface Series {
  name: string;
  values: number[];
  color: string;
}

export interface Panel {
  title: string;
  series: Series[];
  /** format of the y tick labels */
  format?: (v: number) => string;
}

const W = 420;
const H = 300;
const M = { left: 55, right: 15, top: 30, bottom: 40 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function panelSvg(panel: Panel, dx: number): string {
  const all = panel.series.flatMap((s) => s.values).filter(Number.isFinite);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.08;
  [lo, hi] = [lo - pad, hi + pad];
  const n = Math.max(2, ...panel.series.map((s) => s.values.length));
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (i: number) => dx + M.left + (pw * i) / (n - 1);
  const y = (v: number) => M.top + ph * (1 - (v - lo) / (hi - lo));
  const fmt = panel.format ?? ((v: number) => v.toFixed(3));
  const parts: string[] = [];
  parts.push(`<text x="${dx + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`);
  parts.push(`<rect x="${dx + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = lo + ((hi - lo) * t) / 4;
    parts.push(`<line x1="${dx + M.left}" x2="${dx + M.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${dx + M.left - 5}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(fmt(v))}</text>`);
  }
  for (let i = 0; i < n; i++) parts.push(`<text x="${x(i).toFixed(1)}" y="${H - M.bottom + 15}" text-anchor="middle">${i + 1}</text>`);
  parts.push(`<text x="${dx + M.left + pw / 2}" y="${H - 8}" text-anchor="middle">epoch</text>`);
  panel.series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of s.values.map((v, i) => [x(i), y(v)])) parts.push(`<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = M.top + 15 + 16 * k;
    parts.push(`<line x1="${dx + M.left + 10}" x2="${dx + M.left + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${dx + M.left + 35}" y="${ly}">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** An SVG document with the panels side by side. */
export function curvesSvg(panels: Panel[]): string {
  const body = panels.map((p, i) => panelSvg(p, i * W)).join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H}" font-family="sans-serif" font-size="11">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`
  );
}
