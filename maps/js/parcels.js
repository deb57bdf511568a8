// Parcels on the map: hover highlight with a tooltip, click to open the panel, and selection by id (used by the
// search) that draws the parcel's outline, can fly to it, and fills the panel with WGS 84 and VN-2000 details.

import { Popup } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { getParcel } from './api.js';
import { bbox, centroid, fitAffine } from './geometry.js';
import { formatArea } from './format.js';
import { LAYERS, PARCEL_SOURCE_LAYER, SOURCES } from './style.js';

/** CRS of HCMC cadastral maps, used when a parcel does not state its source CRS. */
const DEFAULT_VN2000_CRS = 'EPSG:9210';

/**
 * Largest residual (metres) of the WGS 84 -> VN-2000 vertex fit for which the clicked point's VN-2000 position is
 * shown to the centimetre; a larger one means the two geometries do not match vertex for vertex.
 */
const MAX_FIT_RESIDUAL_M = 0.01;

const EMPTY = { type: 'FeatureCollection', features: [] };

function tooltipText(properties) {
  return `Tờ ${properties.sheet} · Thửa ${properties.number} · ${properties.landUse} · ${formatArea(properties.area)}`;
}

/**
 * Coordinates for the panel: the clicked point (if any) and the centroid, in WGS 84 and in the parcel's VN-2000
 * source CRS, which the server transforms; coordinatesError says why the VN-2000 column is empty.
 */
async function coordinatesOf(parcel, point) {
  const crs = parcel.properties?.sourceCrs || DEFAULT_VN2000_CRS;
  let projected = null;
  let coordinatesError = null;
  try {
    projected = await getParcel(parcel.properties?.id ?? parcel.id, { crs });
  } catch (error) {
    coordinatesError = error;
  }
  const rows = [];
  if (point) {
    const fit = projected ? fitAffine(parcel.geometry, projected.geometry) : null;
    rows.push({
      label: 'Điểm chọn / Selected point',
      wgs84: point,
      vn2000: fit && fit.rms <= MAX_FIT_RESIDUAL_M ? fit.apply(point) : null,
    });
  }
  rows.push({
    label: 'Tâm thửa / Centroid',
    wgs84: centroid(parcel.geometry),
    vn2000: projected ? centroid(projected.geometry) : null,
  });
  return { coordinates: { crs, rows }, coordinatesError };
}

export function createParcels(map, { panel, wards, status }) {
  const tooltip = new Popup({
    closeButton: false,
    closeOnClick: false,
    offset: 14,
    maxWidth: 'none',
    className: 'parcel-tooltip',
  });
  let hoveredId = null;
  // Only the latest selection may fill the panel when several requests overlap.
  let selection = 0;

  const setHover = (id) => {
    if (hoveredId !== null) {
      map.setFeatureState({ source: SOURCES.parcels, sourceLayer: PARCEL_SOURCE_LAYER, id: hoveredId }, { hover: false });
    }
    hoveredId = id;
    if (id !== null) {
      map.setFeatureState({ source: SOURCES.parcels, sourceLayer: PARCEL_SOURCE_LAYER, id }, { hover: true });
    }
  };

  map.on('mousemove', LAYERS.parcelsFill, (event) => {
    const feature = event.features?.[0];
    if (!feature) {
      return;
    }
    map.getCanvas().style.cursor = 'pointer';
    if (feature.id !== hoveredId) {
      setHover(feature.id);
      tooltip.setText(tooltipText(feature.properties));
    }
    tooltip.setLngLat(event.lngLat).addTo(map);
  });

  map.on('mouseleave', LAYERS.parcelsFill, () => {
    map.getCanvas().style.cursor = '';
    setHover(null);
    tooltip.remove();
  });

  const clearSelection = () => {
    selection++;
    map.getSource(SOURCES.selection).setData(EMPTY);
  };

  /**
   * Opens the panel for a parcel. `point` is the clicked [lon, lat], if any; `fly` moves the map to the parcel;
   * `focus` moves keyboard focus to the panel (after a search).
   */
  async function select(id, { point = null, fly = false, focus = false } = {}) {
    const current = ++selection;
    panel.loading({ focus });
    status.info('Đang tải thửa đất… / Loading parcel…');
    let parcel;
    try {
      parcel = await getParcel(id);
    } catch (error) {
      if (current === selection) {
        panel.error(error, { focus });
        status.error('Không tải được thửa đất / Could not load the parcel', error);
      }
      return;
    }
    if (current !== selection) {
      return;
    }
    map.getSource(SOURCES.selection).setData(parcel);
    const box = bbox(parcel.geometry);
    if (fly && box) {
      const wide = map.getContainer().clientWidth > 900;
      map.fitBounds(box, {
        padding: { top: 60, bottom: 60, left: 60, right: wide ? 420 : 60 },
        maxZoom: 19,
      });
    }
    const { coordinates, coordinatesError } = await coordinatesOf(parcel, point);
    if (current !== selection) {
      return;
    }
    const unit = parcel.properties?.unit;
    const where = point || coordinates.rows.at(-1).wgs84;
    const wardAtPoint = where ? wards.nameAt({ lng: where[0], lat: where[1] }) : null;
    // The ward on the ground is worth a line only where it is not the parcel's own unit (a former commune's map).
    const ward = wardAtPoint !== wards.nameOf(unit) ? wardAtPoint : null;
    panel.show({ parcel, unit: wards.unitLabel(unit), ward, coordinates, coordinatesError }, { focus });
    status.info(`Đã chọn / Selected: ${tooltipText(parcel.properties || {})}`);
  }

  map.on('click', LAYERS.parcelsFill, (event) => {
    const feature = event.features?.[0];
    if (feature) {
      select(feature.id, { point: [event.lngLat.lng, event.lngLat.lat] });
    }
  });

  return { select, clearSelection };
}
