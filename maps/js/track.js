// Citizens follow their dossier (tra cứu hồ sơ) by its number and the secret they got when submitting, without
// signing in; the server answers alike for an unknown number and a wrong secret, and shows no names.

import { trackDossier } from './api.js';
import { element, formatTime } from './dom.js';
import { ACTION_NAMES, STATE_NAMES } from './review.js';
import { describeError } from './status.js';

const CITIZEN_ACTIONS = {
  submit: 'Nộp hồ sơ / Submitted',
  supplement: 'Bổ sung / Supplemented',
  withdraw: 'Rút hồ sơ / Withdrawn',
  'record-permit': 'Cấp giấy phép điện tử / E-permit issued',
  commence: 'Thông báo khởi công / Commencement notice',
  expire: 'Hết hạn khởi công / Not commenced in time',
};

export function createTracking({ dialog, form, openButton, result }) {
  const number = form.elements.namedItem('number');
  const secret = form.elements.namedItem('secret');

  openButton.addEventListener('click', () => {
    result.replaceChildren();
    dialog.showModal();
    number.focus();
  });

  form.addEventListener('submit', async (event) => {
    if (event.submitter?.value !== 'track') {
      return;
    }
    event.preventDefault();
    if (!number.value.trim() || !secret.value.trim()) {
      result.replaceChildren(element('p', { class: 'error' }, 'Cần số hồ sơ và mã tra cứu / Number and secret are required'));
      return;
    }
    result.replaceChildren(element('p', { class: 'muted' }, 'Đang tra cứu… / Looking up…'));
    try {
      const dossier = await trackDossier(number.value.trim(), secret.value.trim());
      result.replaceChildren(
        element('p', { id: 'track-state' }, element('strong', {}, STATE_NAMES[dossier.state] || dossier.state),
          dossier.deadline ? ` · Hạn / Deadline ${dossier.deadline}` : '',
          dossier.overdue ? ' · Quá hạn / Overdue' : ''),
        dossier.permitNumber
          ? element('p', {}, 'Giấy phép / Permit: ',
            element('a', { href: `/permits/${encodeURIComponent(dossier.permitNumber)}`, target: '_blank' }, dossier.permitNumber))
          : null,
        element('ol', { class: 'history' }, ...dossier.history.map((e) => element('li', {},
          `${formatTime(e.at)} · ${ACTION_NAMES[e.action] || CITIZEN_ACTIONS[e.action] || e.action} → ${STATE_NAMES[e.to] || e.to}`,
          e.reason ? element('span', { class: 'muted' }, ` — ${e.reason}`) : null))));
    } catch (error) {
      result.replaceChildren(element('p', { class: 'error', role: 'alert' }, describeError(error)));
    }
  });
}
