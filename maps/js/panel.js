// The parcel side panel: identity, area, land use and coordinates of one parcel in WGS 84 and VN-2000.

import { element } from './dom.js';
import { describeError } from './status.js';
import { crsLabel, formatArea, formatDegrees, formatMetres } from './format.js';
import { landUseName, splitLandUse } from './landuse.js';

function row(label, ...values) {
  return [element('dt', {}, label), element('dd', {}, ...values)];
}

function landUseList(landUse) {
  const codes = splitLandUse(landUse);
  if (codes.length === 0) {
    return '—';
  }
  return element('ul', { class: 'land-use' }, ...codes.map((code) => {
    const { vi, en } = landUseName(code);
    return element('li', {},
      element('strong', {}, code), ' ', vi, en ? element('span', { class: 'en' }, ` / ${en}`) : null);
  }));
}

function coordinateTable(coordinates) {
  const head = element('thead', {}, element('tr', {},
    element('th', { scope: 'col' }, 'Điểm / Point'),
    element('th', { scope: 'col' }, 'Hệ / CRS'),
    element('th', { scope: 'col' }, 'Vĩ độ / Lat', element('br'), 'X (Bắc / N)'),
    element('th', { scope: 'col' }, 'Kinh độ / Lon', element('br'), 'Y (Đông / E)')));
  // Vietnamese survey convention: X is the northing, Y the easting, so each column pairs latitude with X.
  const body = element('tbody', {}, ...coordinates.rows.flatMap(({ label, wgs84, vn2000 }) => [
    element('tr', {},
      element('th', { scope: 'rowgroup', rowspan: '2' }, label),
      element('td', { class: 'crs' }, 'WGS 84'),
      element('td', { class: 'num' }, wgs84 ? formatDegrees(wgs84[1]) : '—'),
      element('td', { class: 'num' }, wgs84 ? formatDegrees(wgs84[0]) : '—')),
    element('tr', {},
      element('td', { class: 'crs' }, 'VN-2000'),
      element('td', { class: 'num' }, vn2000 ? formatMetres(vn2000[1]) : '—'),
      element('td', { class: 'num' }, vn2000 ? formatMetres(vn2000[0]) : '—')),
  ]));
  return element('table', { class: 'coordinates' },
    element('caption', {}, `VN-2000: ${crsLabel(coordinates.crs)}`), head, body);
}

export function createPanel({ root, title, body, closeButton }, { onClose }) {
  // Where keyboard focus was before the panel took it, so closing the panel gives it back (WCAG 2.4.3).
  let returnFocus = null;

  const close = () => {
    if (!root.hidden) {
      const hadFocus = root.contains(document.activeElement);
      root.hidden = true;
      body.replaceChildren();
      if (hadFocus && returnFocus?.isConnected) {
        returnFocus.focus();
      }
      returnFocus = null;
      onClose();
    }
  };
  closeButton.addEventListener('click', close);
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      close();
    }
  });

  const open = (heading, children, { focus }) => {
    title.textContent = heading;
    body.replaceChildren(...children);
    root.hidden = false;
    if (focus) {
      if (!root.contains(document.activeElement)) {
        returnFocus = document.activeElement;
      }
      title.focus();
    }
  };

  return {
    close,

    /** Any other content (a dossier, a site) under its own heading. */
    showContent(heading, children, { focus = false } = {}) {
      open(heading, children, { focus });
    },

    loading({ focus = false } = {}) {
      open('Thửa đất / Parcel', [element('p', { class: 'muted' }, 'Đang tải… / Loading…')], { focus });
    },

    error(error, { focus = false } = {}) {
      open('Thửa đất / Parcel', [element('p', { class: 'error', role: 'alert' }, describeError(error))], { focus });
    },

    /**
     * @param {object} view
     * @param {object} view.parcel GeoJSON Feature in WGS 84 from GET /api/parcels/{id}
     * @param {string} view.unit the parcel's administrative unit, named where the ward layer knows it
     * @param {string} [view.ward] name of the ward or commune under the point, from the ward layer
     * @param {{crs: string, rows: {label: string, wgs84: number[]|null, vn2000: number[]|null}[]}} view.coordinates
     * @param {Error} [view.coordinatesError] why VN-2000 coordinates are missing
     */
    show({ parcel, unit, ward, coordinates, coordinatesError }, { focus = false } = {}) {
      const p = parcel.properties || {};
      const details = element('dl', { class: 'details' },
        ...row('Số tờ / Sheet', String(p.sheet ?? '—')),
        ...row('Số thửa / Parcel no.', String(p.number ?? '—')),
        ...row('Diện tích / Area', formatArea(p.area)),
        ...(Number.isFinite(p.registeredArea) ? row('Diện tích đăng ký / Registered area', formatArea(p.registeredArea)) : []),
        ...row('Loại đất / Land use', landUseList(p.landUse)),
        ...row('Đơn vị / Unit', unit),
        ...(ward ? row('Phường, xã / Ward', ward) : []),
        ...row('Mã thửa / Parcel id', String(p.id ?? parcel.id ?? '—')));
      const coordinateSection = element('section', { class: 'coordinates-section', 'aria-label': 'Tọa độ / Coordinates' },
        element('h3', {}, 'Tọa độ / Coordinates'),
        coordinateTable(coordinates),
        coordinatesError
          ? element('p', { class: 'error' }, `VN-2000: ${describeError(coordinatesError)}`)
          : null);
      open(`Thửa ${p.number ?? ''}, tờ ${p.sheet ?? ''} / Parcel ${p.number ?? ''}, sheet ${p.sheet ?? ''}`,
        [details, coordinateSection], { focus });
    },
  };
}
