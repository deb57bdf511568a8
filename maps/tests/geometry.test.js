import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bbox, centroid, contains, fitAffine } from '../js/geometry.js';

const square = (x, y, size) => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
const polygon = (...rings) => ({ type: 'Polygon', coordinates: rings });
const mapGeometry = (geometry, f) => ({
  type: geometry.type,
  coordinates: geometry.coordinates.map((ring) => ring.map(f)),
});

describe('bbox', () => {
  it('spans every vertex of every polygon of a MultiPolygon', () => {
    const geometry = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [[[5, -2], [6, -2], [6, 3], [5, -2]]]] };
    assert.deepEqual(bbox(geometry), [0, -2, 6, 3]);
  });

  it('is null for a geometry without polygons', () => {
    assert.equal(bbox({ type: 'Point', coordinates: [1, 2] }), null);
  });
});

describe('centroid', () => {
  it('of a square is its centre, far from the origin as projected VN-2000 coordinates are', () => {
    const [x, y] = centroid(polygon(square(557000, 2317000, 20)));
    assert.ok(Math.abs(x - 557010) < 1e-9 && Math.abs(y - 2317010) < 1e-9, `${x}, ${y}`);
  });

  it('moves away from a hole', () => {
    // A 4 x 4 square with a 2 x 2 hole in its right half: the remaining area is weighted to the left.
    const hole = [[2, 1], [2, 3], [4, 3], [4, 1], [2, 1]];
    const [x, y] = centroid(polygon(square(0, 0, 4), hole));
    assert.ok(Math.abs(x - (16 * 2 - 4 * 3) / 12) < 1e-12, `x = ${x}`);
    assert.ok(Math.abs(y - 2) < 1e-12, `y = ${y}`);
  });

  it('is null for a ring without area', () => {
    assert.equal(centroid(polygon([[0, 0], [1, 1], [2, 2], [0, 0]])), null);
  });
});

describe('contains', () => {
  const withHole = polygon(square(0, 0, 4), [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]]);

  it('finds a point between shell and hole', () => {
    assert.equal(contains(withHole, [0.5, 2]), true);
  });

  it('excludes a point inside the hole and a point outside the shell', () => {
    assert.equal(contains(withHole, [2, 2]), false);
    assert.equal(contains(withHole, [5, 2]), false);
  });
});

describe('fitAffine', () => {
  // A parcel in lon/lat near Thủ Đức and an affine map of the size and rotation of WGS 84 -> TM-3 there.
  const lonLat = polygon([[106.7001, 10.7702], [106.7004, 10.7701], [106.7005, 10.7705], [106.7002, 10.7706], [106.7001, 10.7702]]);
  const toMetres = ([lon, lat]) => [
    605000 + 109300 * (lon - 106.7) - 310 * (lat - 10.77),
    1190000 + 300 * (lon - 106.7) + 110600 * (lat - 10.77),
  ];

  it('carries an interior point as the reference transform does, to well under a millimetre', () => {
    const fit = fitAffine(lonLat, mapGeometry(lonLat, toMetres));
    const point = [106.70031, 10.77037];
    const [e, n] = fit.apply(point);
    const [expectedE, expectedN] = toMetres(point);
    assert.ok(Math.abs(e - expectedE) < 1e-4 && Math.abs(n - expectedN) < 1e-4, `${e}, ${n}`);
    assert.ok(fit.rms < 1e-6, `rms ${fit.rms}`);
  });

  it('reports a large residual when the vertices do not correspond', () => {
    const projected = mapGeometry(lonLat, toMetres);
    const ring = projected.coordinates[0];
    // Same vertices, started one vertex later: a different pairing of points.
    const shifted = { type: 'Polygon', coordinates: [[...ring.slice(1, -1), ring[1]]] };
    const fit = fitAffine(lonLat, shifted);
    assert.ok(fit === null || fit.rms > 1, `rms ${fit?.rms}`);
  });

  it('refuses geometries with different vertex counts', () => {
    const projected = mapGeometry(lonLat, toMetres);
    const fewer = { type: 'Polygon', coordinates: [projected.coordinates[0].slice(1)] };
    assert.equal(fitAffine(lonLat, fewer), null);
  });
});
