/**
 * The action contracts: one source of truth for what each cloud function accepts and returns.
 * Functions validate `event` against `input`; the mini-program's typed client takes its argument
 * and result types from here (type-only imports, so zod never ships in the mini-program package).
 */
import { z } from 'zod';

export const STAFF_ROLES = ['admin', 'cashier', 'service', 'finance'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/** A contract: the input schema plus a phantom output type. */
export interface Contract<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
}

export function contract<O>() {
  return <I extends z.ZodType>(input: I): Contract<I, O> => ({ input });
}

/** Staff roles granted to the caller in one community. */
export interface CommunityRoles {
  communityId: string;
  roles: StaffRole[];
}

export interface WhoAmI {
  openid: string;
  appid: string;
  /** Every role the caller holds in any community, de-duplicated. */
  roles: StaffRole[];
  /** Roles per community: staff roles are granted per community. */
  staffOf: CommunityRoles[];
  isStaff: boolean;
}

export const accountContracts = {
  whoami: contract<WhoAmI>()(z.object({}).strict()),
};

/** A room the caller is bound to, as the owner sees it. */
export interface MyRoom {
  roomId: string;
  communityId: string;
  communityName: string;
  /** e.g. "3栋2单元1502" */
  label: string;
  /** 建筑面积 in m², 2 decimals, as a string to avoid float artefacts ("89.47"). */
  buildingArea: string;
  relation: 'owner' | 'co-owner' | 'family' | 'tenant';
}

export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'void';

/** A bill as listed to its owner. Money is integer fen; dates YYYY-MM-DD; period YYYY-MM. */
export interface BillSummary {
  billId: string;
  roomId: string;
  roomLabel: string;
  period: string;
  title: string;
  amountDueFen: number;
  lateFeeFen: number;
  paidFen: number;
  outstandingFen: number;
  dueDate: string;
  status: BillStatus;
  /** Whole days past the due date as of today (Asia/Shanghai); 0 when not overdue. */
  overdueDays: number;
}

export interface NoticeSummary {
  noticeId: string;
  title: string;
  publishedAt: string;
  summary: string;
}

export interface CommunityContact {
  communityId: string;
  name: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
}

export interface OwnerHome {
  rooms: MyRoom[];
  /** Sum of outstanding amounts over the caller's rooms. */
  dueNowFen: number;
  /** Earliest due date among unpaid bills, or null when nothing is owed. */
  nextDueDate: string | null;
  overdueCount: number;
  notices: NoticeSummary[];
  contacts: CommunityContact[];
}

export interface OwnerBills {
  /** Unpaid and partially paid bills, oldest due date first. */
  unpaid: BillSummary[];
  /** Paid bills, newest period first. */
  paid: BillSummary[];
}

export const ownerContracts = {
  home: contract<OwnerHome>()(z.object({}).strict()),
  bills: contract<OwnerBills>()(
    z
      .object({
        roomId: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
};

/** Every function's contracts, keyed by function name then action. */
export const api = {
  account: accountContracts,
  owner: ownerContracts,
} as const;

export type Api = typeof api;
export type FunctionName = keyof Api;
export type ActionName<F extends FunctionName> = keyof Api[F] & string;
type ContractOf<F extends FunctionName, A extends ActionName<F>> = Api[F][A];
export type ActionInput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<infer I, unknown> ? z.input<I> : never;
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> =
  ContractOf<F, A> extends Contract<z.ZodType, infer O> ? O : never;
