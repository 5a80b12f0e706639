// The demo camera's snapshot: a real PNG (signature, IHDR, IDAT, IEND), drawn from the time so
// consecutive snapshots differ, as a live camera's would.
import { crc32, deflateSync } from 'node:zlib';

const WIDTH = 64;
const HEIGHT = 48;

export function snapshotPng(now: number): Buffer {
  const shift = Math.floor(now / 1000) % 256;
  const raw = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * (WIDTH * 3 + 1);
    raw[row] = 0; // filter type: none
    for (let x = 0; x < WIDTH; x++) {
      const p = row + 1 + x * 3;
      raw[p] = (x * 4 + shift) & 0xff;
      raw[p + 1] = (y * 5) & 0xff;
      raw[p + 2] = 160;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(WIDTH, 0);
  ihdr.writeUInt32BE(HEIGHT, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
