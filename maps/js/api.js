// Client for the HcmCity HTTP API, which is served from the same origin as this page.
// The API reports bad input and missing resources as application/problem+json; every failure here becomes an
// ApiError carrying that problem, so the UI shows the server's own title, detail and per-field messages.

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached.
   * @param {{title?: string, detail?: string, errors?: Record<string, string[]>}} problem
   */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.errors = problem.errors || {};
  }
}

/** Absolute URL template of the parcel vector tiles (MapLibre needs an absolute URL for tile sources). */
export const parcelTilesUrl = `${window.location.origin}/tiles/parcels/{z}/{x}/{y}.mvt`;

async function readProblem(response) {
  const type = response.headers.get('content-type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      // A body that is not valid JSON carries nothing more than the status line.
    }
  }
  return { title: `${response.status} ${response.statusText}`.trim() };
}

async function getJson(path, params = {}, signal = undefined) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  let response;
  try {
    response = await fetch(url, {
      headers: { Accept: 'application/geo+json, application/json, application/problem+json' },
      signal,
    });
  } catch (error) {
    if (error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(0, {
      title: 'Không kết nối được máy chủ / Cannot reach the server',
      detail: error.message,
    });
  }
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  return response.json();
}

/** { center: [lon, lat], zoom, bounds: [minLon, minLat, maxLon, maxLat] } of the seeded data. */
export function getMapConfig() {
  return getJson('/api/map/config');
}

/** GeoJSON FeatureCollection of ward and commune polygons (WGS 84), properties code and name. */
export function getWards() {
  return getJson('/api/wards');
}

/**
 * One parcel as a GeoJSON Feature. Without crs the geometry is WGS 84; with crs (e.g. "EPSG:9210") it is in that
 * projected CRS, which is how the panel gets VN-2000 coordinates from the server's own transform.
 */
export function getParcel(id, { crs, signal } = {}) {
  return getJson(`/api/parcels/${encodeURIComponent(id)}`, { crs }, signal);
}

/** Parcels by map sheet (số tờ) and parcel number (số thửa); unit narrows the search when sheets repeat. */
export function searchParcels({ unit, sheet, number }) {
  return getJson('/api/parcels', { unit, sheet, number });
}
