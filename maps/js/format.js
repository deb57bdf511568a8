// Number and coordinate formatting for the Vietnamese-first UI.

const areaFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** "1.234,5 m²" (Vietnamese digit grouping, as on a land-use right certificate); "—" when unknown. */
export function formatArea(squareMetres) {
  return Number.isFinite(squareMetres) ? `${areaFormat.format(squareMetres)} m²` : '—';
}

/**
 * Geographic coordinates with a decimal point so they paste into GIS tools unchanged; 7 decimals of a degree
 * are about 1 cm.
 */
export function formatDegrees(value) {
  return Number.isFinite(value) ? value.toFixed(7) : '—';
}

/** Projected coordinates in metres to the centimetre. */
export function formatMetres(value) {
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}

/** VN-2000 projections used for cadastral maps in and around Ho Chi Minh City (and the Hanoi sample data). */
const CRS_NAMES = {
  'EPSG:9210': 'VN-2000 / TM-3 105-45',
  'EPSG:5899': 'VN-2000 / TM-3 107-45',
  'EPSG:5897': 'VN-2000 / TM-3 105-00',
};

/** "VN-2000 / TM-3 105-45 (EPSG:9210)" for a known code, the code itself otherwise. */
export function crsLabel(crs) {
  return CRS_NAMES[crs] ? `${CRS_NAMES[crs]} (${crs})` : crs;
}
