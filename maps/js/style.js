// The MapLibre style, built in code from our own sources only: the platform runs where no tile, style, sprite or
// font server is reachable. Without glyphs there can be no symbol (text) layers, so names are shown in HTML
// (panel, tooltip, status line) and a plain background stands in for a basemap.

import { parcelTilesUrl } from './api.js';
import { landUseFillColor } from './landuse.js';

export const SOURCES = { wards: 'wards', parcels: 'parcels', selection: 'selection' };

/** Name of the layer inside the parcel vector tiles. */
export const PARCEL_SOURCE_LAYER = 'parcels';

export const LAYERS = {
  wardsLine: 'wards-line',
  parcelsFill: 'parcels-fill',
  parcelsOutline: 'parcels-outline',
  parcelsHover: 'parcels-hover',
  selectionLine: 'selection-line',
};

/**
 * Lowest zoom with parcel tiles when /api/map/config does not say (its parcelMinZoom): below it a tile would hold
 * tens of thousands of lots narrower than a pixel, so the server sends none and the map shows wards only.
 */
export const DEFAULT_PARCEL_MIN_ZOOM = 14;
const PARCEL_MAX_TILE_ZOOM = 20;
/** Parcel boundaries are drawn once parcels are large enough on screen for a line not to hide the fill. */
const PARCEL_OUTLINE_MIN_ZOOM = 15;

const EMPTY = { type: 'FeatureCollection', features: [] };

const hovered = ['boolean', ['feature-state', 'hover'], false];

export function buildStyle({ parcelMinZoom = DEFAULT_PARCEL_MIN_ZOOM } = {}) {
  return {
    version: 8,
    name: 'HcmCity offline',
    sources: {
      [SOURCES.wards]: { type: 'geojson', data: EMPTY },
      [SOURCES.parcels]: {
        type: 'vector',
        tiles: [parcelTilesUrl],
        minzoom: parcelMinZoom,
        maxzoom: PARCEL_MAX_TILE_ZOOM,
        // Hover state is keyed by feature id; taking it from the `id` property does not depend on the tile
        // encoder also writing the MVT feature id.
        promoteId: 'id',
      },
      [SOURCES.selection]: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ea' } },
      {
        id: LAYERS.wardsLine,
        type: 'line',
        source: SOURCES.wards,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': '#5b4a8b',
          'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2, 18, 3],
          'line-opacity': 0.8,
        },
      },
      {
        id: LAYERS.parcelsFill,
        type: 'fill',
        source: SOURCES.parcels,
        'source-layer': PARCEL_SOURCE_LAYER,
        paint: {
          'fill-color': landUseFillColor(),
          'fill-opacity': ['case', hovered, 0.95, 0.7],
        },
      },
      {
        id: LAYERS.parcelsOutline,
        type: 'line',
        source: SOURCES.parcels,
        'source-layer': PARCEL_SOURCE_LAYER,
        minzoom: PARCEL_OUTLINE_MIN_ZOOM,
        paint: {
          'line-color': '#4a4a4a',
          'line-width': ['interpolate', ['linear'], ['zoom'], PARCEL_OUTLINE_MIN_ZOOM, 0.3, 18, 1],
          'line-opacity': 0.8,
        },
      },
      {
        id: LAYERS.parcelsHover,
        type: 'line',
        source: SOURCES.parcels,
        'source-layer': PARCEL_SOURCE_LAYER,
        paint: {
          'line-color': '#1b4fd8',
          'line-width': 2,
          'line-opacity': ['case', hovered, 1, 0],
        },
      },
      {
        id: LAYERS.selectionLine,
        type: 'line',
        source: SOURCES.selection,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': '#0b1f66', 'line-width': 3.5 },
      },
    ],
  };
}
