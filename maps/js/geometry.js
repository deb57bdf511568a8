// Small pure functions on GeoJSON Polygon / MultiPolygon geometries (any planar x/y: lon/lat or metres).

function polygonsOf(geometry) {
  switch (geometry?.type) {
    case 'Polygon':
      return [geometry.coordinates];
    case 'MultiPolygon':
      return geometry.coordinates;
    default:
      return [];
  }
}

/** Every ring of the geometry, outer and inner, in order. */
function ringsOf(geometry) {
  return polygonsOf(geometry).flat();
}

/** [minX, minY, maxX, maxY], or null for an empty or non-areal geometry. */
export function bbox(geometry) {
  const points = ringsOf(geometry).flat();
  if (points.length === 0) {
    return null;
  }
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Area-weighted centroid [x, y] (shoelace formula; holes subtract because GeoJSON winds them opposite to their
 * shell). Null when the area is zero. Coordinates are shifted to the first vertex first so that metre-scale
 * parcels in degrees, or in 1,000 km-scale projected coordinates, keep their precision.
 */
export function centroid(geometry) {
  const rings = ringsOf(geometry);
  if (rings.length === 0 || rings[0].length === 0) {
    return null;
  }
  const [ox, oy] = rings[0][0];
  let area2 = 0;
  let cx = 0;
  let cy = 0;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const x0 = ring[i][0] - ox;
      const y0 = ring[i][1] - oy;
      const x1 = ring[i + 1][0] - ox;
      const y1 = ring[i + 1][1] - oy;
      const cross = x0 * y1 - x1 * y0;
      area2 += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  }
  if (area2 === 0) {
    return null;
  }
  return [ox + cx / (3 * area2), oy + cy / (3 * area2)];
}

function solve3(m, v) {
  const det = (a) =>
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
    - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
    + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(m);
  if (Math.abs(d) < 1e-30) {
    return null;
  }
  return [0, 1, 2].map((column) => det(m.map((row, r) => row.map((value, c) => (c === column ? v[r] : value)))) / d);
}

/**
 * Fits the affine map taking the vertices of `from` to the matching vertices of `to` (the same parcel in two
 * CRSs, vertex for vertex, as the API returns it) by least squares. Over a parcel a map projection is affine to
 * well under a millimetre, so this carries a clicked WGS 84 point into the parcel's VN-2000 coordinates with the
 * server's own transform as the reference. Returns { apply([x, y]) -> [x, y], rms } with rms the fit residual in
 * `to` units, or null when the geometries do not correspond vertex for vertex or are degenerate.
 */
export function fitAffine(from, to) {
  const a = ringsOf(from);
  const b = ringsOf(to);
  if (a.length === 0 || a.length !== b.length || a.some((ring, i) => ring.length !== b[i].length)) {
    return null;
  }
  // Closing vertices repeat the first and would weigh it twice.
  const pairs = a.flatMap((ring, i) => ring.slice(0, -1).map((p, j) => [p, b[i][j]]));
  if (pairs.length < 3) {
    return null;
  }
  const [fx, fy] = pairs[0][0];
  const [tx, ty] = pairs[0][1];
  const m = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const vx = [0, 0, 0];
  const vy = [0, 0, 0];
  for (const [[x, y], [u, w]] of pairs) {
    const row = [x - fx, y - fy, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        m[r][c] += row[r] * row[c];
      }
      vx[r] += row[r] * (u - tx);
      vy[r] += row[r] * (w - ty);
    }
  }
  const cx = solve3(m, vx);
  const cy = solve3(m, vy);
  if (!cx || !cy) {
    return null;
  }
  const apply = ([x, y]) => [
    tx + cx[0] * (x - fx) + cx[1] * (y - fy) + cx[2],
    ty + cy[0] * (x - fx) + cy[1] * (y - fy) + cy[2],
  ];
  const squares = pairs.reduce((sum, [p, q]) => {
    const [u, w] = apply(p);
    return sum + (u - q[0]) ** 2 + (w - q[1]) ** 2;
  }, 0);
  return { apply, rms: Math.sqrt(squares / pairs.length) };
}

function ringContains(ring, [x, y]) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

/** Whether [x, y] lies inside the polygon(s): inside a shell and outside that shell's holes (even-odd rule). */
export function contains(geometry, point) {
  return polygonsOf(geometry).some(([shell, ...holes]) =>
    shell !== undefined && ringContains(shell, point) && !holes.some((hole) => ringContains(hole, point)));
}
