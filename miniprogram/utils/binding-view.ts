/**
 * 业主认证 (owner binding) for the owner pages: bindings as display rows, the form checked before
 * anything is sent, and a refused request turned into what the owner reads. A mismatch never
 * says what is on record: the server's sentence is the same whatever was wrong.
 */
import {
  BINDING_STATUS_LABELS,
  RELATION_LABELS,
  type BindingStatus,
  type Relation,
} from '../domain/community/vocabulary';
import { CloudError, messageOf } from '../services/cloud';
import type { TagType } from './bill-view';
import type { MyBinding } from '../domain/binding/contract';
import { formatDateTime } from '../domain/kernel/time';
import { api } from '../domain/api';
import { check } from '../domain/kernel/check';

export interface BindingView {
  bindingId: string;
  roomId: string;
  roomLabel: string;
  communityName: string;
  relationText: string;
  status: BindingStatus;
  statusText: string;
  tagType: TagType;
  /** "申请于 2026年11月27日 14:03" / "审核于 …" */
  timeText: string;
  reasonText: string;
  /** A request still waiting for staff can be withdrawn. */
  canWithdraw: boolean;
}

const TAG: Record<BindingStatus, TagType> = {
  'pending-review': 'warning',
  verified: 'success',
  rejected: 'danger',
  revoked: 'default',
};

/** A binding's relation and status as owners and staff both see them. */
export function bindingStatusView(b: { relation: Relation; status: BindingStatus }) {
  return {
    relationText: RELATION_LABELS[b.relation],
    status: b.status,
    statusText: BINDING_STATUS_LABELS[b.status],
    tagType: TAG[b.status],
  };
}

export function toBindingView(b: MyBinding): BindingView {
  const decided = b.status === 'rejected' || b.status === 'revoked';
  const stamp = decided ? b.decidedAt : b.requestedAt;
  const timeText = stamp
    ? `${decided ? (b.status === 'rejected' ? '审核于' : '解绑于') : '申请于'} ${formatDateTime(stamp)}`
    : '';
  let reasonText = '';
  if (b.status === 'rejected') reasonText = `未通过原因：${b.reason || '信息未能核实'}`;
  else if (b.status === 'revoked' && b.reason) reasonText = `解绑原因：${b.reason}`;
  else if (b.status === 'pending-review') reasonText = '物业客服审核后会通知您，请耐心等待';
  return {
    bindingId: b.bindingId,
    roomId: b.roomId,
    roomLabel: b.roomLabel,
    communityName: b.communityName,
    ...bindingStatusView(b),
    timeText,
    reasonText,
    canWithdraw: b.status === 'pending-review',
  };
}

/** How the owner proves the room: the mobile on record, its last 4 digits, or a household code. */
export type ContactMode = 'mobile' | 'last4' | 'code';

export interface BindForm {
  name: string;
  mode: ContactMode;
  mobile: string;
  last4: string;
  /** The household code's token (mode 'code'). */
  token?: string;
}

export interface BindFormErrors {
  name: string;
  mobile: string;
  last4: string;
}

export const NO_FORM_ERRORS: BindFormErrors = { name: '', mobile: '', last4: '' };

export type BindInput =
  | { name: string; mobile: string }
  | { name: string; mobileLast4: string }
  | { name: string; token: string };

/** Digits only: people paste "139 0000 1001" or "139-0000-1001". */
export function digitsOf(text: string): string {
  return String(text ?? '').replace(/[\s-]/g, '');
}

/**
 * The form checked with `binding.request` (the name, an 11-digit mobile or its last 4 digits: the
 * contract's words), as it takes it without the room (a check before the room is known stands in
 * a valid one). The form only tidies what people paste: spaces, dashes, a +86 prefix.
 */
export function checkBindForm(
  f: BindForm,
  roomId = 'room',
): { ok: true; input: BindInput } | { ok: false; errors: BindFormErrors } {
  const name = String(f.name ?? '').trim();
  const input: BindInput =
    f.mode === 'code'
      ? { name, token: f.token ?? '' }
      : f.mode === 'mobile'
        ? { name, mobile: digitsOf(f.mobile).replace(/^\+?86/, '') }
        : { name, mobileLast4: digitsOf(f.last4) };
  const checked = check(api.binding.request, { roomId, ...input });
  if (checked.ok) return { ok: true, input };
  const errors: BindFormErrors = { ...NO_FORM_ERRORS };
  for (const e of checked.errors) {
    const key = e.field === 'mobileLast4' ? 'last4' : e.field === 'mobile' ? 'mobile' : 'name';
    // the mobile-or-last-4 rule names `mobile`; in last-4 mode that is the last-4 field
    const shown = key === 'mobile' && f.mode === 'last4' ? 'last4' : key;
    if (!errors[shown]) errors[shown] = e.message;
  }
  return { ok: false, errors };
}

/** "ab12-cd34 " → "AB12CD34": an invite code as the server compares it. */
export function normaliseCode(text: string): string {
  return String(text ?? '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/**
 * An invite code checked with the acceptInvite contracts' rule (8 letters or digits, as the
 * function compares it), after tidying what people paste; the code to send, or the sentence.
 */
export function checkInviteCode(
  text: string,
): { ok: true; code: string } | { ok: false; error: string } {
  const checked = check(api.binding.acceptInvite, { code: normaliseCode(text) });
  if (checked.ok) return { ok: true, code: checked.data.code };
  return { ok: false, error: checked.errors[0]?.message ?? '' };
}

/** How a refused request is shown: a notice on the form, never a page of its own. */
export interface BindRefusal {
  kind: 'mismatch' | 'rate-limited' | 'error';
  title: string;
  message: string;
}

/** Whole minutes to wait after a RATE_LIMITED reply (rounded up); null when it does not say. */
export function waitMinutes(err: unknown): number | null {
  if (!(err instanceof CloudError)) return null;
  if (err.retryAfterSeconds !== null) return Math.max(1, Math.ceil(err.retryAfterSeconds / 60));
  const m = /(\d+)\s*分钟/.exec(err.detail);
  return m ? Number(m[1]) : null;
}

export function bindRefusal(err: unknown): BindRefusal {
  if (err instanceof CloudError && err.code === 'RATE_LIMITED') {
    const minutes = waitMinutes(err);
    return {
      kind: 'rate-limited',
      title: '尝试次数较多，请稍后再试',
      message: `为保护您的房屋信息，核对失败次数较多时会暂停认证。请${
        minutes ? ` ${minutes} 分钟后` : '稍后'
      }再试，或携带身份证件到物业服务中心办理。`,
    };
  }
  if (err instanceof CloudError && err.code === 'PRECONDITION_FAILED') {
    return {
      kind: 'mismatch',
      title: '信息未能核对成功',
      // Our own sentence, the same whatever was wrong: nothing about the record leaks.
      message: '填写的信息与物业登记信息不一致，请核对房号、姓名和手机号后重试。',
    };
  }
  return { kind: 'error', title: '提交未成功', message: messageOf(err) };
}

/** An invite code to pass on (a colleague's, a family member's or tenant's), and until when. */
export interface InviteCodeView {
  code: string;
  /** "AB12 CD34": easier to read aloud */
  codeText: string;
  expiresText: string;
}

export function inviteCodeView(invite: { code: string; expiresAt: string }): InviteCodeView {
  return {
    code: invite.code,
    codeText: `${invite.code.slice(0, 4)} ${invite.code.slice(4)}`,
    expiresText: formatDateTime(invite.expiresAt),
  };
}
