/**
 * Reaching owners outside the mini-program (docs/overdue.md, "Reaching every owner"): the SMS that
 * CloudBase sends for a mini-program (`cloudbase.sendSmsV2`: 【signature】{custom}，跳转小程序
 * {URL Link} 回T退订), the scene of the personal mini-program code printed on a household notice
 * (`wxacode.getUnlimited`) and the notice's timing rule. Pure: no clock, no I/O.
 */
import { formatYuan } from '../kernel/money';
import { daysBetween, formatShortDate } from '../kernel/time';

/** WeChat's limits for the cloud-call SMS (checked at source: cloudbase.sendSmsV2). */
export const SMS_LIMITS = {
  /** The template's custom variable {1}. */
  custom: 30,
  /** A whole message, signature and link included; longer ones are billed as several. */
  whole: 70,
  /** Numbers in one request. */
  perRequest: 1000,
} as const;

/** sendSmsV2's marketing template (the only one a mini-program may use for notices). */
export const SMS_TEMPLATE_ID = '2053122';

/** A URL Link as long as WeChat's (https://wxaurl.cn/ and 11 letters or digits). */
export const URL_LINK_SAMPLE = 'https://wxaurl.cn/tN5huKl2Gwg';

/** The fixed words of that template around the two variables. */
export function smsBody(custom: string, link: string): string {
  return `${custom}，跳转小程序 ${link} 回T退订`;
}

/** The message as the phone shows it: the mini-program's name as signature, then the body. */
export function smsMessage(signature: string, custom: string, link: string): string {
  return `【${signature}】${smsBody(custom, link)}`;
}

/** Characters as an SMS counts them (one per code point, Chinese or not). */
export function smsLength(text: string): number {
  return Array.from(text).length;
}

export type SmsProblem = 'custom-too-long' | 'message-too-long' | 'empty';

/** What WeChat would refuse about a message, or null when it fits one SMS. */
export function smsProblem(signature: string, custom: string, link: string): SmsProblem | null {
  if (smsLength(custom.trim()) === 0) return 'empty';
  if (smsLength(custom) > SMS_LIMITS.custom) return 'custom-too-long';
  if (smsLength(smsMessage(signature, custom, link)) > SMS_LIMITS.whole) return 'message-too-long';
  return null;
}

/**
 * The custom part of a payment-notice SMS: room, month, amount and deadline, dropping detail
 * (first the room's building words, then the deadline) until it fits both limits. The amount is
 * never dropped: an SMS without it would only make the owner call the office.
 */
export function noticeSmsCustom(
  p: {
    roomLabel: string;
    period: string;
    amountFen: number;
    deadline: string | null;
    /** 'notice' for the payment notice, 'overdue' for a reminder after the due date. */
    kind: 'notice' | 'overdue';
  },
  fits: (custom: string) => boolean = (c) => smsLength(c) <= SMS_LIMITS.custom,
): string {
  const month = `${Number(p.period.slice(5))}月物业费`;
  const amount = formatYuan(p.amountFen);
  const room = p.roomLabel;
  const shortRoom = room.replace(/栋|单元/g, '-');
  const when = p.deadline
    ? p.kind === 'notice'
      ? `，${formatShortDate(p.deadline)}前缴`
      : '，请及时缴纳'
    : '';
  const candidates = [
    `${room} ${month}${amount}${when}`,
    `${shortRoom} ${month}${amount}${when}`,
    `${room} ${month}${amount}`,
    `${shortRoom} ${month}${amount}`,
    `${month}${amount}`,
  ];
  for (const c of candidates) if (fits(c)) return c;
  return candidates[candidates.length - 1]!;
}

/** A mainland mobile on file as the +86 number sendSmsV2 takes, or null when it is not one. */
export function smsNumber(phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : null;
}

/** A number shown in staff lists: 138****5678. */
export function maskNumber(e164: string): string {
  const d = e164.replace(/^\+86/, '');
  return d.length === 11 ? `${d.slice(0, 3)}****${d.slice(7)}` : '****';
}

// ------------------------------------------------------------------ mini-program code scene

/** `wxacode.getUnlimited`'s scene: at most 32 visible characters of this set. */
export const SCENE_MAX = 32;
export const SCENE_CHARS = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$/;

export function isValidScene(scene: string): boolean {
  return scene.length >= 1 && scene.length <= SCENE_MAX && SCENE_CHARS.test(scene);
}

/** A household token: letters and digits only, so the scene needs no escaping. */
export const TOKEN_RE = /^[0-9A-Za-z]{12,24}$/;

/** The scene printed in a household's code: `h=<token>`. */
export function householdScene(token: string): string {
  if (!TOKEN_RE.test(token)) throw new Error('household token must be 12–24 letters or digits');
  const scene = `h=${token}`;
  if (!isValidScene(scene)) throw new Error('household scene does not fit wxacode');
  return scene;
}

/**
 * The token in a page's `scene` query (the page gets it URL-encoded, as WeChat passes it), or
 * null when the scene is not a household code.
 */
export function tokenOfScene(scene: string | undefined | null): string | null {
  if (!scene) return null;
  let s = scene;
  try {
    s = decodeURIComponent(scene);
  } catch {
    return null;
  }
  const m = /^h=([0-9A-Za-z]{12,24})$/.exec(s);
  return m ? m[1]! : null;
}

// ------------------------------------------------------------------ timing

/** Days of notice owners get by default before a period's due date (settings: noticeLeadDays). */
export const DEFAULT_NOTICE_LEAD_DAYS = 15;

/**
 * Whether publishing on `today` for `deadline` is late, and by how much: owners should learn the
 * amount at least `leadDays` before the deadline (流程 step 二, "a reasonable time before").
 */
export function noticeTiming(
  today: string,
  deadline: string,
  leadDays: number,
): { daysBefore: number; late: boolean } {
  const daysBefore = daysBetween(today, deadline);
  return { daysBefore, late: daysBefore < leadDays };
}
