// The public figures page (công khai, no sign-in): processing figures per ward and procedure, the on-time rate over
// the last months and confirmed violations by ward, in Vietnamese first with an English switch.
import { barChart, lastMonths, onTimeRate } from './figures.js';

const TEXT = {
  vi: {
    subtitle: 'Công khai kết quả giải quyết hồ sơ', map: 'Bản đồ', switchTo: 'English',
    intro: 'Số liệu trực tiếp từ hồ sơ, không có thông tin cá nhân.',
    onTimeChart: 'Tỷ lệ giải quyết đúng hạn theo tháng', violationsChart: 'Vi phạm đã xác nhận theo phường (tháng này)',
    ward: 'Phường', procedure: 'Thủ tục', received: 'Tiếp nhận', resolved: 'Đã giải quyết', resolvedOnTime: 'Đúng hạn',
    overdue: 'Quá hạn', medianDays: 'Trung vị (ngày làm việc)', csv: 'Tải CSV', sitesCsv: 'Công trường (CSV)',
    asOf: 'Số liệu lúc', failed: 'Không tải được số liệu',
    'new-construction': 'Xây dựng mới', 'repair-renovation': 'Sửa chữa, cải tạo', relocation: 'Di dời', 'term-limited': 'Có thời hạn',
  },
  en: {
    subtitle: 'Public permitting figures', map: 'Map', switchTo: 'Tiếng Việt',
    intro: 'Live from the dossiers, without personal data.',
    onTimeChart: 'Resolved on time, by month', violationsChart: 'Confirmed violations by ward (this month)',
    ward: 'Ward', procedure: 'Procedure', received: 'Received', resolved: 'Resolved', resolvedOnTime: 'On time',
    overdue: 'Overdue', medianDays: 'Median (working days)', csv: 'Download CSV', sitesCsv: 'Sites (CSV)',
    asOf: 'Figures as of', failed: 'Could not load the figures',
    'new-construction': 'New construction', 'repair-renovation': 'Repair, renovation', relocation: 'Relocation', 'term-limited': 'Term-limited',
  },
};

let language = 'vi';
let figures = null;

async function json(path) {
  const response = await fetch(path);
  if (!response.ok) {
    throw new Error(`${path}: ${response.status}`);
  }
  return response.json();
}

async function load() {
  const months = lastMonths(new Date(), 6);
  const [all, sites, ...perMonth] = await Promise.all([
    json('/api/public/processing'),
    json('/api/public/sites'),
    ...months.map((m) => json(`/api/public/processing?from=${m.from}&to=${m.to}`)),
  ]);
  return { all, sites, months: months.map((m, i) => ({ label: m.month, value: onTimeRate(perMonth[i].rows) })) };
}

function render() {
  const t = TEXT[language];
  document.documentElement.lang = language;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t[el.dataset.i18n]; });
  const toggle = document.getElementById('language');
  toggle.textContent = t.switchTo;
  toggle.lang = language === 'vi' ? 'en' : 'vi';
  if (!figures) {
    return;
  }
  const locale = language === 'vi' ? 'vi-VN' : 'en-GB';
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  document.getElementById('public-status').textContent = `${t.asOf} ${new Date(figures.all.asOf).toLocaleString(locale)}`;
  const body = document.querySelector('#public-table tbody');
  body.replaceChildren(...figures.all.rows.map((r) => {
    const tr = document.createElement('tr');
    for (const value of [r.ward, t[r.procedure] ?? r.procedure, r.received, r.resolved, r.resolvedOnTime, r.overdue, r.medianDays]) {
      const td = document.createElement('td');
      td.textContent = value == null ? '—' : typeof value === 'number' ? number.format(value) : value;
      tr.append(td);
    }
    return tr;
  }));
  document.getElementById('chart-on-time').innerHTML = barChart(figures.months,
    { title: t.onTimeChart, max: 1, format: (v) => `${Math.round(v * 100)}%` });
  document.getElementById('chart-violations').innerHTML = barChart(
    figures.sites.rows.map((r) => ({ label: r.ward, value: r.confirmedViolations })), { title: t.violationsChart });
}

document.getElementById('language').addEventListener('click', () => {
  language = language === 'vi' ? 'en' : 'vi';
  render();
});

render();
load().then((loaded) => { figures = loaded; render(); }).catch((error) => {
  document.getElementById('public-status').textContent = `${TEXT[language].failed}: ${error.message}`;
});
