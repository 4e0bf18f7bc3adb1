/**
 * Demo files put in cloud storage as the console would (`POST /dev/upload`): not a client upload,
 * so the storage rules do not bind it, but `owner` makes it that user's file, as if they had
 * uploaded it from the page.
 */
import zlib from 'node:zlib';

export async function seedFile(
  url: string,
  cloudPath: string,
  content: Buffer | string,
  opts: { owner?: string; type?: string } = {},
): Promise<string> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  if (opts.owner) form.append('openid', opts.owner);
  const bytes = typeof content === 'string' ? Buffer.from(content) : new Uint8Array(content);
  form.append(
    'file',
    new Blob([bytes], opts.type ? { type: opts.type } : {}),
    cloudPath.split('/').pop(),
  );
  const res = await fetch(`${url}/dev/upload`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`seed: upload of ${cloudPath} failed (${res.status})`);
  return ((await res.json()) as { fileID: string }).fileID;
}

/** CRC-32 as PNG chunks carry it (zlib.crc32 needs Node 20.15). */
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A small RGB PNG drawn pixel by pixel (demo photos: the upload folders take no SVG). */
export function pngOf(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const at = y * (width * 3 + 1); // each row starts with filter byte 0
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), at + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
