import { crc32, deflateSync } from "node:zlib";

/**
 * A real PNG (8-bit RGB) of `width` x `height`: a sky-to-sea gradient with a sun, so that a thumbnail
 * of it is recognisably the same picture. Made here, so that the tests carry no binary files.
 */
export function png(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  const [cx, cy, r] = [width * 0.7, height * 0.35, Math.min(width, height) * 0.18];
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const t = y / height;
      let rgb = t < 0.6 ? [40 + 120 * t, 110 + 150 * t, 220] : [20, 80 + 60 * (1 - t), 140 + 40 * (1 - t)];
      if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) rgb = [250, 200, 60];
      rgb.forEach((v, i) => (rows[row + 1 + x * 3 + i] = Math.round(v)));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG's width and height, from its header. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
