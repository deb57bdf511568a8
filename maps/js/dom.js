// Small DOM helpers shared by the panels: the UI is built from elements, never from HTML strings, so server text
// (dossier reasons, messages) can never become markup.

/** document.createElement with attributes and children (arrays flattened); null and undefined are skipped. */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      node.setAttribute(name, value === true ? '' : value);
    }
  }
  node.append(...children.flat().filter((child) => child !== null && child !== undefined));
  return node;
}

/** A button that runs onClick; while an async onClick runs the button is disabled (no double submission). */
export function button(label, onClick, attributes = {}) {
  const node = element('button', { type: 'button', ...attributes }, label);
  node.addEventListener('click', async () => {
    node.disabled = true;
    try {
      await onClick();
    } finally {
      node.disabled = false;
    }
  });
  return node;
}

const dateTime = new Intl.DateTimeFormat('vi-VN', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Asia/Ho_Chi_Minh',
});

/** "29/11/2026, 14:05" in Ho Chi Minh City time; "—" when missing. */
export function formatTime(value) {
  return value ? dateTime.format(new Date(value)) : '—';
}
