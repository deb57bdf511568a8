// Ward and commune boundaries (phường, xã): drawn as lines under the parcels, and looked up by point so the
// status line and the parcel panel can name the ward, since the offline style has no text labels.

import { getWards } from './api.js';
import { bbox, contains } from './geometry.js';
import { SOURCES } from './style.js';

export function createWards(map) {
  let wards = [];
  let namesByCode = new Map();

  return {
    /** Loads the boundaries into the map; resolves to the number of wards. */
    async load() {
      const collection = await getWards();
      map.getSource(SOURCES.wards).setData(collection);
      wards = (collection.features || [])
        .map((feature) => ({ feature, box: bbox(feature.geometry) }))
        .filter(({ box }) => box !== null);
      namesByCode = new Map(wards.map(({ feature }) => [String(feature.properties?.code), feature.properties?.name]));
      return wards.length;
    },

    /**
     * "Phường Bến Thành (26743)" for a unit code that is a current ward, the bare code otherwise (a former unit
     * whose map sheets kept their numbers after the 2025 merger).
     */
    unitLabel(code) {
      const name = this.nameOf(code);
      return name ? `${name} (${code})` : String(code ?? '—');
    },

    /** Name of the current ward with this code, or null. */
    nameOf(code) {
      return namesByCode.get(String(code)) ?? null;
    },

    /** Name of the ward containing the point, or null. */
    nameAt({ lng, lat }) {
      const hit = wards.find(({ feature, box }) =>
        lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3] && contains(feature.geometry, [lng, lat]));
      return hit ? hit.feature.properties?.name ?? hit.feature.properties?.code ?? null : null;
    },
  };
}
