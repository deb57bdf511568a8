// The status line: one message (progress, result or error) on the left; pointer position, ward and zoom on the
// right. Messages are announced to screen readers through the element's role="status".

import { formatDegrees } from './format.js';

/** One line of text for an ApiError or any other error, problem+json field messages included. */
export function describeError(error) {
  const fields = Object.entries(error.errors || {})
    .map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`);
  return [error.title || error.message, error.detail && error.detail !== error.title ? error.detail : '', ...fields]
    .filter((part) => part)
    .join(' — ');
}

export function createStatus(elements) {
  const { message, cursor, zoom, ward } = elements;
  return {
    info(text) {
      message.textContent = text;
      message.classList.remove('is-error');
    },
    error(context, error) {
      message.textContent = `${context}: ${describeError(error)}`;
      message.classList.add('is-error');
    },
    pointer(lngLat) {
      cursor.textContent = lngLat
        ? `${formatDegrees(lngLat.lat)}, ${formatDegrees(lngLat.lng)}`
        : '';
    },
    zoom(level) {
      zoom.textContent = `Thu phóng / Zoom ${level.toFixed(1)}`;
    },
    ward(name) {
      ward.textContent = name ? `Phường/Xã / Ward: ${name}` : '';
    },
  };
}
