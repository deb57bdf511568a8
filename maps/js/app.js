// Entry point of the web map: builds the offline style, adds the controls, and wires the ward, parcel, search,
// panel and status modules together, then the screens of each role: the permit officer's dossiers, the inspector's
// live sites and alerts (SignalR), and the citizen's dossier tracking.

import { LngLatBounds, Map, NavigationControl, ScaleControl } from '/vendor/maplibre-gl/maplibre-gl.mjs';
import { getMapConfig } from './api.js';
import { HomeControl } from './controls.js';
import { renderLegend } from './landuse.js';
import { createInspector } from './inspector.js';
import { createOfficer } from './officer.js';
import { createPanel } from './panel.js';
import { createParcels } from './parcels.js';
import { createSearch } from './search.js';
import { createSession } from './session.js';
import { createStatus } from './status.js';
import { buildStyle, DEFAULT_PARCEL_MIN_ZOOM } from './style.js';
import { createTracking } from './track.js';
import { createWards } from './wards.js';

/** Ho Chi Minh City centre, shown only when the API cannot say where the data is. */
const FALLBACK_VIEW = { center: [106.7009, 10.7769], zoom: 11 };

const LOCALE = {
  'Map.Title': 'Bản đồ / Map',
  'NavigationControl.ZoomIn': 'Phóng to / Zoom in',
  'NavigationControl.ZoomOut': 'Thu nhỏ / Zoom out',
  'NavigationControl.ResetBearing': 'Quay về hướng bắc / Reset bearing to north',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
};

const byId = (id) => document.getElementById(id);

async function start() {
  const status = createStatus({
    message: byId('status-message'),
    cursor: byId('status-cursor'),
    zoom: byId('status-zoom'),
    ward: byId('status-ward'),
  });
  renderLegend(byId('legend-items'));

  status.info('Đang tải cấu hình bản đồ… / Loading map configuration…');
  let view = FALLBACK_VIEW;
  let dataBounds = null;
  let parcelMinZoom = DEFAULT_PARCEL_MIN_ZOOM;
  let demoOfficerUnit = null;
  try {
    const config = await getMapConfig();
    demoOfficerUnit = config.demo?.officerUnit ?? null;
    view = { center: config.center, zoom: config.zoom };
    dataBounds = config.bounds ? LngLatBounds.convert(config.bounds) : null;
    parcelMinZoom = config.parcelMinZoom ?? DEFAULT_PARCEL_MIN_ZOOM;
  } catch (error) {
    status.error('Không tải được cấu hình bản đồ / Could not load the map configuration', error);
  }

  const map = new Map({
    container: 'map',
    style: buildStyle({ parcelMinZoom }),
    center: view.center,
    zoom: view.zoom,
    maxZoom: 22,
    // The view is kept in the address (#zoom/lat/lon) so an officer can share or bookmark a place.
    hash: true,
    attributionControl: false,
    locale: LOCALE,
  });
  // The map object for the browser console and end-to-end tests (e.g. which findings are drawn).
  window.hcmcity = { map };
  map.addControl(new NavigationControl({ visualizePitch: false }), 'top-right');
  if (dataBounds) {
    map.addControl(new HomeControl(dataBounds), 'top-right');
  }
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-right');

  const wards = createWards(map);
  const panel = createPanel(
    { root: byId('panel'), title: byId('panel-title'), body: byId('panel-body'), closeButton: byId('panel-close') },
    {
      onClose: () => {
        parcels.clearSelection();
        officer.closed();
        inspector.closed();
      },
    },
  );
  const parcels = createParcels(map, { panel, wards, status });
  createSearch(byId('search'), {
    status,
    unitLabel: (code) => wards.unitLabel(code),
    onFound: (feature) => parcels.select(feature.properties?.id ?? feature.id, { fly: true, focus: true }),
  });

  const work = { root: byId('work'), title: byId('work-title'), body: byId('work-body') };
  const officer = createOfficer(map, { work, panel, status });
  const inspector = createInspector(map, { work, panel, status });
  createTracking({
    dialog: byId('track'), form: byId('track-form'), openButton: byId('track-open'), result: byId('track-result'),
  });
  // One role's screen at a time: signing in as another role (or out) stops the previous one.
  let screen = null;
  const session = createSession(byId('session'), {
    demoOfficerUnit,
    onChange: async (current) => {
      await screen?.stop();
      screen = null;
      panel.close();
      work.root.hidden = true;
      work.body.replaceChildren();
      // The work list takes the left side: the legend folds to its title line below it.
      byId('legend').querySelector('details').open = !current;
      if (current?.role === 'officer') {
        screen = officer;
      } else if (current?.role === 'inspector') {
        screen = inspector;
      }
      await screen?.start(current);
    },
  });

  const showZoom = () => {
    const zoom = map.getZoom();
    status.zoom(zoom);
    byId('zoom-hint').hidden = zoom >= parcelMinZoom;
  };
  map.on('zoom', showZoom);
  map.on('mousemove', (event) => {
    status.pointer(event.lngLat);
    status.ward(wards.nameAt(event.lngLat));
  });
  map.on('mouseout', () => {
    status.pointer(null);
    status.ward(null);
  });
  map.on('error', (event) => {
    status.error(`Lỗi bản đồ / Map error${event.sourceId ? ` (${event.sourceId})` : ''}`, event.error || event);
  });

  map.on('load', async () => {
    showZoom();
    try {
      const count = await wards.load();
      status.info(map.getZoom() < parcelMinZoom
        ? `${count} phường, xã / wards and communes. Phóng to tới mức ${parcelMinZoom} để xem thửa đất / Zoom to ${parcelMinZoom}+ to see parcels`
        : `${count} phường, xã / wards and communes. Nhấp vào thửa để xem chi tiết / Click a parcel for details`);
    } catch (error) {
      status.error('Không tải được ranh giới phường, xã / Could not load ward boundaries', error);
    }
    // Role screens draw into the style's sources, which exist once the style has loaded.
    await session.start();
    document.body.dataset.mapReady = 'true';
  });
}

start();
