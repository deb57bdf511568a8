import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEGEND, OTHER_COLOR, landUseFillColor, landUseName, splitLandUse } from '../js/landuse.js';
import { crsLabel, formatArea } from '../js/format.js';

describe('land use', () => {
  it('splits a compound code into its codes, principal first', () => {
    assert.deepEqual(splitLandUse('ont+ cln'), ['ONT', 'CLN']);
    assert.deepEqual(splitLandUse(null), []);
  });

  it('names codes in Vietnamese and English, keeping an unknown code as its own name', () => {
    assert.deepEqual(landUseName('ODT'), { code: 'ODT', vi: 'Đất ở tại đô thị', en: 'Urban residential' });
    assert.deepEqual(landUseName('XYZ'), { code: 'XYZ', vi: 'XYZ', en: '' });
  });

  it('colours each legend code by the principal code and everything else as other', () => {
    const expression = landUseFillColor();
    assert.deepEqual(expression.slice(0, 2), ['match', ['get', 'lu']]);
    const pairs = expression.slice(2, -1);
    assert.equal(pairs.length, LEGEND.length * 2);
    assert.equal(pairs[pairs.indexOf('CLN') + 1], LEGEND.find((entry) => entry.code === 'CLN').color);
    assert.equal(expression.at(-1), OTHER_COLOR);
  });

  it('gives every legend code a name and a distinct colour', () => {
    assert.equal(new Set(LEGEND.map((entry) => entry.color)).size, LEGEND.length);
    assert.ok(LEGEND.every(({ code }) => landUseName(code).vi !== code));
  });
});

describe('formatting', () => {
  it('writes areas the Vietnamese way', () => {
    assert.equal(formatArea(1234.56), '1.234,6 m²');
    assert.equal(formatArea(undefined), '—');
  });

  it('names the HCMC VN-2000 zone', () => {
    assert.equal(crsLabel('EPSG:9210'), 'VN-2000 / TM-3 105-45 (EPSG:9210)');
    assert.equal(crsLabel('EPSG:3405'), 'EPSG:3405');
  });
});
