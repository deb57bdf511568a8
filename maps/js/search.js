// "Tìm thửa / Find parcel": search by map sheet (số tờ) and parcel number (số thửa), unit optional. One match
// opens directly; several (the same sheet and number in different units) are listed to choose from.

import { ApiError, searchParcels } from './api.js';
import { describeError } from './status.js';

const FIELDS = ['unit', 'sheet', 'number'];

export function createSearch(form, { onFound, status, unitLabel }) {
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, form.elements.namedItem(name)]));
  const fieldErrors = Object.fromEntries(FIELDS.map((name) => [name, form.querySelector(`#search-${name}-error`)]));
  const message = form.querySelector('#search-message');
  const results = form.querySelector('#search-results');

  const setFieldError = (name, text) => {
    fieldErrors[name].textContent = text;
    inputs[name].setAttribute('aria-invalid', text ? 'true' : 'false');
  };

  const reset = () => {
    FIELDS.forEach((name) => setFieldError(name, ''));
    message.textContent = '';
    message.classList.remove('is-error');
    results.replaceChildren();
    results.hidden = true;
  };

  const showProblem = (error) => {
    // problem+json field names follow the query parameters; match them case-insensitively.
    let placed = false;
    for (const [field, messages] of Object.entries(error.errors || {})) {
      const name = FIELDS.find((candidate) => candidate === field.toLowerCase());
      if (name) {
        setFieldError(name, [].concat(messages).join(' '));
        placed = true;
      }
    }
    message.textContent = placed ? error.title : describeError(error);
    message.classList.add('is-error');
  };

  // Focus goes back to the search before the list disappears, so it is never left on a hidden button.
  const closeResults = () => {
    inputs.number.focus();
    results.hidden = true;
    results.replaceChildren();
  };

  results.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      closeResults();
    }
  });

  const listResults = (features) => {
    results.replaceChildren(...features.map((feature) => {
      const p = feature.properties || {};
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `${unitLabel(p.unit)} · Tờ / Sheet ${p.sheet} · Thửa / Parcel ${p.number} · ${p.landUse}`;
      button.addEventListener('click', () => {
        closeResults();
        onFound(feature);
      });
      const item = document.createElement('li');
      item.append(button);
      return item;
    }));
    results.hidden = false;
    results.querySelector('button').focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    reset();
    const query = Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.trim()]));
    const missing = ['sheet', 'number'].filter((name) => query[name] === '');
    if (missing.length > 0) {
      missing.forEach((name) => setFieldError(name, 'Bắt buộc / Required'));
      inputs[missing[0]].focus();
      return;
    }
    status.info('Đang tìm… / Searching…');
    let collection;
    try {
      collection = await searchParcels(query);
    } catch (error) {
      showProblem(error instanceof ApiError ? error : new ApiError(0, { title: error.message }));
      status.error('Tìm thửa thất bại / Search failed', error);
      return;
    }
    const features = collection.features || [];
    const label = `${query.unit ? `${query.unit}, ` : ''}tờ ${query.sheet}, thửa ${query.number}`;
    if (features.length === 0) {
      message.textContent = `Không tìm thấy ${label} / No parcel found`;
      message.classList.add('is-error');
      status.info(message.textContent);
      return;
    }
    if (features.length === 1) {
      message.textContent = `Đã tìm thấy ${label} / Found`;
      onFound(features[0]);
      return;
    }
    message.textContent = `${features.length} thửa khớp ${label}, chọn một / ${features.length} parcels match, choose one`;
    status.info(message.textContent);
    listResults(features);
  });
}
