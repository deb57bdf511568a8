// The permit officer's screen (cán bộ cấp phép): the unit's dossiers in the work list; opening one draws its parcel,
// footprint and every failing finding on the map, lists the findings with their citations in the panel, and takes
// the officer's decision with a reason. An approval links to the e-permit it produced.

import { checkDossier, getDossier, listDossiers, transitionDossier } from './api.js';
import { button, element, formatTime } from './dom.js';
import { bbox } from './geometry.js';
import {
  ACTION_NAMES, REASON_REQUIRED, RULE_NAMES, STATE_NAMES, STATUS_NAMES, formatMeasure, officerActions, reviewFeatures,
  sortFindings,
} from './review.js';
import { describeError } from './status.js';
import { SOURCES } from './style.js';

const EMPTY = { type: 'FeatureCollection', features: [] };

function deadlineText(dossier) {
  if (dossier.overdue) {
    return element('span', { class: 'badge badge-violation' }, 'Quá hạn / Overdue');
  }
  if (Number.isFinite(dossier.daysLeft)) {
    return element('span', { class: `badge ${dossier.daysLeft <= 2 ? 'badge-warning' : 'badge-ok'}` },
      `Còn ${dossier.daysLeft} ngày làm việc / ${dossier.daysLeft} working days left`);
  }
  return null;
}

export function createOfficer(map, { work, panel, status }) {
  let active = false;
  let openNumber = null;

  const clearMap = () => map.getSource(SOURCES.review)?.setData(EMPTY);

  async function refreshList() {
    work.title.textContent = 'Hồ sơ cấp phép / Permit dossiers';
    let list;
    try {
      list = await listDossiers();
    } catch (error) {
      work.body.replaceChildren(element('p', { class: 'error', role: 'alert' }, describeError(error)));
      return;
    }
    if (!active) {
      return;
    }
    const items = list.items || [];
    work.body.replaceChildren(
      items.length === 0
        ? element('p', { class: 'muted' }, 'Chưa có hồ sơ nào của đơn vị / No dossiers for this unit yet.')
        : element('ul', { class: 'work-list', id: 'dossier-list' }, ...items.map((dossier) => element('li', {},
          button([
            element('strong', {}, dossier.number), element('br'),
            element('span', { class: `state state-${dossier.state}` }, STATE_NAMES[dossier.state] || dossier.state), ' ',
            deadlineText(dossier),
          ], () => open(dossier.number), { class: 'work-item', 'data-number': dossier.number })))),
      button('Tải lại / Refresh', refreshList, { class: 'link-button' }));
  }

  function findingRows(check) {
    return sortFindings(check.findings).map((finding) => {
      const drawable = finding.geometry && (finding.status === 'fail' || finding.status === 'review');
      return element('li', { class: `finding finding-${finding.status}`, 'data-rule': finding.rule },
        element('div', { class: 'finding-head' },
          element('strong', {}, RULE_NAMES[finding.rule] || finding.rule),
          element('span', { class: `badge badge-${finding.status}` }, STATUS_NAMES[finding.status] || finding.status)),
        Number.isFinite(finding.actual) || Number.isFinite(finding.limit)
          ? element('p', { class: 'finding-measure' },
            `Thực tế / Actual: ${formatMeasure(finding.actual, finding.unit)} · Giới hạn / Limit: ${formatMeasure(finding.limit, finding.unit)}`)
          : null,
        element('p', {}, finding.message?.vi || ''),
        element('p', { class: 'en' }, finding.message?.en || ''),
        element('p', { class: 'citation' }, finding.citation || ''),
        drawable
          ? button('Xem trên bản đồ / Show on map', () => fit(finding.geometry), { class: 'link-button' })
          : null);
    });
  }

  function fit(geometry) {
    const box = bbox(geometry);
    if (box) {
      map.fitBounds(box, { padding: { top: 60, bottom: 60, left: 380, right: 440 }, maxZoom: 20 });
    }
  }

  function decisionForm(dossier) {
    const actions = officerActions(dossier.state, { deficiencyNotified: dossier.deficiencyNotified });
    if (actions.length === 0) {
      return null;
    }
    const action = element('select', { id: 'decision-action', name: 'action' },
      ...actions.map((name) => element('option', { value: name }, ACTION_NAMES[name] || name)));
    const reason = element('textarea', { id: 'decision-reason', name: 'reason', rows: '3' });
    const message = element('p', { class: 'decision-message', role: 'status' });
    const form = element('form', { class: 'decision', id: 'decision', novalidate: true },
      element('h3', {}, 'Quyết định / Decision'),
      element('div', { class: 'field' }, element('label', { for: 'decision-action' }, 'Hành động / Action'), action),
      element('div', { class: 'field' }, element('label', { for: 'decision-reason' }, 'Lý do / Reason'), reason),
      element('button', { type: 'submit', class: 'primary', id: 'decision-submit' }, 'Ghi quyết định / Record decision'),
      message);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (REASON_REQUIRED.has(action.value) && !reason.value.trim()) {
        message.textContent = 'Cần nêu lý do / A reason is required';
        message.classList.add('error');
        reason.focus();
        return;
      }
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        const result = await transitionDossier(dossier.number, action.value, reason.value.trim() || null);
        status.info(`${dossier.number}: ${STATE_NAMES[result.state] || result.state}`);
        await open(dossier.number, { keepView: true });
        await refreshList();
      } catch (error) {
        message.textContent = describeError(error);
        message.classList.add('error');
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  async function open(number, { keepView = false } = {}) {
    openNumber = number;
    panel.showContent(`Hồ sơ / Dossier ${number}`, [element('p', { class: 'muted' }, 'Đang tải… / Loading…')]);
    let dossier;
    let check;
    try {
      [dossier, check] = await Promise.all([getDossier(number), checkDossier(number)]);
    } catch (error) {
      panel.showContent(`Hồ sơ / Dossier ${number}`, [element('p', { class: 'error', role: 'alert' }, describeError(error))]);
      return;
    }
    if (openNumber !== number || !active) {
      return;
    }
    map.getSource(SOURCES.review)?.setData(reviewFeatures(check));
    if (!keepView && check.parcel) {
      fit(check.parcel);
    }
    const plan = dossier.sitePlan;
    const failing = check.findings.filter((f) => f.status === 'fail').length;
    panel.showContent(`Hồ sơ / Dossier ${number}`, [
      element('dl', { class: 'details' },
        element('dt', {}, 'Trạng thái / State'),
        element('dd', { id: 'dossier-state' }, STATE_NAMES[dossier.state] || dossier.state, ' ', deadlineText(dossier)),
        element('dt', {}, 'Hạn / Deadline'), element('dd', {}, dossier.deadline || '—'),
        element('dt', {}, 'Thửa / Parcel id'), element('dd', {}, String(dossier.parcelId)),
        element('dt', {}, 'Quy mô / Scale'),
        element('dd', {}, `${plan.floors} tầng / floors · ${formatMeasure(plan.height, 'm')} · lộ giới / road ${formatMeasure(plan.roadWidth, 'm')}`),
        dossier.applicant ? element('dt', {}, 'Người đề nghị / Applicant') : null,
        dossier.applicant
          ? element('dd', {}, dossier.applicant.fullName,
            // The dossier shows the profile it was filed with; say so when the applicant has changed it since.
            dossier.applicant.profileChanged
              ? element('span', { class: 'muted', id: 'applicant-changed' },
                ` · hồ sơ người đề nghị đã thay đổi sau khi nộp / profile changed since filing (v${dossier.applicant.version} → v${dossier.applicant.currentVersion})`)
              : null)
          : null,
        dossier.permitNumber ? element('dt', {}, 'Giấy phép / Permit') : null,
        dossier.permitNumber
          ? element('dd', {}, element('a', { href: `/permits/${encodeURIComponent(dossier.permitNumber)}`, target: '_blank', id: 'permit-link' },
            dossier.permitNumber))
          : null),
      element('section', { 'aria-label': 'Kết quả kiểm tra / Compliance' },
        element('h3', {}, 'Kiểm tra tự động / Automated check ',
          element('span', { class: `badge badge-${check.verdict}`, id: 'check-verdict' }, STATUS_NAMES[check.verdict] || check.verdict)),
        element('p', { class: 'muted' }, `${check.ruleSet?.id} ${check.ruleSet?.version} · ${failing} không đạt / failing`),
        element('ul', { class: 'findings', id: 'findings' }, ...findingRows(check))),
      decisionForm(dossier),
      element('section', { 'aria-label': 'Lịch sử / History' },
        element('h3', {}, 'Lịch sử / History'),
        element('ol', { class: 'history' }, ...dossier.history.map((event) => element('li', {},
          `${formatTime(event.at)} · ${ACTION_NAMES[event.action] || event.action} → ${STATE_NAMES[event.to] || event.to}`,
          event.reason ? element('span', { class: 'muted' }, ` — ${event.reason}`) : null)))),
    ]);
    status.info(`Hồ sơ / Dossier ${number}: ${failing} phát hiện không đạt / failing findings`);
  }

  return {
    async start() {
      active = true;
      work.root.hidden = false;
      await refreshList();
    },
    stop() {
      active = false;
      openNumber = null;
      clearMap();
    },
    /** The panel closed: forget the drawn dossier. */
    closed() {
      openNumber = null;
      clearMap();
    },
    open,
  };
}
