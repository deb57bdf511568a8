// Pure helpers of the inspector's live map: sites as GeoJSON, status changes applied to them, alert and metric
// labels, and the SVG path of a reading chart. No DOM or network here, so node:test covers it.

export const STATUS_NAMES = {
  ok: 'Bình thường / OK',
  warning: 'Cảnh báo / Warning',
  violation: 'Vi phạm / Violation',
  offline: 'Mất kết nối / Offline',
};

export const METRIC_NAMES = {
  laeq: 'Tiếng ồn LAeq / Noise (dB(A))',
  pm10: 'Bụi PM10 / Dust PM10 (µg/m³)',
  pm25: 'Bụi PM2.5 / Dust PM2.5 (µg/m³)',
  vibration: 'Rung / Vibration (dB)',
  tilt: 'Nghiêng / Tilt (°)',
  offline: 'Mất tín hiệu / No signal',
};

export const ALERT_STATES = {
  raised: 'Mới / Raised',
  acknowledged: 'Đã xác nhận / Acknowledged',
  resolved: 'Đã đóng / Resolved',
};

/** A point Feature per site summary (GET /api/sites), id = site id. */
export function sitesCollection(summaries) {
  return {
    type: 'FeatureCollection',
    features: summaries.map((site) => ({
      type: 'Feature',
      id: site.id,
      geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
      properties: { id: site.id, status: site.status, permitNumber: site.permitNumber, ward: site.ward },
    })),
  };
}

/**
 * The collection with one site's status replaced (a "siteStatus" push), or the site added where it was not
 * shown yet. Returns a new collection; the input is not changed.
 */
export function withStatus(collection, message) {
  let found = false;
  const features = collection.features.map((feature) => {
    if (feature.properties.id !== message.siteId) {
      return feature;
    }
    found = true;
    return { ...feature, properties: { ...feature.properties, status: message.status } };
  });
  if (!found && Number.isFinite(message.lon) && Number.isFinite(message.lat)) {
    features.push({
      type: 'Feature',
      id: message.siteId,
      geometry: { type: 'Point', coordinates: [message.lon, message.lat] },
      properties: { id: message.siteId, status: message.status, ward: message.ward },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** The map's bounds as a valid WGS 84 bbox [minLon, minLat, maxLon, maxLat] (a world-wrapped view is clamped). */
export function clampBounds([minLon, minLat, maxLon, maxLat]) {
  const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
  return [clamp(minLon, 180), clamp(minLat, 90), clamp(maxLon, 180), clamp(maxLat, 90)];
}

/** "Tiếng ồn … 78,4 > 70": one line for an alert. */
export function alertText(alert) {
  const format = (value) => (Number.isFinite(value)
    ? new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(value)
    : '—');
  const name = METRIC_NAMES[alert.metric] || alert.metric;
  return Number.isFinite(alert.value)
    ? `${name}: ${format(alert.value)} > ${format(alert.limit)}`
    : name;
}

/**
 * SVG path data ("M x y L x y …") of a series of { time, mean } points scaled into width × height (y grows
 * downwards), the same points as dots (a lone reading is a dot, not a line), with the value range [min, max] it
 * was scaled to; an optional limit widens the range so the limit
 * line fits. Null when there are no points.
 */
export function chartPath(points, width, height, limit = null) {
  const valid = points.filter((p) => Number.isFinite(p.mean) && !Number.isNaN(Date.parse(p.time)));
  if (valid.length === 0) {
    return null;
  }
  const times = valid.map((p) => Date.parse(p.time));
  const values = valid.map((p) => p.mean);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  let min = Math.min(...values, ...(Number.isFinite(limit) ? [limit] : []));
  let max = Math.max(...values, ...(Number.isFinite(limit) ? [limit] : []));
  if (max === min) {
    max += 1;
    min -= 1;
  }
  const x = (t) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * width);
  const y = (v) => height - ((v - min) / (max - min)) * height;
  const dots = valid.map((p, i) => ({ x: x(times[i]), y: y(p.mean) }));
  const d = dots.map((dot, i) => `${i === 0 ? 'M' : 'L'}${dot.x.toFixed(1)} ${dot.y.toFixed(1)}`).join(' ');
  return { d, dots, min, max, y };
}
