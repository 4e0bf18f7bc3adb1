/**
 * Opening balances (期初) when the system is first set up: arrears from the old system become one
 * bill per room (`b_<roomId>_<period>_opening`), prepaid balances become a prepaid ledger entry
 * (`op_<roomId>`) and the room's balance. Every row is checked before anything is written; a
 * repeat of the same file writes nothing; a different amount for a room already imported is
 * refused (corrections are separate entries, never edits).
 */
import {
  OPENING_KEY,
  billDocId,
  openingPrepaidId,
} from '../../../../miniprogram/domain/fee/billing';
import { roomSortKey } from '../../../../miniprogram/domain/community/vocabulary';
import { lastDay } from '../../../../miniprogram/domain/fee';
import { formatYuan } from '../../../../miniprogram/domain/kernel/money';
import { audit, auditTarget } from '../../../_shared/audit';
import { requireRole } from '../../../_shared/roles';
import { AppError, type ActionContext } from '../../../_shared/router';
import { fetchByIds, fetchIn, fetchWhere, insertNew } from '../../../_shared/paging';
import { issueOpeningBills } from '../../../_shared/ledger';
import { type FeeRoomDoc, ROOM_FIELDS, labelOf } from '../repo/rooms';
import { MANAGERS } from '../repo/standard-versions';
import type { OpeningRowResult } from '../../../../miniprogram/domain/fee/contract';
import type { Handlers } from '../../../_shared/router';
import type { feeContracts } from '../../../../miniprogram/domain/fee/contract';

interface OpeningRow {
  roomId?: string;
  building?: string;
  unit?: string;
  number?: string;
  amountFen: number;
  note?: string;
}

interface OpeningInput {
  communityId: string;
  kind: 'arrears' | 'prepaid';
  period?: string;
  dueDate?: string;
  rows: OpeningRow[];
}

interface ResolvedRow {
  row: number;
  room: FeeRoomDoc;
  amountFen: number;
  note?: string;
}

async function resolveRooms(ctx: ActionContext, input: OpeningInput): Promise<ResolvedRow[]> {
  const _ = ctx.db.command;
  const byId = input.rows.filter((r) => r.roomId).map((r) => r.roomId as string);
  const byKey = input.rows
    .filter((r) => !r.roomId)
    .map((r) => roomSortKey({ building: r.building!, unit: r.unit!, number: r.number! }));
  const rooms: FeeRoomDoc[] = [];
  if (byId.length) {
    rooms.push(
      ...(await fetchByIds<FeeRoomDoc>(
        ctx,
        'rooms',
        byId,
        { communityId: input.communityId },
        ROOM_FIELDS,
      )),
    );
  }
  const sortKeys = new Map<string, FeeRoomDoc>();
  if (byKey.length) {
    const found = await fetchWhere<FeeRoomDoc & { sortKey: string }>(
      ctx,
      'rooms',
      { communityId: input.communityId, sortKey: _.in([...new Set(byKey)]) },
      { ...ROOM_FIELDS, sortKey: true },
    );
    for (const r of found) sortKeys.set(r.sortKey, r);
  }
  const ids = new Map(rooms.map((r) => [r._id, r]));
  const seen = new Set<string>();
  return input.rows.map((r, i) => {
    const room = r.roomId
      ? ids.get(r.roomId)
      : sortKeys.get(roomSortKey({ building: r.building!, unit: r.unit!, number: r.number! }));
    if (!room) throw new AppError('INVALID_INPUT', `rows.${i}.roomId: 第 ${i + 1} 行的房屋不存在`);
    if (seen.has(room._id)) {
      throw new AppError(
        'INVALID_INPUT',
        `rows.${i}.roomId: 第 ${i + 1} 行的房屋（${labelOf(room)}）重复`,
      );
    }
    seen.add(room._id);
    return { row: i + 1, room, amountFen: r.amountFen, ...(r.note ? { note: r.note } : {}) };
  });
}

async function importArrears(
  ctx: ActionContext,
  input: OpeningInput,
  rows: ResolvedRow[],
): Promise<OpeningRowResult[]> {
  const period = input.period!;
  const dueDate = input.dueDate ?? lastDay(period);
  const now = ctx.now();
  const docs = rows.map((r) => ({
    _id: billDocId(r.room._id, period, OPENING_KEY),
    communityId: input.communityId,
    roomId: r.room._id,
    period,
    key: OPENING_KEY,
    title: '期初欠费（系统启用前）',
    items: [
      {
        itemId: OPENING_KEY,
        name: '期初欠费',
        basis: `系统启用前的欠费，期初导入${r.note ? `（${r.note}）` : ''} = ${formatYuan(r.amountFen)}`,
        amountFen: r.amountFen,
        kind: 'charge' as const,
      },
    ],
    amountDueFen: r.amountFen,
    dueDate,
    building: r.room.building,
    itemIds: [OPENING_KEY],
    opening: true,
    issuedAt: now,
  }));
  const existing = new Map(
    (
      await fetchByIds<{ _id: string; amountDueFen: number }>(
        ctx,
        'bills',
        docs.map((d) => d._id),
        {},
        { _id: true, amountDueFen: true },
      )
    ).map((d) => [d._id, d]),
  );
  docs.forEach((d, i) => {
    const before = existing.get(d._id);
    if (before && before.amountDueFen !== d.amountDueFen) {
      throw new AppError(
        'CONFLICT',
        `rows.${i}.amountFen: 第 ${i + 1} 行的房屋已导入期初欠费 ${formatYuan(before.amountDueFen)}，与本次 ${formatYuan(d.amountDueFen)} 不同；更正请走冲红`,
      );
    }
  });
  const inserted = await issueOpeningBills(
    ctx.db,
    docs.filter((d) => !existing.has(d._id)),
  );
  return rows.map((r, i) => ({
    row: r.row,
    roomId: r.room._id,
    roomLabel: labelOf(r.room),
    outcome: inserted.has(docs[i]!._id) ? 'created' : 'unchanged',
  }));
}

interface AccountDoc {
  _id: string;
  balanceFen: number;
  openingApplied?: boolean;
}

async function importPrepaid(
  ctx: ActionContext,
  input: OpeningInput,
  rows: ResolvedRow[],
): Promise<OpeningRowResult[]> {
  const _ = ctx.db.command;
  const now = ctx.now();
  const roomIds = rows.map((r) => r.room._id);
  const entries = new Map(
    (
      await fetchByIds<{ _id: string; amountFen: number }>(
        ctx,
        'prepaid_entries',
        roomIds.map(openingPrepaidId),
      )
    ).map((e) => [e._id, e]),
  );
  const accounts = new Map(
    (await fetchByIds<AccountDoc>(ctx, 'prepaid_accounts', roomIds)).map((a) => [a._id, a]),
  );
  // A balance is the stored amount plus the billing run's pending entries (ledger/prepaid.ts).
  const pendingFen = new Map<string, number>();
  for (const e of await fetchIn<{ roomId: string; amountFen: number }>(
    ctx,
    'prepaid_entries',
    'roomId',
    [...accounts.keys()],
    { communityId: input.communityId, pending: true },
    { roomId: true, amountFen: true },
    500,
  ))
    pendingFen.set(e.roomId, (pendingFen.get(e.roomId) ?? 0) + e.amountFen);
  rows.forEach((r, i) => {
    const before = entries.get(openingPrepaidId(r.room._id));
    if (before && before.amountFen !== r.amountFen) {
      throw new AppError(
        'CONFLICT',
        `rows.${i}.amountFen: 第 ${i + 1} 行的房屋已导入期初预存 ${formatYuan(before.amountFen)}，与本次 ${formatYuan(r.amountFen)} 不同`,
      );
    }
  });
  // The entry first, then the balance (once, remembered on the account): a repeat after a crash
  // finishes what is missing.
  const fresh = rows
    .filter((r) => !entries.has(openingPrepaidId(r.room._id)))
    .map((r) => ({
      _id: openingPrepaidId(r.room._id),
      communityId: input.communityId,
      roomId: r.room._id,
      amountFen: r.amountFen,
      balanceAfterFen:
        (accounts.get(r.room._id)?.balanceFen ?? 0) +
        (pendingFen.get(r.room._id) ?? 0) +
        r.amountFen,
      reason: `期初预存（系统启用前）${r.note ? `：${r.note}` : ''}`,
      opening: true,
      at: now,
    }));
  const created = new Set((await insertNew(ctx, 'prepaid_entries', fresh)).map((e) => e.roomId));
  const newAccounts = rows
    .filter((r) => !accounts.has(r.room._id))
    .map((r) => ({
      _id: r.room._id,
      communityId: input.communityId,
      balanceFen: r.amountFen,
      openingApplied: true,
      updatedAt: now,
    }));
  const insertedAccounts = new Set(
    (await insertNew(ctx, 'prepaid_accounts', newAccounts)).map((a) => a._id),
  );
  for (const r of rows) {
    const acc = accounts.get(r.room._id);
    const createdNow = insertedAccounts.has(r.room._id);
    if (createdNow || acc?.openingApplied) continue;
    // An existing account (or one created meanwhile by a payment): add once.
    await ctx.db
      .collection('prepaid_accounts')
      .where({ _id: r.room._id, openingApplied: _.neq(true) })
      .update({ data: { balanceFen: _.inc(r.amountFen), openingApplied: true, updatedAt: now } });
  }
  return rows.map((r) => ({
    row: r.row,
    roomId: r.room._id,
    roomLabel: labelOf(r.room),
    outcome: created.has(r.room._id) ? 'created' : 'unchanged',
  }));
}

export const importOpening: Handlers<typeof feeContracts>['importOpening'] = async (input, ctx) => {
  const caller = await requireRole(ctx, input.communityId, MANAGERS);
  const rows = await resolveRooms(ctx, input);
  const results =
    input.kind === 'arrears'
      ? await importArrears(ctx, input, rows)
      : await importPrepaid(ctx, input, rows);
  const created = results.filter((r) => r.outcome === 'created');
  const createdFen = rows
    .filter((_r, i) => results[i]!.outcome === 'created')
    .reduce((s, r) => s + r.amountFen, 0);
  if (created.length > 0) {
    await audit(ctx, caller, {
      ...auditTarget(
        'openingBalance',
        input.communityId,
        `${input.kind}:${input.period ?? ''}`,
        input.kind === 'arrears' ? '期初欠费' : '期初预存',
      ),
      action: input.kind === 'arrears' ? 'opening.arrears' : 'opening.prepaid',
      summary: `导入${input.kind === 'arrears' ? '期初欠费' : '期初预存'} ${created.length} 户，合计 ${formatYuan(createdFen)}`,
      after: { rooms: created.length, totalFen: createdFen },
    });
  }
  return {
    kind: input.kind,
    created: created.length,
    unchanged: results.length - created.length,
    totalFen: rows.reduce((s, r) => s + r.amountFen, 0),
    results,
  };
};
