// The MapLibre style, built in code from our own sources only: the platform runs where no tile, style, sprite or
// font server is reachable. Without glyphs there can be no symbol (text) layers, so names are shown in HTML
// (panel, tooltip, status line) and a plain background stands in for a basemap.

import { parcelTilesUrl } from './api.js';
import { landUseFillColor } from './landuse.js';

export const SOURCES = { wards: 'wards', parcels: 'parcels', selection: 'selection', review: 'review', sites: 'sites' };

/** Name of the layer inside the parcel vector tiles. */
export const PARCEL_SOURCE_LAYER = 'parcels';

export const LAYERS = {
  wardsLine: 'wards-line',
  parcelsFill: 'parcels-fill',
  parcelsOutline: 'parcels-outline',
  parcelsHover: 'parcels-hover',
  selectionLine: 'selection-line',
  reviewParcel: 'review-parcel',
  reviewFootprint: 'review-footprint',
  reviewFinding: 'review-finding',
  reviewFindingLine: 'review-finding-line',
  sites: 'sites-circle',
};

/** Colours of a construction site's status (ok, warning, violation, offline), shared by the map and the legend. */
export const SITE_STATUS_COLORS = {
  ok: '#2e7d32',
  warning: '#f9a825',
  violation: '#c62828',
  offline: '#757575',
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
      // An officer's open dossier: the parcel, the footprint and each failing finding (property kind).
      [SOURCES.review]: { type: 'geojson', data: EMPTY },
      // Construction sites for inspectors, one point each (property status).
      [SOURCES.sites]: { type: 'geojson', data: EMPTY, promoteId: 'id' },
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
      {
        id: LAYERS.reviewParcel,
        type: 'line',
        source: SOURCES.review,
        filter: ['==', ['get', 'kind'], 'parcel'],
        paint: { 'line-color': '#0b1f66', 'line-width': 3, 'line-dasharray': [2, 1] },
      },
      {
        id: LAYERS.reviewFootprint,
        type: 'fill',
        source: SOURCES.review,
        filter: ['==', ['get', 'kind'], 'footprint'],
        paint: { 'fill-color': '#0b4fb3', 'fill-opacity': 0.35, 'fill-outline-color': '#0b4fb3' },
      },
      {
        id: LAYERS.reviewFinding,
        type: 'fill',
        source: SOURCES.review,
        filter: ['==', ['get', 'kind'], 'finding'],
        paint: { 'fill-color': '#c62828', 'fill-opacity': 0.55 },
      },
      {
        id: LAYERS.reviewFindingLine,
        type: 'line',
        source: SOURCES.review,
        filter: ['==', ['get', 'kind'], 'finding'],
        paint: { 'line-color': '#c62828', 'line-width': 2.5 },
      },
      {
        id: LAYERS.sites,
        type: 'circle',
        source: SOURCES.sites,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 5, 16, 10],
          'circle-color': ['match', ['get', 'status'],
            'warning', SITE_STATUS_COLORS.warning,
            'violation', SITE_STATUS_COLORS.violation,
            'offline', SITE_STATUS_COLORS.offline,
            SITE_STATUS_COLORS.ok],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
    ],
  };
}
