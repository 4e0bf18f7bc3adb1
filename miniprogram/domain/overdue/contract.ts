/**
 * Contracts of the `overdue` function (collection cases, contacts, letters, installment plans,
 * late-fee waivers). The daily timer itself takes no input.
 */
import { type AgingBucket } from '../ledger/aging';
import {
  communityId,
  contract,
  date,
  freeText,
  id,
  pageCursor,
  reasonText,
  text,
  z,
  type Page,
} from '../kernel/contract';
import type { PrintDoc } from '../print/document';
import type { PrintedFile } from '../print/file';
import type { BillAmounts } from '../fee/bill';
import {
  CONTACT_CHANNELS,
  NONPAYMENT_REASONS,
  type ContactChannel,
  type NonpaymentReason,
} from './vocabulary';
import type { StageKey } from './rules';

// ---------------------------------------------------------------- overdue

export type HoldView = { reason: string; reasonText: string; from: string; to: string | null };

export interface CaseItem {
  roomId: string;
  roomLabel: string;
  arrearsFen: number;
  lateFeeFen: number;
  billCount: number;
  oldestDueDate: string;
  overdueDays: number;
  agingBucket: AgingBucket;
  stage: StageKey | null;
  stageLabel: string;
  held: HoldView | null;
  openTasks: number;
  specialCare: boolean;
  bound: boolean;
}

export interface CaseEventView {
  eventId: string;
  kind: 'stage' | 'contact' | 'letter-delivered' | 'plan' | 'waiver' | 'promise';
  stage: StageKey | null;
  title: string;
  detail: string;
  channel: ContactChannel | null;
  reason: NonpaymentReason | null;
  reasonText: string;
  notes: string;
  nextStep: string;
  ownerResponse: string;
  at: string;
  byName: string;
}

export interface TaskView {
  taskId: string;
  roomId: string;
  roomLabel: string;
  kind: 'call' | 'visit' | 'letter';
  kindText: string;
  source:
    | 'not-bound'
    | 'no-subscription'
    | 'special-care'
    | 'formal-notice'
    | 'home-visit'
    | 'sms-failed'
    | 'no-contact';
  sourceText: string;
  status: 'open' | 'done';
  assignedTo: string | null;
  assignedName: string;
  outcome: string;
  createdAt: string;
  arrearsFen: number;
}

export interface PlanView {
  planId: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  status: 'proposed' | 'approved' | 'rejected' | 'active' | 'completed' | 'lapsed';
  statusText: string;
  arrearsFen: number;
  billIds: string[];
  installments: { dueDate: string; amountFen: number; coveredFen: number }[];
  note: string;
  proposedByName: string;
  approvedByName: string;
  acceptedAt: string | null;
  createdAt: string;
}

export interface CaseDetail {
  item: CaseItem;
  /** For `community.revealContact` (the full number, audited) when staff need to phone. */
  ownerId: string | null;
  ownerName: string;
  ownerMobile: string;
  careNote: string;
  /** The bills in arrears: past due (+ grace) and still owing; they add up to item.arrearsFen. */
  bills: (BillAmounts & {
    billId: string;
    period: string;
    /** The months the bill covers (YYYY-MM). */
    coverFrom: string;
    coverTo: string;
    title: string;
    dueDate: string;
    lateFeeWaivedFen: number;
    overdueDays: number;
  })[];
  events: CaseEventView[];
  tasks: TaskView[];
  plans: PlanView[];
  holds: HoldView[];
  letter: { letterNo: string; deliveredAt: string | null } | null;
}

export interface LetterView {
  roomId: string;
  roomLabel: string;
  letterNo: string;
  doc: PrintDoc;
  deliveredAt: string | null;
}

export interface OverduePolicy {
  communityId: string;
  escalation: { day: number; stage: StageKey; label: string }[];
  overdueGraceDays: number;
  installmentGraceDays: number;
  quietHours: { from: string; to: string };
}

const STAGE_KEYS = ['friendly-reminder', 'second-reminder', 'formal-notice', 'home-visit'] as const;

export const overdueContracts = {
  /** Staff: the community's escalation policy (stages and days, grace days, quiet hours). */
  policy: contract<OverduePolicy>()(z.strictObject({ communityId })),
  /** Admin: change it (audited). Days must increase; each stage at most once. */
  setPolicy: contract<OverduePolicy>()(
    z.strictObject({
      communityId,
      escalation: z.optional(
        z
          .array(
            z.strictObject({
              day: z.int().check(z.minimum(1), z.maximum(3650)),
              stage: z.enum(STAGE_KEYS),
              label: text(20),
            }),
          )
          .check(z.minLength(1), z.maxLength(4)),
      ),
      overdueGraceDays: z.optional(z.int().check(z.minimum(0), z.maximum(90))),
      installmentGraceDays: z.optional(z.int().check(z.minimum(0), z.maximum(60))),
    }),
  ),
  /**
   * Staff: overdue accounts (rooms), most overdue first, a page at a time (pass `nextCursor` back
   * as `cursor`); `total` and `totalArrearsFen` are over every page.
   */
  cases: contract<Page<CaseItem> & { totalArrearsFen: number }>()(
    z.strictObject({
      communityId,
      filter: z._default(z.enum(['all', 'held', 'letters', 'visits']), 'all'),
      limit: z._default(z.int().check(z.minimum(1), z.maximum(200)), 50),
      cursor: pageCursor,
    }),
  ),
  /** Staff: one account with bills, timeline, tasks, plans and holds. */
  case: contract<CaseDetail>()(z.strictObject({ communityId, roomId: id })),
  /** Service: a call or visit with the reason from the fixed list, notes and the next step. */
  record: contract<CaseEventView>()(
    z.strictObject({
      communityId,
      roomId: id,
      channel: z.enum(CONTACT_CHANNELS, '请选择联系方式'),
      reason: z.enum(NONPAYMENT_REASONS, '请选择未缴原因'),
      notes: text(300, 1, '请记录沟通情况'),
      nextStep: text(100, 1, '请填写下一步安排'),
      ownerResponse: z._default(freeText(100), ''),
      /** The owner promised to pay by this date: escalation and late fees pause until then. */
      promiseDate: z.optional(date),
      /** The contact-list task this contact answers (closed with the outcome). */
      taskId: z.optional(id),
      /** For "dissatisfied with service": the complaint ticket it opened or links to. */
      complaintId: z.optional(id),
    }),
  ),
  /**
   * Service/admin: the contact list (phone calls and visits), visits first, a page at a time;
   * `total` counts every page.
   */
  tasks: contract<
    Page<TaskView> & {
      assignees: { openid: string; name: string }[];
    }
  >()(
    z.strictObject({
      communityId,
      status: z._default(z.enum(['open', 'done']), 'open'),
      mine: z._default(z.boolean(), false),
      limit: z._default(z.int().check(z.minimum(1), z.maximum(200)), 50),
      cursor: pageCursor,
    }),
  ),
  /** Service/admin: give a task to a colleague with the service role. */
  assign: contract<TaskView>()(z.strictObject({ communityId, taskId: id, assignee: id })),
  /** Service/admin: the 催缴函 of a room, as a printable document. */
  letter: contract<LetterView>()(z.strictObject({ communityId, roomId: id })),
  /** Service/admin: the same letter as an A4 PDF in cloud storage, to print and deliver. */
  letterPdf: contract<PrintedFile>()(z.strictObject({ communityId, roomId: id })),
  /** Service/admin: the letter was delivered (how, to whom). */
  letterDelivered: contract<LetterView>()(
    z.strictObject({
      communityId,
      roomId: id,
      method: z.enum(['in-person', 'family', 'posted']),
      receivedBy: z._default(freeText(20), ''),
      note: z._default(freeText(200), ''),
    }),
  ),
  /** Service: propose an installment plan for a hardship case (sums exactly to the arrears). */
  proposePlan: contract<PlanView>()(
    z.strictObject({
      communityId,
      roomId: id,
      installments: z
        .array(z.strictObject({ dueDate: date, amountFen: z.int() }))
        .check(z.minLength(2), z.maxLength(24)),
      note: text(200),
    }),
  ),
  /** Admin: approve or reject a proposed plan. */
  decidePlan: contract<PlanView>()(
    z.strictObject({
      communityId,
      planId: id,
      approve: z.boolean(),
      note: z._default(freeText(200), ''),
    }),
  ),
  /** Owner: plans for the caller's rooms. */
  myPlans: contract<PlanView[]>()(z.strictObject({})),
  /** Owner: accept an approved plan; escalation and late fees pause while it is kept. */
  acceptPlan: contract<PlanView>()(z.strictObject({ planId: id })),
  /** Finance: waive (part of) a bill's late fee, with a reason. */
  waive: contract<{ billId: string; lateFeeFen: number; lateFeeWaivedFen: number }>()(
    z.strictObject({
      communityId,
      billId: id,
      amountFen: z.int().check(z.positive()),
      reason: reasonText(200),
    }),
  ),
};

/** What one timer run did (also the bench's measure). */
export interface OverdueRunReport {
  day: string;
  communities: number;
  billsScanned: number;
  billsMarked: number;
  lateFeesAccrued: number;
  stagesRun: Record<StageKey, number>;
  remindersSent: number;
  remindersPending: number;
  tasksCreated: number;
  held: number;
  noticePushes: number;
  done: boolean;
  quiet: boolean;
}
