/** What the overdue function stores (docs/overdue.md); the report function reads cases too. */
import type {
  ContactChannel,
  Installment,
  NonpaymentReason,
  StageKey,
} from '../../miniprogram/domain/overdue/rules';
import type { CaseEventView, PlanView } from '../../miniprogram/domain/overdue/contract';

/** `case_<roomId>`: the room's overdue account and the stages done in this episode. */
export interface CaseDoc {
  _id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  stage: StageKey | null;
  stageAt: Date | null;
  stagesDone: { stage: StageKey; at: Date; day: string }[];
  /** Bills of the current episode; when all are settled, the next overdue bill starts anew. */
  billIds: string[];
  oldestDueDate: string;
  updatedAt: Date;
}

/** One line of a case's timeline: a stage, a call or visit, a delivered letter, a plan, a waiver. */
export interface EventDoc {
  _id: string;
  communityId: string;
  roomId: string;
  kind: CaseEventView['kind'];
  stage: StageKey | null;
  title: string;
  detail: string;
  channel: ContactChannel | null;
  reason: NonpaymentReason | null;
  notes: string;
  nextStep: string;
  ownerResponse: string;
  /** openid of the staff member, or 'system' for the timer. */
  by: string;
  byName: string;
  at: Date;
  promiseDate?: string | null;
  complaintId?: string | null;
  taskId?: string | null;
}

/** A 催缴函 generated at the formal-notice stage, one per room and episode. */
export interface LetterDoc {
  _id: string;
  communityId: string;
  roomId: string;
  letterNo: string;
  billIds: string[];
  issuedOn: string;
  payBy: string;
  createdAt: Date;
  deliveredAt: Date | null;
  delivery: {
    method: 'in-person' | 'family' | 'posted';
    receivedBy: string;
    note: string;
    by: string;
    byName: string;
  } | null;
}

export interface PlanDoc {
  _id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  status: PlanView['status'];
  arrearsFen: number;
  billIds: string[];
  /** What the plan's bills had been paid when it was proposed: later payments count towards it. */
  paidAtStartFen: number;
  installments: Installment[];
  note: string;
  proposedBy: string;
  proposedByName: string;
  approvedBy?: string;
  approvedByName?: string;
  decisionNote?: string;
  acceptedBy?: string;
  acceptedAt?: Date | null;
  createdAt: Date;
  endedAt?: Date;
}
