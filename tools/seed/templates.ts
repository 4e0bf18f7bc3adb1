/** Subscribe-message templates as the demo seeds configure them. */
import type { KeywordType, TemplateKeyword } from '../../miniprogram/domain/notice/subscribe';

/** A template's keywords from their keys alone: a key is its type and a number (`thing1`). */
export function keywordsOf(...keys: `${KeywordType}${number}`[]): TemplateKeyword[] {
  return keys.map((key) => ({ key, type: key.replace(/\d+$/, '') as KeywordType }));
}
