import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barChart, lastMonths, onTimeRate, totalsByWard } from '../js/figures.js';

describe('lastMonths', () => {
  it('gives whole months ending with the current one, across a year end', () => {
    const months = lastMonths(new Date(Date.UTC(2026, 1, 14)), 3);
    assert.deepEqual(months, [
      { month: '2025-12', from: '2025-12-01', to: '2025-12-31' },
      { month: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
    ]);
  });
});

describe('onTimeRate and totalsByWard', () => {
  const rows = [
    { ward: 'a', procedure: 'new-construction', received: 5, resolved: 4, resolvedOnTime: 3, overdue: 1 },
    { ward: 'a', procedure: 'relocation', received: 2, resolved: 0, resolvedOnTime: 0, overdue: 0 },
    { ward: 'b', procedure: 'relocation', received: 1, resolved: 1, resolvedOnTime: 1, overdue: 0 },
  ];

  it('rates on-time resolutions over all rows, and has no rate without resolutions', () => {
    assert.equal(onTimeRate(rows), 0.8);
    assert.equal(onTimeRate([rows[1]]), null);
  });

  it('sums procedures per ward', () => {
    assert.deepEqual(totalsByWard(rows), [
      { ward: 'a', received: 7, resolved: 4, resolvedOnTime: 3, overdue: 1 },
      { ward: 'b', received: 1, resolved: 1, resolvedOnTime: 1, overdue: 0 },
    ]);
  });
});

describe('barChart', () => {
  it('draws one bar per value, escapes labels and shows a dash for no value', () => {
    const svg = barChart([{ label: '<b>', value: 2 }, { label: 'x', value: null }], { title: 'T & U' });
    assert.equal(svg.match(/<rect/g).length, 2);
    assert.ok(svg.includes('&#60;b&#62;'));
    assert.ok(svg.includes('aria-label="T &#38; U"'));
    assert.ok(svg.includes('>—</text>'));
  });
});
