// What an officer's review needs that is pure data: the decisions a dossier's state allows (the server's
// PermitWorkflow decides; this only offers the buttons), labels of states, rules and finding statuses, and the
// GeoJSON drawn for a checked site plan. No DOM here, so node:test covers it.

/** Officer actions per state, as PermitWorkflow's moves allow them (the applicant's supplement/withdraw excluded). */
const OFFICER_ACTIONS = {
  submitted: ['start-appraisal'],
  appraisal: ['approve', 'refuse', 'notify-deficiency'],
  supplemented: ['approve', 'refuse'],
  commenced: ['suspend', 'complete'],
  suspended: ['resume'],
};

/**
 * Actions that must state a reason (Decree 217/2026: a deficiency notice says what is missing, a refusal why; a
 * suspension of the works and its lifting are decisions with their grounds).
 */
export const REASON_REQUIRED = new Set(['notify-deficiency', 'refuse', 'suspend', 'resume']);

export const ACTION_NAMES = {
  'start-appraisal': 'Bắt đầu thẩm định / Start appraisal',
  approve: 'Cấp phép / Approve',
  refuse: 'Từ chối / Refuse',
  'notify-deficiency': 'Yêu cầu bổ sung / Request supplements',
  suspend: 'Đình chỉ thi công / Suspend construction',
  resume: 'Cho tiếp tục thi công / Resume construction',
  complete: 'Xác nhận hoàn công / Record completion',
};

export const STATE_NAMES = {
  submitted: 'Đã nộp / Submitted',
  appraisal: 'Đang thẩm định / In appraisal',
  'deficiency-notified': 'Chờ bổ sung / Awaiting supplements',
  supplemented: 'Đã bổ sung / Supplemented',
  approved: 'Đã cấp phép / Approved',
  refused: 'Từ chối / Refused',
  withdrawn: 'Đã rút / Withdrawn',
  commenced: 'Đang thi công / Under construction',
  suspended: 'Đình chỉ thi công / Construction suspended',
  completed: 'Đã hoàn công / Completed',
  expired: 'Hết hiệu lực / Expired',
};

export const RULE_NAMES = {
  'land-use': 'Loại đất / Land use',
  'lot-size': 'Diện tích, kích thước lô / Lot size',
  'inside-parcel': 'Trong ranh thửa / Inside the parcel',
  density: 'Mật độ xây dựng / Building density',
  floors: 'Số tầng / Floors',
  height: 'Chiều cao / Height',
  'rear-setback': 'Khoảng lùi sau / Rear setback',
  balcony: 'Ban công / Balcony',
  far: 'Hệ số sử dụng đất / Floor area ratio',
};

export const STATUS_NAMES = {
  pass: 'Đạt / Pass',
  fail: 'Không đạt / Fail',
  review: 'Cần xem xét / Review',
  'not-applicable': 'Không áp dụng / N/A',
};

const STATUS_ORDER = { fail: 0, review: 1, pass: 2, 'not-applicable': 3 };

/** Findings with what needs the officer first: fail, review, pass, not applicable; rule order kept within each. */
export function sortFindings(findings) {
  return findings
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => ((STATUS_ORDER[a.finding.status] ?? 4) - (STATUS_ORDER[b.finding.status] ?? 4)) || a.index - b.index)
    .map(({ finding }) => finding);
}

/** Decisions an officer can take on a dossier in this state; deficiency notice at most once. */
export function officerActions(state, { deficiencyNotified = false } = {}) {
  return (OFFICER_ACTIONS[state] || []).filter((action) => !(action === 'notify-deficiency' && deficiencyNotified));
}

/**
 * The map's picture of a check: the parcel outline, the footprint and every failing or to-review finding that
 * carries a geometry, each a Feature with property kind ("parcel" | "footprint" | "finding") and, for findings,
 * rule and status.
 */
export function reviewFeatures(check) {
  const features = [];
  if (check?.parcel) {
    features.push({ type: 'Feature', geometry: check.parcel, properties: { kind: 'parcel' } });
  }
  if (check?.footprint) {
    features.push({ type: 'Feature', geometry: check.footprint, properties: { kind: 'footprint' } });
  }
  for (const finding of check?.findings || []) {
    if (finding.geometry && (finding.status === 'fail' || finding.status === 'review')) {
      features.push({
        type: 'Feature',
        geometry: finding.geometry,
        properties: { kind: 'finding', rule: finding.rule, status: finding.status },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** "15,8 m" / "72 %" / "4 floors": a finding's number with its unit, Vietnamese decimals; "—" when absent. */
export function formatMeasure(value, unit) {
  if (!Number.isFinite(value)) {
    return '—';
  }
  const text = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(value);
  return unit ? `${text} ${unit}` : text;
}
