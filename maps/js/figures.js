// Pure helpers of the public figures page (công khai): month ranges, on-time rates and small inline SVG charts.

/** The last `count` months ending with the month of `today`, oldest first: { month: 'yyyy-MM', from, to }. */
export function lastMonths(today, count) {
  const months = [];
  for (let i = count - 1; i >= 0; i--) {
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    const iso = (d) => d.toISOString().slice(0, 10);
    months.push({ month: iso(first).slice(0, 7), from: iso(first), to: iso(last) });
  }
  return months;
}

/** Share of the resolved dossiers resolved on time over all rows, 0..1; null when nothing was resolved. */
export function onTimeRate(rows) {
  const resolved = rows.reduce((sum, r) => sum + r.resolved, 0);
  const onTime = rows.reduce((sum, r) => sum + r.resolvedOnTime, 0);
  return resolved === 0 ? null : onTime / resolved;
}

/** The rows summed over procedures, one total per ward, in the wards' order of first appearance. */
export function totalsByWard(rows) {
  const byWard = new Map();
  for (const r of rows) {
    const t = byWard.get(r.ward) ?? { ward: r.ward, received: 0, resolved: 0, resolvedOnTime: 0, overdue: 0 };
    t.received += r.received;
    t.resolved += r.resolved;
    t.resolvedOnTime += r.resolvedOnTime;
    t.overdue += r.overdue;
    byWard.set(r.ward, t);
  }
  return [...byWard.values()];
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A bar chart as SVG markup: one bar per { label, value } scaled to `max` (the largest value when omitted),
 * a value of null drawn as an empty slot. `format` writes a value above its bar.
 */
export function barChart(bars, { title, max, format = String, width = 360, height = 160 } = {}) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value ?? 0), 1);
  const slot = width / Math.max(bars.length, 1);
  const plot = height - 36;
  const parts = bars.map((b, i) => {
    const x = i * slot + slot * 0.15;
    const w = slot * 0.7;
    const h = b.value == null ? 0 : (b.value / top) * plot;
    const y = 16 + plot - h;
    return `<g><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" class="bar"></rect>`
      + `<text x="${(x + w / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" class="bar-value">${b.value == null ? '—' : escape(format(b.value))}</text>`
      + `<text x="${(x + w / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" class="bar-label">${escape(b.label)}</text></g>`;
  });
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(title)}"><title>${escape(title)}</title>${parts.join('')}</svg>`;
}
