/**
 * A subscribe-message template as a deployment configures it. Each keyword's type is the prefix
 * of its key (`thing1` is a thing, `amount2` an amount), as WeChat names them, so a test lists
 * only the keys.
 */
import type { KeywordType, TemplateConfig } from '../../miniprogram/domain/notice/subscribe';

export function template(templateId: string, ...keys: string[]): TemplateConfig {
  return {
    templateId,
    keywords: keys.map((key) => ({ key, type: key.replace(/\d+$/, '') as KeywordType })),
  };
}
