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

/** The signed-in user's bearer token, or null for a guest (set by session.js). */
let bearerToken = null;

export function setBearerToken(token) {
  bearerToken = token || null;
}

async function requestJson(method, path, { params = {}, body = undefined, signal = undefined } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  const headers = { Accept: 'application/geo+json, application/json, application/problem+json' };
  if (bearerToken) {
    headers.Authorization = `Bearer ${bearerToken}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
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
  return response.status === 204 ? null : response.json();
}

function getJson(path, params = {}, signal = undefined) {
  return requestJson('GET', path, { params, signal });
}

function postJson(path, body = {}) {
  return requestJson('POST', path, { body });
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

/** Embedded mode's demo sign-in: { accessToken, role } for role officer | inspector | citizen | developer | admin. */
export function demoSignIn(role, unit) {
  return postJson('/api/auth/demo-token', { role, unit: unit || null });
}

/** Clears the sign-in cookie that pages such as the e-permit page rely on. */
export function signOut() {
  return postJson('/api/auth/sign-out');
}

/** The signed-in officer's unit's dossiers: { items: [{ number, state, deadline, daysLeft, overdue, ... }] }. */
export function listDossiers({ state, overdue } = {}) {
  return getJson('/api/permits/applications', { state, overdue, limit: 200 });
}

/** One dossier with its site plan, applicant and history (officers of its unit). */
export function getDossier(number) {
  return getJson(`/api/permits/applications/${encodeURIComponent(number)}`);
}

/** The compliance check of a dossier's site plan: verdict, findings, parcel and footprint, all in WGS 84. */
export function checkDossier(number, areaType) {
  return getJson(`/api/permits/applications/${encodeURIComponent(number)}/check`, { areaType });
}

/** Moves a dossier through its workflow: action start-appraisal | notify-deficiency | approve | refuse | ... */
export function transitionDossier(number, action, reason) {
  return postJson(`/api/permits/applications/${encodeURIComponent(number)}/transitions`, { action, reason });
}

/** A citizen's view of a dossier by number and tracking secret, without signing in. */
export function trackDossier(number, secret) {
  return getJson(`/api/track/${encodeURIComponent(number)}`, { secret });
}

/** Construction sites inside a WGS 84 bbox: [{ id, permitNumber, status, lon, lat, ... }]. */
export function searchSites(bounds) {
  return getJson('/api/sites', { bbox: bounds.join(','), limit: 500 });
}

/** One site: status, conditions, sensors with their latest metrics, open alerts. */
export function getSite(id) {
  return getJson(`/api/sites/${encodeURIComponent(id)}`);
}

export function acknowledgeAlert(id) {
  return postJson(`/api/alerts/${encodeURIComponent(id)}/acknowledge`);
}

export function resolveAlert(id) {
  return postJson(`/api/alerts/${encodeURIComponent(id)}/resolve`);
}

/** Reading aggregates of one sensor for a chart: { series: [{ name, points: [{ time, mean, min, max }] }] }. */
export function getReadings(deviceId, { from, to, every } = {}) {
  return getJson(`/api/sensors/${encodeURIComponent(deviceId)}/readings`, { from, to, every });
}
