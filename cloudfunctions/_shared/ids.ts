/** Deterministic ids (idempotent writes) and unguessable one-time codes. */
import { createHash, randomInt } from 'node:crypto';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * An id derived from its natural key, so a retried or repeated write lands on the same document
 * (and a unique index or `_id` collision turns a race into a clean conflict).
 */
export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}${sha256Hex(parts.join('\u0000')).slice(0, 24)}`;
}

/** No 0/O, 1/I/L: codes people read aloud or type from a chat message. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A random code of `length` characters (8 → about 6.5 × 10^11 possibilities). */
export function randomCode(length = 8): string {
  let out = '';
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

/** Invites are stored under the hash of their code: a database dump does not reveal codes. */
export function inviteId(code: string): string {
  return `inv_${sha256Hex(`invite:${code}`).slice(0, 32)}`;
}
