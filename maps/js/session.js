// Who is using the map. In embedded mode a demo account per role signs in from the top bar (POST
// /api/auth/demo-token); the token goes with every API call and with the SignalR connection, and survives a reload
// of this tab (sessionStorage), not the browser.

import { demoSignIn, setBearerToken, signOut } from './api.js';
import { describeError } from './status.js';

const STORAGE_KEY = 'hcmcity.session';

const ROLE_NAMES = {
  officer: 'Cán bộ cấp phép / Permit officer',
  inspector: 'Thanh tra xây dựng / Inspector',
};

export function roleName(role) {
  return ROLE_NAMES[role] || role;
}

function load() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
    return saved && typeof saved.token === 'string' && typeof saved.role === 'string' ? saved : null;
  } catch {
    return null;
  }
}

/**
 * @param {HTMLFormElement} form the #session form (role select, unit input, message)
 * @param {{demoOfficerUnit?: string|null, onChange: (session: {role: string, unit: string|null}|null) => void}} options
 *   demoOfficerUnit: the unit of the embedded mode's demo dossiers, offered when an officer signs in
 */
export function createSession(form, { demoOfficerUnit = null, onChange }) {
  const role = form.elements.namedItem('role');
  const unit = form.elements.namedItem('unit');
  if (demoOfficerUnit) {
    unit.placeholder = demoOfficerUnit;
    role.addEventListener('change', () => {
      if (role.value === 'officer' && !unit.value) {
        unit.value = demoOfficerUnit;
      }
    });
  }
  const message = form.querySelector('.session-message');
  let current = load();

  const apply = () => {
    setBearerToken(current?.token);
    role.value = current?.role || '';
    unit.value = current?.unit || '';
    message.classList.remove('is-error');
    message.textContent = current
      ? `Đã đăng nhập / Signed in: ${roleName(current.role)}${current.unit ? ` · ${current.unit}` : ''}`
      : '';
    return onChange(current ? { role: current.role, unit: current.unit, token: current.token } : null);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wanted = role.value;
    const wantedUnit = unit.value.trim() || null;
    try {
      if (!wanted) {
        await signOut();
        current = null;
      } else {
        if (wanted === 'officer' && !wantedUnit) {
          message.textContent = 'Cán bộ cấp phép cần mã đơn vị / An officer needs a unit code';
          message.classList.add('is-error');
          unit.focus();
          return;
        }
        const token = await demoSignIn(wanted, wantedUnit);
        current = { token: token.accessToken, role: token.role, unit: wantedUnit };
      }
    } catch (error) {
      message.textContent = `Không đăng nhập được / Sign-in failed: ${describeError(error)}`;
      message.classList.add('is-error');
      return;
    }
    if (current) {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(current));
    } else {
      sessionStorage.removeItem(STORAGE_KEY);
    }
    await apply();
  });

  return {
    /** Applies the saved session (after a reload) once the rest of the page is wired. */
    start: apply,
    get current() {
      return current;
    },
  };
}
