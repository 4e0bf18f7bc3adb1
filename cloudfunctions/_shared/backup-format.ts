/**
 * The backup file format (docs/backup.md): one document a line (NDJSON), gzip-compressed, with
 * dates written as `{"$date": "<ISO>"}` (MongoDB extended JSON) so they come back as dates, and
 * a sha256 of the compressed bytes in the manifest. Written by the `backup` function, read back
 * by `tools/backup.ts`; no field name starts with `$` in the database, so the tag is unambiguous.
 */
import { createHash } from 'node:crypto';
import { createGzip, gunzipSync } from 'node:zlib';

/** One document as a line (without the newline). */
export function encodeDocument(doc: unknown): string {
  return JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : (value as unknown);
  });
}

/** A line back to the document, dates as Date. */
export function decodeDocument(line: string): Record<string, unknown> {
  return JSON.parse(line, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const d = (value as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof d === 'string') return new Date(d);
    }
    return value;
  }) as Record<string, unknown>;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A gzip file written page by page: the documents go into the compressor as they are read, so
 * only the compressed bytes (and one page) are held in memory however large the collection.
 */
export class NdjsonGzipWriter {
  private readonly gzip = createGzip({ level: 6 });
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<void>;
  documents = 0;

  constructor() {
    this.gzip.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.gzip.on('end', () => resolve());
      this.gzip.on('error', reject);
    });
  }

  /** Adds a page of documents; resolves once the compressor has taken them. */
  async write(docs: readonly unknown[]): Promise<void> {
    if (docs.length === 0) return;
    const text = docs.map((d) => `${encodeDocument(d)}\n`).join('');
    this.documents += docs.length;
    if (!this.gzip.write(text)) await new Promise((r) => this.gzip.once('drain', r));
  }

  /** The finished file. */
  async close(): Promise<Buffer> {
    this.gzip.end();
    await this.done;
    return Buffer.concat(this.chunks);
  }
}

/** A backup file's documents, after checking its checksum and count against the manifest. */
export function readBackupFile(
  bytes: Buffer,
  expected: { collection: string; sha256: string; documents: number },
): Record<string, unknown>[] {
  const actual = sha256(bytes);
  if (actual !== expected.sha256) {
    throw new Error(
      `${expected.collection}: checksum mismatch (manifest sha256 ${expected.sha256.slice(0, 12)}…, file ${actual.slice(0, 12)}…): the file is damaged or not the one the backup wrote`,
    );
  }
  const text = gunzipSync(bytes).toString('utf8');
  const docs = text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => decodeDocument(l));
  if (docs.length !== expected.documents) {
    throw new Error(
      `${expected.collection}: the manifest counts ${expected.documents} documents, the file holds ${docs.length}`,
    );
  }
  return docs;
}
