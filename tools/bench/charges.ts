/**
 * Years of one-off charges (临时收费) and deposits (押金) in a generated community: `charges`
 * charges and `deposits` deposits over the bench rooms, their times in groups of three that share
 * a minute (so a page can end inside a tie), the charges billed, waiting or rejected and the
 * deposits requested, held or refunded less a deduction, with the deposit ledger entries that
 * go with them. Used by the bench (`charge.charges` and `charge.deposits` among the staff lists)
 * and the paging tests. The rooms themselves are not inserted: the caller's community has them.
 */
import type { Store } from '../cloud/store';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { COMMUNITY, benchRoom } from './rooms';

export const CHARGES_FROM = Date.parse('2024-01-02T09:00:00+08:00');

export interface SeededChargeLists {
  /** chargeId → its status. */
  charges: Map<string, string>;
  /** depositId → its status. */
  deposits: Map<string, string>;
  /** The community's deposit totals as the ledger entries and deposits add up. */
  totals: {
    collectedFen: number;
    releasedFen: number;
    refundedFen: number;
    deductedFen: number;
    heldFen: number;
  };
}

const CHARGE_STATUSES = ['billed', 'billed', 'pending-approval', 'rejected'] as const;
const DEPOSIT_STATUSES = ['held', 'refunded', 'requested'] as const;

/** Inserts the charges, deposits and deposit entries over the first `rooms` bench rooms. */
export function seedChargeLists(
  store: Store,
  rooms: number,
  charges: number,
  deposits: number,
): SeededChargeLists {
  const out: SeededChargeLists = {
    charges: new Map(),
    deposits: new Map(),
    totals: { collectedFen: 0, releasedFen: 0, refundedFen: 0, deductedFen: 0, heldFen: 0 },
  };
  const at = (k: number) => new Date(CHARGES_FROM + Math.floor(k / 3) * 60_000);
  const chargeDocs = Array.from({ length: charges }, (_, k) => {
    const room = benchRoom((k * 37) % rooms);
    const status = CHARGE_STATUSES[k % CHARGE_STATUSES.length]!;
    const _id = `oc_bench${String(k).padStart(6, '0')}`;
    out.charges.set(_id, status);
    return {
      _id,
      communityId: COMMUNITY,
      roomId: room._id,
      roomLabel: roomLabel(room),
      building: room.building,
      reason: 'debris',
      title: '装修垃圾清运',
      note: `清运 ${1 + (k % 5)} 车`,
      amountFen: 20_000 + (k % 7) * 10_000,
      dueDate: '2024-01-17',
      status,
      thresholdFen: 50_000,
      raisedBy: 'o_bench_admin',
      raisedByName: '基准管理员',
      raisedAt: at(k),
      ...(status === 'billed' ? { billId: `b_oc_bench${k}` } : {}),
    };
  });
  const depositDocs: Record<string, unknown>[] = [];
  const entries: Record<string, unknown>[] = [];
  for (let k = 0; k < deposits; k++) {
    const room = benchRoom((k * 53) % rooms);
    const status = DEPOSIT_STATUSES[k % DEPOSIT_STATUSES.length]!;
    const _id = `dp_bench${String(k).padStart(6, '0')}`;
    const amountFen = 100_000 + (k % 4) * 50_000;
    const deductedFen = k % 2 === 0 ? 0 : 20_000;
    out.deposits.set(_id, status);
    const entry = {
      communityId: COMMUNITY,
      depositId: _id,
      roomId: room._id,
      channel: 'cash',
      at: at(k),
      by: 'o_bench_admin',
    };
    if (status !== 'requested') {
      entries.push({ ...entry, _id: `dc_${_id}`, kind: 'collect', amountFen, receiptNo: `YJ${k}` });
      out.totals.collectedFen += amountFen;
    }
    if (status === 'refunded') {
      entries.push({
        ...entry,
        _id: `dr_${_id}`,
        kind: 'release',
        amountFen: -amountFen,
        refundFen: amountFen - deductedFen,
        deductedFen,
        receiptNo: `YH${k}`,
      });
      out.totals.releasedFen += amountFen;
      out.totals.refundedFen += amountFen - deductedFen;
      out.totals.deductedFen += deductedFen;
    }
    const heldFen = status === 'held' ? amountFen : 0;
    out.totals.heldFen += heldFen;
    depositDocs.push({
      _id,
      communityId: COMMUNITY,
      roomId: room._id,
      roomLabel: roomLabel(room),
      kind: 'renovation',
      amountFen,
      heldFen,
      status,
      note: '',
      requestedBy: 'o_bench_admin',
      requestedByName: '基准管理员',
      requestedAt: at(k),
      ...(status === 'refunded'
        ? {
            refund: {
              deductions: deductedFen ? [{ reason: '墙面修补', amountFen: deductedFen }] : [],
              deductedFen,
              refundFen: amountFen - deductedFen,
              channel: 'cash',
              requestedAt: at(k),
            },
          }
        : {}),
    });
  }
  store.insert('charges', chargeDocs);
  store.insert('deposits', depositDocs);
  store.insert('deposit_entries', entries);
  return out;
}
