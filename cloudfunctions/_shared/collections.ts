/**
 * Every collection the product uses, with its indexes: the single declaration that the setup
 * step (and the local cloud) create. Unique indexes here are relied on by the code.
 */
export interface IndexDecl {
  name: string;
  keys: string[];
  unique?: boolean;
}

export interface CollectionDecl {
  name: string;
  indexes: IndexDecl[];
}

export const COLLECTIONS: CollectionDecl[] = [
  {
    name: 'communities',
    indexes: [],
  },
  {
    name: 'staff_roles',
    // One grant document per person per community.
    indexes: [
      { name: 'community_openid', keys: ['communityId', 'openid'], unique: true },
      { name: 'openid', keys: ['openid'] },
    ],
  },
  {
    name: 'rooms',
    indexes: [
      {
        name: 'community_building_unit_number',
        keys: ['communityId', 'building', 'unit', 'number'],
        unique: true,
      },
      // Lists in reading order (building, unit, number; see domain/community.ts roomSortKey).
      { name: 'community_sort', keys: ['communityId', 'sortKey'] },
    ],
  },
  {
    name: 'room_bindings',
    indexes: [
      { name: 'room_openid', keys: ['roomId', 'openid'], unique: true },
      { name: 'openid', keys: ['openid'] },
      // Staff review queue.
      { name: 'community_status', keys: ['communityId', 'status', 'requestedAt'] },
    ],
  },
  {
    name: 'bills',
    indexes: [
      { name: 'room_period_key', keys: ['roomId', 'period', 'key'], unique: true },
      { name: 'community_period', keys: ['communityId', 'period'] },
      // Open bills of a community past their due date: the overdue timer's marks (issue 16) and the
      // staff lists of overdue accounts; the timer's pages of open bills in room order.
      { name: 'community_status_due', keys: ['communityId', 'status', 'dueDate'] },
      { name: 'community_status_room', keys: ['communityId', 'status', 'roomId'] },
    ],
  },
  {
    name: 'notices',
    indexes: [
      { name: 'community_published', keys: ['communityId', 'publishedAt'] },
      // The owner's home: each community's latest published notices.
      { name: 'community_status_published', keys: ['communityId', 'status', 'publishedAt'] },
      // The overdue timer continues running notice pushes.
      { name: 'community_push', keys: ['communityId', 'push.status'] },
    ],
  },
  // Who prepared, reviewed and published a notice or a disclosure: kept out of those public
  // documents (clients read them), by `<collection>:<docId>` (_shared/signoffs.ts).
  {
    name: 'staff_signoffs',
    indexes: [],
  },
];

/** Payments and the ledger (see DESIGN.md Ledger and docs/payments.md). */
export const PAYMENT_COLLECTIONS: CollectionDecl[] = [
  // WeChat Pay orders by outTradeNo; live ones claim their bills (`bills.payHold`).
  {
    name: 'pay_orders',
    indexes: [
      { name: 'base_key', keys: ['baseKey'] },
      { name: 'status_expire', keys: ['status', 'expireAt'] },
    ],
  },
  // Payments with their allocations to bills; immutable once written.
  {
    name: 'payments',
    indexes: [
      // Unique: the arbiter of receipt numbers (ledger/receipts.ts); also the highest number.
      { name: 'receipt_no', keys: ['communityId', 'receiptNo'], unique: true },
      { name: 'rooms', keys: ['roomIds'] },
      // Payments committed but not yet numbered (the payment timer finishes them).
      { name: 'receipt_pending', keys: ['receiptPending'] },
      { name: 'community_paid', keys: ['communityId', 'paidAt'] },
      // Reports: a period's collections by channel (docs/reports.md); reconciliation by order.
      { name: 'community_alloc_period', keys: ['communityId', 'allocations.period'] },
      { name: 'community_trade', keys: ['communityId', 'outTradeNo'] },
      // A cashier's shift's entries (交班日结).
      { name: 'shift', keys: ['shiftId'] },
    ],
  },
  // `<communityId>:<cashier>:<n>`: a cashier's shifts, open → closed → confirmed by finance.
  {
    name: 'cashier_shifts',
    indexes: [
      { name: 'cashier_no', keys: ['communityId', 'cashier', 'no'] },
      { name: 'community_status_opened', keys: ['communityId', 'status', 'openedAt'] },
      // 交班日结's list, newest first: finance sees every cashier's, a cashier their own.
      { name: 'community_opened', keys: ['communityId', 'openedAt'] },
      { name: 'community_cashier_opened', keys: ['communityId', 'cashier', 'openedAt'] },
    ],
  },
  // A channel reference (POS slip, transfer number) can be recorded once per community.
  { name: 'payment_refs', indexes: [] },
  // Gap-free sequences (complaint numbers).
  { name: 'counters', indexes: [] },
  { name: 'prepaid_accounts', indexes: [] },
  {
    name: 'prepaid_entries',
    indexes: [
      { name: 'room', keys: ['roomId', 'at'] },
      // a room's pending entries (a billing run's, not yet in the stored balance; ledger/prepaid.ts)
      { name: 'community_room_pending', keys: ['communityId', 'roomId', 'pending'] },
    ],
  },
  // Refund requests (退款): approval, WeChat refund number, the red reversal they produced.
  {
    name: 'refunds',
    indexes: [
      { name: 'payment', keys: ['paymentId'] },
      { name: 'community_status', keys: ['communityId', 'status'] },
      // 支付异常: failed refunds oldest first; those the desk resolved newest first.
      { name: 'community_status_requested', keys: ['communityId', 'status', 'requestedAt'] },
      { name: 'community_desk_requested', keys: ['communityId', 'desk.action', 'requestedAt'] },
    ],
  },
  // Invoice requests (发票), one per payment.
  {
    name: 'invoices',
    indexes: [
      { name: 'openid', keys: ['openid'] },
      { name: 'community_status', keys: ['communityId', 'status'] },
    ],
  },
  // Notifications finance must look at: amount or merchant mismatch, unknown orders.
  {
    name: 'pay_exceptions',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      // 支付异常's pages in time order (open oldest first, resolved newest first).
      { name: 'community_status_at', keys: ['communityId', 'status', 'at'] },
    ],
  },
];

COLLECTIONS.push(...PAYMENT_COLLECTIONS);

/** Community records, owner binding, staff roles and audit (see docs/community.md). */
export const COMMUNITY_COLLECTIONS: CollectionDecl[] = [
  {
    name: 'buildings',
    indexes: [{ name: 'community_code', keys: ['communityId', 'code'], unique: true }],
  },
  // People on record (owners, co-owners, family, tenants); one per name + mobile in a community.
  {
    name: 'owners',
    indexes: [
      { name: 'community_name_mobile', keys: ['communityId', 'name', 'mobile'], unique: true },
      { name: 'community_mobile', keys: ['communityId', 'mobile'] },
    ],
  },
  // Room–person relations with effective dates; ended relations stay as history.
  {
    name: 'room_owners',
    indexes: [
      { name: 'room_owner', keys: ['roomId', 'ownerId'], unique: true },
      { name: 'owner', keys: ['ownerId'] },
      { name: 'community_room', keys: ['communityId', 'roomId'] },
    ],
  },
  // Parking spaces and storerooms (车位、储藏室): billed with their holder's room (docs/spaces.md).
  {
    name: 'spaces',
    indexes: [
      { name: 'community_number', keys: ['communityId', 'number'], unique: true },
      { name: 'community_sort', keys: ['communityId', 'sortKey'] },
      { name: 'community_holder', keys: ['communityId', 'holderRoomId'] },
    ],
  },
  // Roster imports, keyed by community and file content hash.
  {
    name: 'import_jobs',
    indexes: [{ name: 'community_created', keys: ['communityId', 'createdAt'] }],
  },
  // Append-only: who did what to which record, with masked before/after.
  {
    name: 'audit_log',
    indexes: [
      { name: 'community_at', keys: ['communityId', 'at'] },
      { name: 'community_action_at', keys: ['communityId', 'action', 'at'] },
      { name: 'community_actor_at', keys: ['communityId', 'actor', 'at'] },
      { name: 'community_target', keys: ['communityId', 'targetId'] },
    ],
  },
  // One-time invite codes (family/tenant bindings, staff), stored by the code's hash.
  { name: 'invites', indexes: [{ name: 'community_kind', keys: ['communityId', 'kind'] }] },
  // Failure counters for rate limits (binding, invites, bootstrap), one document per key.
  { name: 'rate_limits', indexes: [] },
  // Messages to owners (binding approved/rejected…), read in the mini-program.
  { name: 'notifications', indexes: [{ name: 'openid_at', keys: ['openid', 'at'] }] },
  // Deployment settings the operator writes in the console: `bootstrap` code, subscribe templates.
  { name: 'app_config', indexes: [] },
];

COLLECTIONS.push(...COMMUNITY_COLLECTIONS);

/** Fee standards, meter readings, vacancies and billing runs (see docs/billing.md). */
export const FEE_COLLECTIONS: CollectionDecl[] = [
  // One document per fee item per community (`fs_<communityId>_<itemId>`), versions inside.
  { name: 'fee_standards', indexes: [{ name: 'community', keys: ['communityId'] }] },
  // `mr_<roomId>_<itemId>_<period>`: one reading per room, meter item and usage period.
  {
    name: 'meter_readings',
    indexes: [
      { name: 'community_item_period', keys: ['communityId', 'itemId', 'period'] },
      { name: 'room_item_period', keys: ['roomId', 'itemId', 'period'], unique: true },
    ],
  },
  // Approved vacancies (空置) that vacancy discounts apply to.
  {
    name: 'vacancy_records',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      { name: 'room', keys: ['roomId', 'from'] },
    ],
  },
  // `run_<communityId>_<period>`: preview and issue progress (cursor), tallies and summary.
  {
    name: 'billing_runs',
    indexes: [{ name: 'community_period', keys: ['communityId', 'period'] }],
  },
  // 调价公示: proposed and announced price changes with reason and documents (docs/disclosure.md).
  {
    name: 'fee_adjustments',
    indexes: [{ name: 'community_state', keys: ['communityId', 'state'] }],
  },
];

COLLECTIONS.push(...FEE_COLLECTIONS);

/** 收支公示: expenses and common-area income, and the disclosures (docs/disclosure.md). */
export const DISCLOSURE_COLLECTIONS: CollectionDecl[] = [
  // Expenses (with vouchers) and common-area income (with its use); voided, never deleted.
  {
    name: 'disclosure_entries',
    indexes: [{ name: 'community_type_date', keys: ['communityId', 'type', 'date'] }],
  },
  // `dc_<communityId>_<period>_v<n>`: drafts, reviewed and published snapshots (immutable).
  {
    name: 'disclosures',
    indexes: [{ name: 'community_period', keys: ['communityId', 'period', 'version'] }],
  },
];

COLLECTIONS.push(...DISCLOSURE_COLLECTIONS);

/** Holds that pause overdue escalation and late fees (complaints, installments, promises). */
export const HOLD_COLLECTIONS: CollectionDecl[] = [
  {
    name: 'bill_holds',
    indexes: [
      { name: 'community_room', keys: ['communityId', 'roomId'] },
      { name: 'reason_ref', keys: ['reason', 'refId', 'active'] },
    ],
  },
];

COLLECTIONS.push(...HOLD_COLLECTIONS);

/** Reconciliation (see docs/reconciliation.md). */
export const RECON_COLLECTIONS: CollectionDecl[] = [
  // `<communityId>:<YYYY-MM-DD>`: open/closed, totals frozen at closing, corrections after it.
  { name: 'recon_days', indexes: [{ name: 'community_date', keys: ['communityId', 'date'] }] },
  // `wx_<communityId>_<YYYY-MM-DD>`: a day's WeChat Pay statement matched with the ledger.
  { name: 'recon_runs', indexes: [{ name: 'community_date', keys: ['communityId', 'date'] }] },
  // `bk_<communityId>_<file hash>`: one bank statement import; its lines live in bank_lines.
  {
    name: 'bank_imports',
    indexes: [{ name: 'community_imported', keys: ['communityId', 'importedAt'] }],
  },
  {
    name: 'bank_lines',
    indexes: [
      { name: 'import_row', keys: ['importId', 'row'] },
      { name: 'community_status_date', keys: ['communityId', 'status', 'date'] },
      { name: 'community_payment', keys: ['communityId', 'paymentId'] },
    ],
  },
  // `<communityId>`: the bank column mapping finance saved.
  { name: 'recon_settings', indexes: [] },
];

COLLECTIONS.push(...RECON_COLLECTIONS);
/** Complaints, suggestions and the call log (see docs/complaints.md). */
export const COMPLAINT_COLLECTIONS: CollectionDecl[] = [
  // Tickets with their timeline, deadlines, breaches, rating and return visit.
  {
    name: 'complaints',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      { name: 'community_created', keys: ['communityId', 'createdAt'] },
      { name: 'openid', keys: ['openid'] },
      { name: 'status_resolved', keys: ['status', 'resolvedAt'] },
      // The deadline sweep: open tickets whose next deadline instant has come.
      { name: 'status_sweep', keys: ['status', 'sweepAt'] },
      // The staff desk: open tickets by deadline, then finished ones; its near/breached counts
      // are ranges on deadlineAt (docs/complaints.md, "The desk at scale").
      { name: 'community_desk', keys: ['communityId', 'deskRank', 'deadlineAt', 'updatedAt'] },
    ],
  },
  // Inbound/outbound calls staff log, searchable by text, day and ticket.
  {
    name: 'service_calls',
    indexes: [
      { name: 'community_at', keys: ['communityId', 'at'] },
      { name: 'community_ticket', keys: ['communityId', 'ticketId'] },
    ],
  },
];

COLLECTIONS.push(...COMPLAINT_COLLECTIONS);
/** Payment notices, subscribe credits, reminders and overdue follow-up (see docs/overdue.md). */
export const OVERDUE_COLLECTIONS: CollectionDecl[] = [
  // `<noticeId>:<openid>`: the first time an owner opened a notice (read receipts).
  // By openid too: the delivery report joins each room's reads by its openids (`$lookup`).
  {
    name: 'notice_reads',
    indexes: [
      { name: 'notice', keys: ['noticeId'] },
      { name: 'openid', keys: ['openid'] },
    ],
  },
  // `<noticeId>:<roomId>`: how the notice push reached each room (the delivery report).
  { name: 'notice_deliveries', indexes: [{ name: 'notice', keys: ['noticeId', 'outcome'] }] },
  // SMS outbox (docs/overdue.md, "Reaching every owner"): one per cause and room, queued → sent/failed.
  {
    name: 'sms_outbox',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      { name: 'community_ref', keys: ['communityId', 'refId'] },
      // The delivery report joins each room's SMS (`$lookup` on roomId).
      { name: 'room', keys: ['roomId'] },
      // A notice's SMS list: the failed first, then by room (notice.smsList).
      { name: 'community_ref_status', keys: ['communityId', 'refId', 'status', 'roomLabel'] },
      { name: 'day', keys: ['day'] },
    ],
  },
  // `+86…`: numbers that replied T (回T退订); no SMS goes to them.
  { name: 'sms_optouts', indexes: [] },
  // `hcode_…` per notice and room: the one-time token in a household notice's mini-program code.
  { name: 'household_codes', indexes: [{ name: 'token', keys: ['token'] }] },
  // Daily reminders to staff (periods issued without a payment notice).
  {
    name: 'staff_reminders',
    indexes: [{ name: 'community_kind', keys: ['communityId', 'kind', 'at'] }],
  },
  // `<openid>:<templateId>`: one-time subscriptions left, from the owner's consent taps.
  { name: 'subscribe_credits', indexes: [{ name: 'openid', keys: ['openid'] }] },
  // One per owner + bill/notice + stage (the dedupe key is the id): sent, pending, refused.
  {
    name: 'reminders',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      { name: 'community_ref', keys: ['communityId', 'refId'] },
      // The overdue timer counts the reminders still waiting for the quiet hours to end.
      { name: 'status', keys: ['status'] },
      // The delivery report joins each room's reminders (`$lookup` on roomId).
      { name: 'room', keys: ['roomId'] },
    ],
  },
  // `case_<roomId>`: a room's overdue account and the escalation stages done.
  {
    name: 'collection_cases',
    indexes: [
      { name: 'community_stage', keys: ['communityId', 'stage'] },
      // The reports' largest-arrears list joins accounts by room.
      { name: 'room', keys: ['roomId'] },
    ],
  },
  // The timeline: stages, calls and visits with reasons, letters delivered, plans, waivers.
  {
    name: 'collection_events',
    indexes: [{ name: 'community_room_at', keys: ['communityId', 'roomId', 'at'] }],
  },
  // The contact list: calls, visits and letters for service staff.
  {
    name: 'collection_tasks',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status', 'assignedTo'] },
      { name: 'community_room', keys: ['communityId', 'roomId', 'status'] },
    ],
  },
  // 催缴函 generated at the formal-notice stage, with their delivery.
  {
    name: 'collection_letters',
    indexes: [{ name: 'community_room', keys: ['communityId', 'roomId'] }],
  },
  {
    name: 'installment_plans',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status'] },
      { name: 'room', keys: ['roomId', 'status'] },
    ],
  },
  // `<communityId>:<day>`: the daily timer's phase and cursor (resumable, idempotent).
  { name: 'overdue_runs', indexes: [] },
];

COLLECTIONS.push(...OVERDUE_COLLECTIONS);

/** Daily backups (see docs/backup.md): `bk_<date>`, the manifest of that day's files. */
export const BACKUP_COLLECTIONS: CollectionDecl[] = [{ name: 'backups', indexes: [] }];

COLLECTIONS.push(...BACKUP_COLLECTIONS);

/** One-off charges and deposits (see docs/charges.md). */
export const CHARGE_COLLECTIONS: CollectionDecl[] = [
  // `oc_<hash>`: a charge raised on a room, its approval and its bill.
  {
    name: 'charges',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status', 'raisedAt'] },
      // The staff list of every status, newest first (charge.charges).
      { name: 'community_raised', keys: ['communityId', 'raisedAt'] },
    ],
  },
  // `dp_<hash>`: a deposit asked of a room and what is held of it (a liability).
  {
    name: 'deposits',
    indexes: [
      { name: 'community_status', keys: ['communityId', 'status', 'requestedAt'] },
      // The staff list of every status, newest first (charge.deposits).
      { name: 'community_requested', keys: ['communityId', 'requestedAt'] },
      { name: 'room', keys: ['roomId'] },
    ],
  },
  // The deposit ledger: `dc_<depositId>` collects, `dr_<depositId>` releases; receipt numbers
  // (YJ/YH) are unique per community, as for payments.
  {
    name: 'deposit_entries',
    indexes: [
      { name: 'community_receipt', keys: ['communityId', 'receiptNo'], unique: true },
      { name: 'deposit', keys: ['depositId'] },
      { name: 'receipt_pending', keys: ['receiptPending'] },
      // A cashier's shift's deposit money (交班日结).
      { name: 'shift', keys: ['shiftId'] },
    ],
  },
  // `DP<hash>`: an owner's WeChat Pay order for a requested deposit.
  { name: 'deposit_orders', indexes: [{ name: 'deposit', keys: ['depositId'] }] },
];

COLLECTIONS.push(...CHARGE_COLLECTIONS);
