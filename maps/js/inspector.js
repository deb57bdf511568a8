// The inspector's live map (thanh tra xây dựng): construction sites coloured by status in the map view, kept live
// over SignalR (/hubs/map, subscribed to the visible area), alerts pushed as they are raised with an optional
// sound, acknowledged from the work list or the site panel, and a chart of each sensor's readings.

import { acknowledgeAlert, getReadings, getSite, resolveAlert, searchSites } from './api.js';
import { button, element, formatTime } from './dom.js';
import { ALERT_STATES, METRIC_NAMES, STATUS_NAMES, alertText, chartPath, clampBounds, sitesCollection, withStatus } from './live.js';
import { describeError } from './status.js';
import { LAYERS, SOURCES } from './style.js';

const CHART = { width: 320, height: 120 };
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  return node;
}

/** A short beep from the Web Audio API (no sound file to serve); silent where audio is not allowed yet. */
function beep() {
  try {
    const audio = new AudioContext();
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = 880;
    oscillator.connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.25);
    oscillator.onended = () => audio.close();
  } catch {
    // Browsers may refuse audio before the user has interacted with the page.
  }
}

export function createInspector(map, { work, panel, status }) {
  let active = false;
  let connection = null;
  let sites = { type: 'FeatureCollection', features: [] };
  /** Open alerts by id, newest first when listed. */
  const alerts = new Map();
  let openSite = null;
  const sound = element('input', { type: 'checkbox', id: 'alert-sound' });
  const alertList = element('ul', { class: 'work-list', id: 'alert-list', 'aria-live': 'polite' });
  const toast = element('div', { class: 'toast', id: 'alert-toast', role: 'alert', hidden: true });

  const bounds = () => clampBounds(map.getBounds().toArray().flat());

  const showSites = () => map.getSource(SOURCES.sites)?.setData(sites);

  async function loadSites() {
    try {
      const found = await searchSites(bounds());
      if (!active) {
        return;
      }
      sites = sitesCollection(found);
      showSites();
      // Alerts still open at sites in view, for an inspector who signs in after they were raised.
      const troubled = found.filter((s) => s.status === 'warning' || s.status === 'violation').slice(0, 20);
      const details = await Promise.all(troubled.map((s) => getSite(s.id).catch(() => null)));
      for (const site of details.filter(Boolean)) {
        for (const alert of site.openAlerts) {
          alerts.set(alert.id, alert);
        }
      }
      renderAlerts();
    } catch (error) {
      status.error('Không tải được công trường / Could not load sites', error);
    }
  }

  async function subscribeArea() {
    if (connection?.state === 'Connected') {
      try {
        await connection.invoke('SubscribeArea', ...bounds());
      } catch (error) {
        status.error('Không theo dõi được khu vực / Could not follow this area', error);
      }
    }
  }

  const onMove = () => {
    if (active) {
      loadSites();
      subscribeArea();
    }
  };

  function renderAlerts() {
    const open = [...alerts.values()]
      .filter((a) => a.state !== 'resolved')
      .sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt));
    alertList.replaceChildren(...(open.length === 0
      ? [element('li', { class: 'muted' }, 'Không có cảnh báo mở / No open alerts')]
      : open.map((alert) => element('li', { class: `alert alert-${alert.severity}`, 'data-alert': alert.id },
        element('div', {}, element('strong', {}, alertText(alert))),
        element('div', { class: 'muted' }, `${formatTime(alert.raisedAt)} · ${ALERT_STATES[alert.state] || alert.state}`),
        element('div', { class: 'alert-actions' },
          button('Xem công trường / Show site', () => openSiteById(alert.siteId, { fly: true }), { class: 'link-button' }),
          alert.state === 'raised'
            ? button('Xác nhận / Acknowledge', () => act(alert, acknowledgeAlert), { class: 'primary ack-button' })
            : button('Đóng / Resolve', () => act(alert, resolveAlert), { class: 'resolve-button' }))))));
  }

  async function act(alert, call) {
    try {
      const updated = await call(alert.id);
      alerts.set(updated.id, updated);
      renderAlerts();
      status.info(`${alertText(updated)}: ${ALERT_STATES[updated.state] || updated.state}`);
      if (openSite === updated.siteId) {
        openSiteById(updated.siteId);
      }
    } catch (error) {
      status.error('Không cập nhật được cảnh báo / Could not update the alert', error);
    }
  }

  function onAlert(alert) {
    const known = alerts.has(alert.id);
    alerts.set(alert.id, alert);
    renderAlerts();
    if (!known && alert.state === 'raised') {
      toast.textContent = `⚠ ${alertText(alert)}`;
      toast.hidden = false;
      setTimeout(() => { toast.hidden = true; }, 8000);
      if (sound.checked) {
        beep();
      }
    }
  }

  function onStatus(message) {
    sites = withStatus(sites, message);
    showSites();
    if (openSite === message.siteId) {
      openSiteById(message.siteId);
    }
  }

  async function chart(sensor, container) {
    const to = new Date();
    const from = new Date(to.getTime() - 2 * 3600 * 1000);
    container.replaceChildren(element('p', { class: 'muted' }, 'Đang tải… / Loading…'));
    try {
      const readings = await getReadings(sensor.deviceId, { from: from.toISOString(), to: to.toISOString(), every: '1m' });
      const charts = readings.series.map((series) => {
        const limit = sensor.metrics.find((m) => m.metric === series.name)?.limit ?? null;
        const path = chartPath(series.points, CHART.width, CHART.height, limit);
        const figure = svg('svg', {
          viewBox: `0 0 ${CHART.width} ${CHART.height}`, width: CHART.width, height: CHART.height, class: 'chart',
          role: 'img', 'aria-label': METRIC_NAMES[series.name] || series.name,
        });
        if (path) {
          if (Number.isFinite(limit)) {
            const y = path.y(limit).toFixed(1);
            figure.append(svg('line', { x1: 0, x2: CHART.width, y1: y, y2: y, class: 'chart-limit' }));
          }
          figure.append(svg('path', { d: path.d, class: 'chart-line' }),
            ...path.dots.map((dot) => svg('circle', { cx: dot.x.toFixed(1), cy: dot.y.toFixed(1), r: 2, class: 'chart-dot' })));
        }
        return element('figure', { class: 'chart-figure' }, figure,
          element('figcaption', {}, `${METRIC_NAMES[series.name] || series.name} · ${series.points.length} phút / minutes`));
      });
      container.replaceChildren(...(charts.length
        ? charts
        : [element('p', { class: 'muted' }, 'Chưa có số liệu 2 giờ qua / No readings in the last 2 hours')]));
    } catch (error) {
      container.replaceChildren(element('p', { class: 'error' }, describeError(error)));
    }
  }

  async function openSiteById(id, { fly = false } = {}) {
    openSite = id;
    let site;
    try {
      site = await getSite(id);
    } catch (error) {
      panel.showContent('Công trường / Site', [element('p', { class: 'error', role: 'alert' }, describeError(error))]);
      return;
    }
    if (openSite !== id) {
      return;
    }
    if (fly) {
      map.flyTo({ center: [site.lon, site.lat], zoom: Math.max(map.getZoom(), 16) });
    }
    for (const alert of site.openAlerts) {
      alerts.set(alert.id, alert);
    }
    renderAlerts();
    panel.showContent(`Công trường / Site ${site.permitNumber}`, [
      element('dl', { class: 'details' },
        element('dt', {}, 'Trạng thái / Status'),
        element('dd', { id: 'site-status' }, element('span', { class: `badge badge-${site.status}` }, STATUS_NAMES[site.status] || site.status),
          ` ${formatTime(site.statusSince)}`),
        element('dt', {}, 'Vùng / Zone'), element('dd', {}, site.zone === 'special' ? 'Đặc biệt / Special' : 'Thông thường / Normal'),
        element('dt', {}, 'Giấy phép / Permit'), element('dd', {}, site.permitNumber),
        element('dt', {}, 'Giờ thi công / Working hours'),
        element('dd', {}, `${String(site.conditions?.dayStart ?? '06:00').slice(0, 5)}–${String(site.conditions?.nightStart ?? '21:00').slice(0, 5)}`)),
      element('h3', {}, 'Cảm biến / Sensors'),
      element('ul', { class: 'sensors' }, ...site.sensors.map((sensor) => {
        const chartBox = element('div', { class: 'chart-box' });
        return element('li', { 'data-device': sensor.deviceId },
          element('strong', {}, sensor.kind), sensor.offline ? element('span', { class: 'badge badge-offline' }, STATUS_NAMES.offline) : null,
          element('ul', { class: 'metrics' }, ...sensor.metrics.map((m) => element('li', {},
            `${METRIC_NAMES[m.metric] || m.metric}: ${m.value.toFixed(1)}${Number.isFinite(m.limit) ? ` / ${m.limit}` : ''} `,
            element('span', { class: `badge badge-${m.level}` }, STATUS_NAMES[m.level] || m.level)))),
          button('Biểu đồ / Chart', () => chart(sensor, chartBox), { class: 'link-button chart-button' }),
          chartBox);
      })),
      element('h3', {}, 'Cảnh báo mở / Open alerts'),
      site.openAlerts.length === 0
        ? element('p', { class: 'muted' }, 'Không có / None')
        : element('ul', { class: 'work-list' }, ...site.openAlerts.map((alert) => element('li', { class: `alert alert-${alert.severity}` },
          alertText(alert), ' ', element('span', { class: 'muted' }, ALERT_STATES[alert.state] || alert.state), ' ',
          alert.state === 'raised'
            ? button('Xác nhận / Acknowledge', () => act(alert, acknowledgeAlert), { class: 'primary' })
            : button('Đóng / Resolve', () => act(alert, resolveAlert))))),
    ]);
  }

  map.on('click', LAYERS.sites, (event) => {
    const feature = event.features?.[0];
    if (active && feature) {
      openSiteById(feature.properties.id);
    }
  });
  map.on('mouseenter', LAYERS.sites, () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', LAYERS.sites, () => { map.getCanvas().style.cursor = ''; });

  async function connect(token) {
    const { signalR } = window;
    connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/map', { accessTokenFactory: () => token })
      .withAutomaticReconnect()
      .build();
    connection.on('alert', onAlert);
    connection.on('siteStatus', onStatus);
    connection.onreconnected(() => {
      subscribeArea();
      loadSites();
    });
    connection.onreconnecting(() => status.info('Mất kết nối trực tiếp, đang nối lại… / Live connection lost, reconnecting…'));
    try {
      await connection.start();
      work.root.dataset.live = 'connected';
      await subscribeArea();
      status.info('Đang theo dõi trực tiếp / Live: công trường trong khung nhìn / sites in view');
    } catch (error) {
      status.error('Không kết nối được kênh trực tiếp / Could not connect the live channel', error);
    }
  }

  return {
    async start(session) {
      active = true;
      work.root.hidden = false;
      work.title.textContent = 'Cảnh báo công trường / Site alerts';
      work.body.replaceChildren(
        element('label', { class: 'sound-toggle' }, sound, ' Âm báo / Sound'),
        alertList);
      document.body.append(toast);
      renderAlerts();
      map.on('moveend', onMove);
      await Promise.all([loadSites(), connect(session.token)]);
    },
    async stop() {
      active = false;
      map.off('moveend', onMove);
      alerts.clear();
      sites = { type: 'FeatureCollection', features: [] };
      showSites();
      toast.remove();
      delete work.root.dataset.live;
      const closing = connection;
      connection = null;
      await closing?.stop();
    },
    closed() {
      openSite = null;
    },
  };
}
