/**
 * Contracts of the `overdue` function (collection cases, contacts, letters, installment plans,
 * late-fee waivers). The daily timer itself takes no input.
 */
import { z } from 'zod';
import { contract } from '../kernel/contract';
import type { PrintDoc } from '../print/document';
import type { PrintedFile } from '../print/file';
import {
  CONTACT_CHANNELS,
  NONPAYMENT_REASONS,
  type AgingBucket,
  type ContactChannel,
  type NonpaymentReason,
  type StageKey,
} from './rules';
import { isDate } from '../fee';

const id = z.string().min(1).max(64);
const communityId = id;
const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((v) => isDate(v), { message: '日期应为有效日期' });
const text = (max: number) => z.string().trim().max(max);

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
  source: 'not-bound' | 'no-subscription' | 'special-care' | 'formal-notice' | 'home-visit';
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
  bills: {
    billId: string;
    period: string;
    title: string;
    dueDate: string;
    amountDueFen: number;
    lateFeeFen: number;
    lateFeeWaivedFen: number;
    paidFen: number;
    outstandingFen: number;
    overdueDays: number;
  }[];
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
  policy: contract<OverduePolicy>()(z.object({ communityId }).strict()),
  /** Admin: change it (audited). Days must increase; each stage at most once. */
  setPolicy: contract<OverduePolicy>()(
    z
      .object({
        communityId,
        escalation: z
          .array(
            z
              .object({
                day: z.number().int().min(1).max(3650),
                stage: z.enum(STAGE_KEYS),
                label: text(20).min(1),
              })
              .strict(),
          )
          .min(1)
          .max(4)
          .optional(),
        overdueGraceDays: z.number().int().min(0).max(90).optional(),
        installmentGraceDays: z.number().int().min(0).max(60).optional(),
      })
      .strict(),
  ),
  /** Staff: overdue accounts (rooms), most overdue first. */
  cases: contract<{ items: CaseItem[]; total: number; totalArrearsFen: number }>()(
    z
      .object({
        communityId,
        filter: z.enum(['all', 'held', 'letters', 'visits']).default('all'),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
  ),
  /** Staff: one account with bills, timeline, tasks, plans and holds. */
  case: contract<CaseDetail>()(z.object({ communityId, roomId: id }).strict()),
  /** Service: a call or visit with the reason from the fixed list, notes and the next step. */
  record: contract<CaseEventView>()(
    z
      .object({
        communityId,
        roomId: id,
        channel: z.enum(CONTACT_CHANNELS),
        reason: z.enum(NONPAYMENT_REASONS),
        notes: text(300).min(1),
        nextStep: text(100).min(1),
        ownerResponse: text(100).default(''),
        /** The owner promised to pay by this date: escalation and late fees pause until then. */
        promiseDate: date.optional(),
        /** The contact-list task this contact answers (closed with the outcome). */
        taskId: id.optional(),
        /** For "dissatisfied with service": the complaint ticket it opened or links to. */
        complaintId: id.optional(),
      })
      .strict(),
  ),
  /** Service/admin: the contact list (phone calls and visits). */
  tasks: contract<{
    items: TaskView[];
    assignees: { openid: string; name: string }[];
  }>()(
    z
      .object({
        communityId,
        status: z.enum(['open', 'done']).default('open'),
        mine: z.boolean().default(false),
      })
      .strict(),
  ),
  /** Service/admin: give a task to a colleague with the service role. */
  assign: contract<TaskView>()(z.object({ communityId, taskId: id, assignee: id }).strict()),
  /** Service/admin: the 催缴函 of a room, as a printable document. */
  letter: contract<LetterView>()(z.object({ communityId, roomId: id }).strict()),
  /** Service/admin: the same letter as an A4 PDF in cloud storage, to print and deliver. */
  letterPdf: contract<PrintedFile>()(z.object({ communityId, roomId: id }).strict()),
  /** Service/admin: the letter was delivered (how, to whom). */
  letterDelivered: contract<LetterView>()(
    z
      .object({
        communityId,
        roomId: id,
        method: z.enum(['in-person', 'family', 'posted']),
        receivedBy: text(20).default(''),
        note: text(200).default(''),
      })
      .strict(),
  ),
  /** Service: propose an installment plan for a hardship case (sums exactly to the arrears). */
  proposePlan: contract<PlanView>()(
    z
      .object({
        communityId,
        roomId: id,
        installments: z
          .array(z.object({ dueDate: date, amountFen: z.number().int() }).strict())
          .min(2)
          .max(24),
        note: text(200).min(1),
      })
      .strict(),
  ),
  /** Admin: approve or reject a proposed plan. */
  decidePlan: contract<PlanView>()(
    z
      .object({ communityId, planId: id, approve: z.boolean(), note: text(200).default('') })
      .strict(),
  ),
  /** Owner: plans for the caller's rooms. */
  myPlans: contract<PlanView[]>()(z.object({}).strict()),
  /** Owner: accept an approved plan; escalation and late fees pause while it is kept. */
  acceptPlan: contract<PlanView>()(z.object({ planId: id }).strict()),
  /** Finance: waive (part of) a bill's late fee, with a reason. */
  waive: contract<{ billId: string; lateFeeFen: number; lateFeeWaivedFen: number }>()(
    z
      .object({
        communityId,
        billId: id,
        amountFen: z.number().int().positive(),
        reason: text(200).min(2),
      })
      .strict(),
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
