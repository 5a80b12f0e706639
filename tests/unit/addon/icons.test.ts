// icon.png and logo.png are what the add-on store shows. They must be real PNGs of the sizes
// Home Assistant asks for, and exactly what scripts/make-icons.ts draws.
import { readFileSync } from 'node:fs';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BRAND, type Image, renderIcon, renderLogo } from '../../../scripts/make-icons.ts';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decodes an 8-bit RGBA, non-interlaced PNG, checking every chunk's CRC and the layout. */
function decodePng(file: Buffer): Image {
  expect(file.subarray(0, 8).equals(SIGNATURE), 'PNG signature').toBe(true);
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    const type = file.toString('latin1', at + 4, at + 8);
    const data = file.subarray(at + 8, at + 8 + length);
    expect(file.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(crc32(file.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  expect(chunks[0]?.type).toBe('IHDR');
  expect(chunks.at(-1)?.type).toBe('IEND');
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  expect([...ihdr.subarray(8, 13)], 'bit depth 8, RGBA, deflate, no interlace').toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * 4;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= 4 ? pixels[y * stride + x - 4] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4] : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const predictor = [0, a, b, (a + b) >> 1, paeth()][filter];
      expect(predictor, `filter type ${filter}`).toBeDefined();
      pixels[y * stride + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

const share = (img: Image, rgb: readonly number[]) => {
  let n = 0;
  for (let i = 0; i < img.pixels.length; i += 4) {
    const close = Math.abs(img.pixels[i] - rgb[0]) + Math.abs(img.pixels[i + 1] - rgb[1]) + Math.abs(img.pixels[i + 2] - rgb[2]) < 24;
    if (close && img.pixels[i + 3] > 200) n++;
  }
  return n / (img.width * img.height);
};

describe('store images', () => {
  const icon = decodePng(readFileSync(new URL('../../../icon.png', import.meta.url)));
  const logo = decodePng(readFileSync(new URL('../../../logo.png', import.meta.url)));

  it('icon.png is a square 128x128 PNG, mostly the brand colour with a white robot', () => {
    expect([icon.width, icon.height]).toEqual([128, 128]);
    expect(share(icon, BRAND)).toBeGreaterThan(0.4);
    expect(share(icon, [255, 255, 255])).toBeGreaterThan(0.15);
    // Rounded corners: the very corner is transparent, the centre of each edge is not.
    expect(icon.pixels[3]).toBe(0);
    expect(icon.pixels[(64 * 128 + 0) * 4 + 3]).toBe(255);
  });

  it('logo.png is a 250x100 PNG with the icon and the word mark on a transparent background', () => {
    expect([logo.width, logo.height]).toEqual([250, 100]);
    expect(share(logo, BRAND)).toBeGreaterThan(0.2);
    const transparent = logo.pixels.filter((_, i) => i % 4 === 3 && logo.pixels[i] === 0).length;
    expect(transparent / (250 * 100)).toBeGreaterThan(0.3);
  });

  it('are exactly what scripts/make-icons.ts draws', () => {
    expect(Buffer.from(icon.pixels).equals(Buffer.from(renderIcon().pixels))).toBe(true);
    expect(Buffer.from(logo.pixels).equals(Buffer.from(renderLogo().pixels))).toBe(true);
  });
});
