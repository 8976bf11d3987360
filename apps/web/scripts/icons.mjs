// Writes the PWA icons (192, 512 and a maskable 512) as PNGs with zlib only: a parcel glyph on Consign blue.
// Run: node apps/web/scripts/icons.mjs  (the PNGs are committed; re-run only to change the design).
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const out = join(dirname(fileURLToPath(import.meta.url)), "..", "public", "icons");

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x / size, y / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    sig,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const BLUE = [21, 76, 121, 255];
const BOX = [245, 190, 92, 255];
const TAPE = [120, 72, 20, 255];
const CLEAR = [0, 0, 0, 0];

/** A parcel (box with a tape stripe) inside `inset` of the icon; rounded background unless full-bleed. */
function design(inset, fullBleed) {
  return (u, v) => {
    const r = 0.18;
    const cx = Math.min(Math.max(u, r), 1 - r);
    const cy = Math.min(Math.max(v, r), 1 - r);
    const inRounded = (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
    if (!fullBleed && !inRounded) return CLEAR;
    const lo = inset;
    const hi = 1 - inset;
    const inBox = u >= lo && u <= hi && v >= lo + 0.06 && v <= hi - 0.06;
    if (!inBox) return BLUE;
    const mid = (lo + hi) / 2;
    if (Math.abs(u - mid) < (hi - lo) * 0.07) return TAPE;
    if (v < lo + 0.06 + (hi - lo) * 0.12) return [230, 160, 60, 255];
    return BOX;
  };
}

writeFileSync(join(out, "icon-192.png"), png(192, design(0.22, false)));
writeFileSync(join(out, "icon-512.png"), png(512, design(0.22, false)));
// Maskable: full-bleed background, glyph inside the 80% safe zone.
writeFileSync(join(out, "icon-maskable-512.png"), png(512, design(0.3, true)));
console.log(`icons written to ${out}`);
