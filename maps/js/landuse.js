// Land-use codes (loại đất) of Circular 08/2024/TT-BTNMT Appendix II, with the older codes of Circular
// 27/2018/TT-BTNMT that imported cadastral databases still carry (e.g. DNL, NTD, DCH, SKX). Tiles give the
// principal code as `lu`; the full, possibly compound, code (e.g. "ONT+CLN") as `landUse`.

const NAMES = {
  ODT: ['Đất ở tại đô thị', 'Urban residential'],
  ONT: ['Đất ở tại nông thôn', 'Rural residential'],
  LUC: ['Đất chuyên trồng lúa', 'Specialised rice land'],
  LUK: ['Đất trồng lúa còn lại', 'Other rice land'],
  HNK: ['Đất trồng cây hằng năm khác', 'Other annual crops'],
  CLN: ['Đất trồng cây lâu năm', 'Perennial crops'],
  RSX: ['Đất rừng sản xuất', 'Production forest'],
  RPH: ['Đất rừng phòng hộ', 'Protection forest'],
  RDD: ['Đất rừng đặc dụng', 'Special-use forest'],
  NTS: ['Đất nuôi trồng thủy sản', 'Aquaculture'],
  TSC: ['Đất xây dựng trụ sở cơ quan', 'Government offices'],
  CQP: ['Đất quốc phòng', 'Defence'],
  CAN: ['Đất an ninh', 'Security'],
  DGD: ['Đất xây dựng cơ sở giáo dục', 'Education'],
  DYT: ['Đất xây dựng cơ sở y tế', 'Health care'],
  DVH: ['Đất xây dựng cơ sở văn hóa', 'Culture'],
  DTT: ['Đất xây dựng cơ sở thể dục thể thao', 'Sport'],
  TMD: ['Đất thương mại dịch vụ', 'Commerce and services'],
  SKC: ['Đất cơ sở sản xuất phi nông nghiệp', 'Non-agricultural production'],
  SKX: ['Đất sản xuất vật liệu xây dựng, làm đồ gốm', 'Building materials, pottery'],
  DGT: ['Đất giao thông', 'Transport'],
  DTL: ['Đất thủy lợi', 'Irrigation'],
  DNL: ['Đất công trình năng lượng', 'Energy works'],
  DBV: ['Đất công trình bưu chính, viễn thông', 'Post and telecommunications'],
  DCH: ['Đất chợ', 'Market'],
  NTD: ['Đất nghĩa trang, nhà tang lễ', 'Cemetery, funeral home'],
  TON: ['Đất tôn giáo', 'Religious'],
  TIN: ['Đất tín ngưỡng', 'Belief'],
  SON: ['Đất sông, ngòi, kênh, rạch, suối', 'Rivers and canals'],
  MNC: ['Đất có mặt nước chuyên dùng', 'Special-use water surface'],
  PNK: ['Đất phi nông nghiệp khác', 'Other non-agricultural'],
  BCS: ['Đất bằng chưa sử dụng', 'Unused flat land'],
  DCS: ['Đất đồi núi chưa sử dụng', 'Unused hilly land'],
  NCS: ['Núi đá không có rừng cây', 'Unused rocky mountain'],
};

/** Colours of the parcel fill by principal code; every other code is drawn in OTHER_COLOR. */
export const LEGEND = [
  { code: 'ODT', color: '#e0474c' },
  { code: 'ONT', color: '#f08fb0' },
  { code: 'TMD', color: '#a45cc4' },
  { code: 'DGD', color: '#f0922b' },
  { code: 'CLN', color: '#6fb24a' },
  { code: 'HNK', color: '#e9cf7a' },
  { code: 'LUC', color: '#f7ef5a' },
  { code: 'SKC', color: '#8b6a55' },
  { code: 'DGT', color: '#a3a3a3' },
  { code: 'DTL', color: '#5aa6e0' },
];

export const OTHER_COLOR = '#cbc3b0';

/** MapLibre expression colouring a parcel by its `lu` tile property. */
export function landUseFillColor() {
  return ['match', ['get', 'lu'], ...LEGEND.flatMap(({ code, color }) => [code, color]), OTHER_COLOR];
}

/** Vietnamese and English names of one code; unknown codes keep the code itself as their name. */
export function landUseName(code) {
  const [vi, en] = NAMES[code] || [code, ''];
  return { code, vi, en };
}

/** Each code of a compound land use such as "ONT+CLN", in order, principal first. */
export function splitLandUse(landUse) {
  return String(landUse || '')
    .split(/[+,; ]/)
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code.length > 0);
}

/** Fills the legend list: one swatch per coloured code, then "other". */
export function renderLegend(list) {
  const entries = [
    ...LEGEND.map(({ code, color }) => ({ ...landUseName(code), color })),
    { code: '', vi: 'Loại đất khác', en: 'Other land use', color: OTHER_COLOR },
  ];
  list.replaceChildren(...entries.map((entry) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = entry.color;
    swatch.setAttribute('aria-hidden', 'true');
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = entry.code;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = entry.vi;
    const english = document.createElement('span');
    english.className = 'name-en';
    english.textContent = entry.en;
    name.append(english);
    item.append(swatch, code, name);
    return item;
  }));
}
