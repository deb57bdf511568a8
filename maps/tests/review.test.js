import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMeasure, officerActions, reviewFeatures, sortFindings } from '../js/review.js';

const square = (x) => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] });

describe('officerActions', () => {
  it('offers appraisal for a submitted dossier and the decisions during appraisal', () => {
    assert.deepEqual(officerActions('submitted'), ['start-appraisal']);
    assert.deepEqual(officerActions('appraisal'), ['approve', 'refuse', 'notify-deficiency']);
  });

  it('offers a deficiency notice at most once (Decree 217/2026)', () => {
    assert.deepEqual(officerActions('appraisal', { deficiencyNotified: true }), ['approve', 'refuse']);
  });

  it('offers suspension and completion during construction, and resumption of suspended works', () => {
    assert.deepEqual(officerActions('commenced'), ['suspend', 'complete']);
    assert.deepEqual(officerActions('suspended'), ['resume']);
  });

  it('offers nothing once decided, withdrawn or waiting for the applicant', () => {
    for (const state of ['approved', 'refused', 'withdrawn', 'deficiency-notified', 'completed', 'expired', 'unknown']) {
      assert.deepEqual(officerActions(state), [], state);
    }
  });
});

describe('reviewFeatures', () => {
  it('draws the parcel, the footprint and only the failing or to-review findings that have a geometry', () => {
    const check = {
      parcel: square(0),
      footprint: square(1),
      findings: [
        { rule: 'density', status: 'fail', geometry: square(2) },
        { rule: 'rear-setback', status: 'review', geometry: square(3) },
        { rule: 'inside-parcel', status: 'pass', geometry: square(4) },
        { rule: 'floors', status: 'fail' },
      ],
    };
    const { features } = reviewFeatures(check);
    assert.deepEqual(features.map((f) => f.properties.kind), ['parcel', 'footprint', 'finding', 'finding']);
    assert.deepEqual(features.slice(2).map((f) => f.properties.rule), ['density', 'rear-setback']);
    assert.equal(features[2].geometry, check.findings[0].geometry);
  });

  it('is an empty collection for no check', () => {
    assert.deepEqual(reviewFeatures(null), { type: 'FeatureCollection', features: [] });
  });
});

describe('formatMeasure', () => {
  it('uses Vietnamese decimals and the unit', () => {
    assert.equal(formatMeasure(15.8, 'm'), '15,8 m');
    assert.equal(formatMeasure(4, 'floors'), '4 floors');
    assert.equal(formatMeasure(null, 'm'), '—');
  });
});

describe('sortFindings', () => {
  it('puts failing, then to-review findings first and keeps the rule order within each status', () => {
    const findings = ['pass', 'fail', 'not-applicable', 'review', 'fail'].map((status, i) => ({ rule: `r${i}`, status }));
    assert.deepEqual(sortFindings(findings).map((f) => f.rule), ['r1', 'r4', 'r3', 'r0', 'r2']);
    assert.equal(findings[0].rule, 'r0');
  });
});
