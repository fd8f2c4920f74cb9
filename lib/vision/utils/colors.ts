// Colours as PIL's ImageColor.getrgb reads them (names, #rgb[a], #rrggbb[aa], rgb(), rgb(%), rgba(),
// hsl(), hsv()/hsb()), and torchvision.utils' default palette: what the draw_* functions take.
import { ValueError } from '../../errors';

/** An RGB colour (or RGBA, from '#rrggbbaa', '#rgba' and 'rgba(...)'), components 0-255. */
export type RGB = readonly number[];
/** A colour as torchvision's draw functions take it: a PIL colour string or an RGB tuple. */
export type Color = string | RGB;

/** The CSS named colours (those PIL knows), name:rrggbb. */
const NAMED = [
  'aliceblue:f0f8ff antiquewhite:faebd7 aqua:00ffff aquamarine:7fffd4 azure:f0ffff beige:f5f5dc',
  'bisque:ffe4c4 black:000000 blanchedalmond:ffebcd blue:0000ff blueviolet:8a2be2 brown:a52a2a',
  'burlywood:deb887 cadetblue:5f9ea0 chartreuse:7fff00 chocolate:d2691e coral:ff7f50',
  'cornflowerblue:6495ed cornsilk:fff8dc crimson:dc143c cyan:00ffff darkblue:00008b darkcyan:008b8b',
  'darkgoldenrod:b8860b darkgray:a9a9a9 darkgreen:006400 darkgrey:a9a9a9 darkkhaki:bdb76b',
  'darkmagenta:8b008b darkolivegreen:556b2f darkorange:ff8c00 darkorchid:9932cc darkred:8b0000',
  'darksalmon:e9967a darkseagreen:8fbc8f darkslateblue:483d8b darkslategray:2f4f4f',
  'darkslategrey:2f4f4f darkturquoise:00ced1 darkviolet:9400d3 deeppink:ff1493 deepskyblue:00bfff',
  'dimgray:696969 dimgrey:696969 dodgerblue:1e90ff firebrick:b22222 floralwhite:fffaf0',
  'forestgreen:228b22 fuchsia:ff00ff gainsboro:dcdcdc ghostwhite:f8f8ff gold:ffd700 goldenrod:daa520',
  'gray:808080 green:008000 greenyellow:adff2f grey:808080 honeydew:f0fff0 hotpink:ff69b4',
  'indianred:cd5c5c indigo:4b0082 ivory:fffff0 khaki:f0e68c lavender:e6e6fa lavenderblush:fff0f5',
  'lawngreen:7cfc00 lemonchiffon:fffacd lightblue:add8e6 lightcoral:f08080 lightcyan:e0ffff',
  'lightgoldenrodyellow:fafad2 lightgray:d3d3d3 lightgreen:90ee90 lightgrey:d3d3d3 lightpink:ffb6c1',
  'lightsalmon:ffa07a lightseagreen:20b2aa lightskyblue:87cefa lightslategray:778899',
  'lightslategrey:778899 lightsteelblue:b0c4de lightyellow:ffffe0 lime:00ff00 limegreen:32cd32',
  'linen:faf0e6 magenta:ff00ff maroon:800000 mediumaquamarine:66cdaa mediumblue:0000cd',
  'mediumorchid:ba55d3 mediumpurple:9370db mediumseagreen:3cb371 mediumslateblue:7b68ee',
  'mediumspringgreen:00fa9a mediumturquoise:48d1cc mediumvioletred:c71585 midnightblue:191970',
  'mintcream:f5fffa mistyrose:ffe4e1 moccasin:ffe4b5 navajowhite:ffdead navy:000080 oldlace:fdf5e6',
  'olive:808000 olivedrab:6b8e23 orange:ffa500 orangered:ff4500 orchid:da70d6 palegoldenrod:eee8aa',
  'palegreen:98fb98 paleturquoise:afeeee palevioletred:db7093 papayawhip:ffefd5 peachpuff:ffdab9',
  'peru:cd853f pink:ffc0cb plum:dda0dd powderblue:b0e0e6 purple:800080 rebeccapurple:663399',
  'red:ff0000 rosybrown:bc8f8f royalblue:4169e1 saddlebrown:8b4513 salmon:fa8072 sandybrown:f4a460',
  'seagreen:2e8b57 seashell:fff5ee sienna:a0522d silver:c0c0c0 skyblue:87ceeb slateblue:6a5acd',
  'slategray:708090 slategrey:708090 snow:fffafa springgreen:00ff7f steelblue:4682b4 tan:d2b48c',
  'teal:008080 thistle:d8bfd8 tomato:ff6347 turquoise:40e0d0 violet:ee82ee wheat:f5deb3 white:ffffff',
  'whitesmoke:f5f5f5 yellow:ffff00 yellowgreen:9acd32',
].join(' ');
let namedTable: Map<string, RGB> | undefined;
function named(name: string): RGB | undefined {
  if (!namedTable) {
    namedTable = new Map();
    for (const entry of NAMED.split(' ')) {
      const [key, hex] = entry.split(':');
      namedTable.set(key, [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)));
    }
  }
  return namedTable.get(name);
}

/** Python's int(x + 0.5) on a non-negative component. */
const toByte = (x: number) => Math.trunc(x * 255 + 0.5);
/** Python's x % 1.0 (non-negative for negative x). */
const frac = (x: number) => ((x % 1) + 1) % 1;

/** colorsys.hls_to_rgb */
function hlsToRgb(h: number, l: number, s: number): [number, number, number] {
  if (s === 0) return [l, l, l];
  const m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const m1 = 2 * l - m2;
  const v = (hue: number) => {
    hue = frac(hue);
    if (hue < 1 / 6) return m1 + (m2 - m1) * hue * 6;
    if (hue < 0.5) return m2;
    if (hue < 2 / 3) return m1 + (m2 - m1) * (2 / 3 - hue) * 6;
    return m1;
  };
  return [v(h + 1 / 3), v(h), v(h - 1 / 3)];
}

/** colorsys.hsv_to_rgb */
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  if (s === 0) return [v, v, v];
  const i = Math.trunc(h * 6);
  const f = h * 6 - i;
  const [p, q, t] = [v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))];
  const table: [number, number, number][] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]];
  return table[((i % 6) + 6) % 6];
}

/** [pattern, the colour from its groups] for the functional forms, as PIL matches them */
const FORMS: [RegExp, (g: string[]) => RGB][] = [
  [/^rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/, (g) => g.map(Number)],
  [/^rgb\(\s*(\d+)%\s*,\s*(\d+)%\s*,\s*(\d+)%\s*\)$/, (g) => g.map((x) => Math.trunc((Number(x) * 255) / 100 + 0.5))],
  [/^hsl\(\s*(\d+\.?\d*)\s*,\s*(\d+\.?\d*)%\s*,\s*(\d+\.?\d*)%\s*\)$/, ([h, s, l]) => hlsToRgb(Number(h) / 360, Number(l) / 100, Number(s) / 100).map(toByte)],
  [/^hs[bv]\(\s*(\d+\.?\d*)\s*,\s*(\d+\.?\d*)%\s*,\s*(\d+\.?\d*)%\s*\)$/, ([h, s, v]) => hsvToRgb(Number(h) / 360, Number(s) / 100, Number(v) / 100).map(toByte)],
  [/^rgba\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/, (g) => g.map(Number)],
];

/** PIL's ImageColor.getrgb(color): [r, g, b] (or [r, g, b, a]); ValueError for what it cannot read. */
export function getrgb(color: string): RGB {
  if (color.length > 100) throw new ValueError('color specifier is too long');
  const c = color.toLowerCase();
  const hit = named(c);
  if (hit) return hit;
  const hex = /^#([a-f0-9]{3,4}|[a-f0-9]{6}|[a-f0-9]{8})$/.exec(c);
  if (hex) {
    const digits = hex[1];
    const step = digits.length <= 4 ? 1 : 2;
    const parts: number[] = [];
    for (let i = 0; i < digits.length; i += step) parts.push(parseInt(step === 1 ? digits[i] + digits[i] : digits.slice(i, i + 2), 16));
    return parts;
  }
  for (const [pattern, make] of FORMS) {
    const m = pattern.exec(c);
    if (m) return make(m.slice(1));
  }
  throw new ValueError(`unknown color specifier: '${c}'`);
}

/** A colour string read by getrgb; a tuple as given. */
export const toRgb = (color: Color): RGB => (typeof color === 'string' ? getrgb(color) : color);

/** torchvision.utils' _generate_color_palette: n distinct colours, (i * [2^25-1, 2^15-1, 2^21-1]) % 255. */
export function generateColorPalette(numObjects: number): RGB[] {
  const palette = [2 ** 25 - 1, 2 ** 15 - 1, 2 ** 21 - 1];
  return Array.from({ length: numObjects }, (_, i) => palette.map((p) => (i * p) % 255));
}
