// Draws the add-on's store images, icon.png (128x128) and logo.png (250x100), beside
// config.yaml: a robot head over a small network of agents, on the brand colour #03a9f4.
// Only node:zlib: shapes are rasterised with 4x4 supersampling and written as RGBA PNG.
// Run `node scripts/make-icons.ts` after changing the drawing; tests/unit/addon/icons.test.ts
// checks that the committed images are exactly what this script draws.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

export type Rgba = readonly [number, number, number, number];
export const BRAND: Rgba = [0x03, 0xa9, 0xf4, 255];
const WHITE: Rgba = [255, 255, 255, 255];

interface Shape {
  readonly color: Rgba;
  /** Bounding box [x0, y0, x1, y1], to skip the exact test for far-away samples. */
  readonly box: readonly [number, number, number, number];
  readonly inside: (x: number, y: number) => boolean;
}

export interface Image {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major, 4 bytes per pixel. */
  readonly pixels: Uint8Array;
}

function roundRect(x0: number, y0: number, x1: number, y1: number, r: number, color: Rgba): Shape {
  return {
    color,
    box: [x0, y0, x1, y1],
    inside: (x, y) => {
      const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
      const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
      return dx * dx + dy * dy <= r * r;
    },
  };
}

function circle(cx: number, cy: number, r: number, color: Rgba): Shape {
  return { color, box: [cx - r, cy - r, cx + r, cy + r], inside: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r };
}

/** A line segment with round caps. */
function stroke(ax: number, ay: number, bx: number, by: number, width: number, color: Rgba): Shape {
  const h = width / 2;
  const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
  return {
    color,
    box: [Math.min(ax, bx) - h, Math.min(ay, by) - h, Math.max(ax, bx) + h, Math.max(ay, by) + h],
    inside: (x, y) => {
      const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
      return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= h * h;
    },
  };
}

/** Part of a ring between two angles (degrees, clockwise from +x, since y points down). */
function arc(cx: number, cy: number, r: number, width: number, fromDeg: number, toDeg: number, color: Rgba): Shape {
  const h = width / 2;
  return {
    color,
    box: [cx - r - h, cy - r - h, cx + r + h, cy + r + h],
    inside: (x, y) => {
      const d = Math.hypot(x - cx, y - cy);
      const a = (Math.atan2(y - cy, x - cx) * 180) / Math.PI;
      return Math.abs(d - r) <= h && a >= fromDeg && a <= toDeg;
    },
  };
}

/** The robot glyph in a 128x128 design grid, scaled and moved to (ox, oy). */
function robot(ox: number, oy: number, scale: number): Shape[] {
  const s = (v: number) => v * scale;
  const X = (v: number) => ox + s(v);
  const Y = (v: number) => oy + s(v);
  const node = (x: number, y: number) => [stroke(X(64), Y(86), X(x), Y(y), s(4), WHITE), circle(X(x), Y(y), s(7), WHITE)];
  return [
    roundRect(X(0), Y(0), X(128), Y(128), s(26), BRAND),
    // The actor network the robot stands on: one parent, three children.
    ...node(36, 110),
    ...node(64, 110),
    ...node(92, 110),
    // Antenna, ears, head.
    stroke(X(64), Y(22), X(64), Y(38), s(5), WHITE),
    circle(X(64), Y(19), s(7), WHITE),
    roundRect(X(19), Y(49), X(29), Y(73), s(3), WHITE),
    roundRect(X(99), Y(49), X(109), Y(73), s(3), WHITE),
    roundRect(X(27), Y(35), X(101), Y(87), s(15), WHITE),
    // Face.
    circle(X(47), Y(56), s(8), BRAND),
    circle(X(81), Y(56), s(8), BRAND),
    circle(X(49.5), Y(53.5), s(2.6), WHITE),
    circle(X(83.5), Y(53.5), s(2.6), WHITE),
    arc(X(64), Y(62), s(14), s(4.5), 35, 145, BRAND),
  ];
}

// 5x7 capitals for the logo's word mark.
const FONT: Record<string, readonly string[]> = {
  W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '##.##', '#...#'],
  A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
  C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
  T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
  O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
  R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
  Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
};

function text(word: string, x: number, y: number, cell: number, color: Rgba): Shape[] {
  const shapes: Shape[] = [];
  [...word].forEach((ch, i) => {
    const glyph = FONT[ch];
    if (!glyph) throw new Error(`No glyph for ${ch}`);
    glyph.forEach((row, r) =>
      [...row].forEach((on, c) => {
        if (on !== '#') return;
        const gx = x + (i * 6 + c) * cell;
        const gy = y + r * cell;
        shapes.push(roundRect(gx, gy, gx + cell, gy + cell, cell * 0.18, color));
      }),
    );
  });
  return shapes;
}

const SAMPLES = 4;

function rasterise(width: number, height: number, shapes: readonly Shape[]): Image {
  const pixels = new Uint8Array(width * height * 4);
  const n = SAMPLES * SAMPLES;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      const near = shapes.filter(({ box }) => box[0] <= px + 1 && box[2] >= px && box[1] <= py + 1 && box[3] >= py);
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          // Painter's order: the last shape that covers the sample wins.
          for (let i = near.length - 1; i >= 0; i--) {
            const shape = near[i];
            if (!shape.inside(x, y)) continue;
            const alpha = shape.color[3] / 255;
            r += shape.color[0] * alpha;
            g += shape.color[1] * alpha;
            b += shape.color[2] * alpha;
            a += alpha;
            break;
          }
        }
      }
      const o = (py * width + px) * 4;
      // Un-premultiply so that edge pixels keep the shape's colour and only lose opacity.
      pixels[o] = a > 0 ? Math.round(r / a) : 0;
      pixels[o + 1] = a > 0 ? Math.round(g / a) : 0;
      pixels[o + 2] = a > 0 ? Math.round(b / a) : 0;
      pixels[o + 3] = Math.round((a / n) * 255);
    }
  }
  return { width, height, pixels };
}

export function renderIcon(): Image {
  return rasterise(128, 128, robot(0, 0, 1));
}

export function renderLogo(): Image {
  // The icon at 96 px on the left, the word mark in the brand colour on the right.
  return rasterise(250, 100, [...robot(2, 2, 96 / 128), ...text('WACTORZ', 110, 38.8, 3.2, BRAND)]);
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA, non-interlaced PNG; every scanline uses filter type 0 (None). */
export function encodePng({ width, height, pixels }: Image): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth, colour type RGBA, compression, filter, interlace
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url);
  writeFileSync(new URL('icon.png', root), encodePng(renderIcon()));
  writeFileSync(new URL('logo.png', root), encodePng(renderLogo()));
  console.log('Wrote icon.png (128x128) and logo.png (250x100).');
}
