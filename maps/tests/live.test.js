import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertText, chartPath, clampBounds, sitesCollection, withStatus } from '../js/live.js';

const summary = (id, status) => ({ id, status, permitNumber: `GP-${id}`, ward: '26734', lon: 106.7, lat: 10.77 });

describe('sites', () => {
  it('makes one point per site with its status', () => {
    const collection = sitesCollection([summary('a', 'ok'), summary('b', 'violation')]);
    assert.equal(collection.features.length, 2);
    assert.deepEqual(collection.features[1].geometry.coordinates, [106.7, 10.77]);
    assert.equal(collection.features[1].properties.status, 'violation');
  });

  it('applies a pushed status to its site without changing the input', () => {
    const before = sitesCollection([summary('a', 'ok'), summary('b', 'ok')]);
    const after = withStatus(before, { siteId: 'b', status: 'warning', lon: 106.7, lat: 10.77 });
    assert.deepEqual(after.features.map((f) => f.properties.status), ['ok', 'warning']);
    assert.equal(before.features[1].properties.status, 'ok');
  });

  it('adds a site it did not show yet', () => {
    const after = withStatus(sitesCollection([]), { siteId: 'c', status: 'offline', lon: 106.6, lat: 10.8, ward: 'x' });
    assert.equal(after.features.length, 1);
    assert.equal(after.features[0].id, 'c');
  });

  it('clamps a world-wrapped view to valid WGS 84', () => {
    assert.deepEqual(clampBounds([-200, -95, 190, 91]), [-180, -90, 180, 90]);
  });
});

describe('alertText', () => {
  it('names the metric and compares value with limit in Vietnamese decimals', () => {
    assert.equal(alertText({ metric: 'laeq', value: 78.44, limit: 70 }), 'Tiếng ồn LAeq / Noise (dB(A)): 78,4 > 70');
  });

  it('has no numbers for an offline alert', () => {
    assert.equal(alertText({ metric: 'offline', value: null, limit: null }), 'Mất tín hiệu / No signal');
  });
});

describe('chartPath', () => {
  const points = [
    { time: '2026-11-29T01:00:00Z', mean: 60 },
    { time: '2026-11-29T01:01:00Z', mean: 80 },
    { time: '2026-11-29T01:02:00Z', mean: 70 },
  ];

  it('scales time to x and value to y (downwards)', () => {
    const path = chartPath(points, 100, 50);
    assert.equal(path.d, 'M0.0 50.0 L50.0 0.0 L100.0 25.0');
    assert.deepEqual(path.dots, [{ x: 0, y: 50 }, { x: 50, y: 0 }, { x: 100, y: 25 }]);
    assert.equal(path.min, 60);
    assert.equal(path.max, 80);
  });

  it('widens the range to show the limit line', () => {
    const path = chartPath(points, 100, 50, 90);
    assert.equal(path.max, 90);
    assert.equal(path.y(90), 0);
  });

  it('is null without valid points', () => {
    assert.equal(chartPath([{ time: 'x', mean: 1 }, { time: '2026-11-29T01:00:00Z', mean: NaN }], 100, 50), null);
  });
});
