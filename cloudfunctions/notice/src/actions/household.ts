/**
 * Printed per-household notices (缴费通知单): one A4 page per billed room with its own amounts and
 * a personal mini-program code (`wxacode.getUnlimited`, scene `h=<one-time token>`) that opens
 * binding for that room, filled in and verified by the token, or the bill once bound. Staff print
 * per building and record who signed for theirs (送达签收), which the delivery report counts.
 */
import cloud from 'wx-server-sdk';
import { roomLabel, roomSortKey } from '../../../../miniprogram/domain/community/vocabulary';
import { outstandingFen, type BillDoc } from '../../../../miniprogram/domain/fee/bill';
import { shanghaiDate } from '../../../../miniprogram/domain/kernel/time';
import {
  householdNoticeDoc,
  type HouseholdPage,
} from '../../../../miniprogram/domain/notice/household';
import { householdScene } from '../../../../miniprogram/domain/notice/reach';
import { type noticeContracts } from '../../../../miniprogram/domain/notice/contract';
import { audit, auditTarget } from '../../../_shared/audit';
import { fetchAll } from '../../../_shared/db';
import { codesFor } from '../../../_shared/household-codes';
import { printToCloud } from '../../../_shared/print-file';
import { currentOwners } from '../../../_shared/room-owners';
import { requireRole } from '../../../_shared/roles';
import { AppError, type Handlers } from '../../../_shared/router';
import { community, loadNotice, PAYMENT_METHOD_TEXT } from '../repo/notices';

/** The page a household code opens (it must be a published page: check_path stays on). */
export const HOUSEHOLD_CODE_PAGE = 'pages/bind/index';

interface RoomDoc {
  _id: string;
  building: string;
  unit: string;
  number: string;
}

export const householdPdf: Handlers<typeof noticeContracts>['householdPdf'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId || n.kind !== 'payment' || !n.period || !n.deadline)
    throw new AppError('NOT_FOUND', 'noticeId: 没有该缴费通知');
  const c = await community(ctx, input.communityId);
  const _ = ctx.db.command;
  const rooms = await fetchAll<RoomDoc>(
    ctx.db
      .collection('rooms')
      .where({
        communityId: input.communityId,
        ...(input.building ? { building: input.building } : {}),
      })
      .field({ _id: true, building: true, unit: true, number: true }),
  );
  const bills: BillDoc[] = [];
  const ids = rooms.map((r) => r._id);
  for (let i = 0; i < ids.length; i += 500) {
    bills.push(
      ...(await fetchAll<BillDoc>(
        ctx.db.collection('bills').where({
          communityId: input.communityId,
          roomId: _.in(ids.slice(i, i + 500)),
          period: n.period,
          status: _.neq('void'),
        }),
      )),
    );
  }
  const billsOf = new Map<string, BillDoc[]>();
  for (const b of bills) billsOf.set(b.roomId, [...(billsOf.get(b.roomId) ?? []), b]);
  const billed = rooms
    .filter((r) => billsOf.has(r._id))
    .sort((a, b) => roomSortKey(a).localeCompare(roomSortKey(b)));
  if (billed.length === 0)
    throw new AppError(
      'PRECONDITION_FAILED',
      `building: ${input.building ? `${input.building}栋` : '本小区'}没有 ${n.period} 的账单`,
    );
  const today = shanghaiDate(ctx.now());
  const owners = await currentOwners(
    ctx.db,
    input.communityId,
    billed.map((r) => r._id),
    today,
  );
  const codes = await codesFor(
    ctx.db,
    input.communityId,
    n._id,
    billed.map((r) => r._id),
    today,
    ctx.now(),
  );
  const pages: HouseholdPage[] = [];
  for (const room of billed) {
    const own = billsOf.get(room._id)!;
    const code = (await cloud.openapi.wxacode.getUnlimited({
      scene: householdScene(codes.get(room._id)!.token),
      page: HOUSEHOLD_CODE_PAGE,
      checkPath: true,
      envVersion: 'release',
      width: 280,
    })) as { buffer: Buffer };
    pages.push({
      roomLabel: roomLabel(room),
      ownerName: (owners.get(room._id) ?? []).map((o) => o.name).join('、'),
      lines: own.flatMap((b) =>
        b.items.map((it) => ({
          name: it.name,
          basis: it.basis,
          amountFen: it.amountFen,
          ...(it.from ? { from: it.from } : {}),
          ...(it.to ? { to: it.to } : {}),
        })),
      ),
      outstandingFen: own.reduce((s, b) => s + outstandingFen(b), 0),
      codePng: Buffer.from(code.buffer).toString('base64'),
    });
  }
  const doc = householdNoticeDoc(
    {
      communityName: c.name,
      title: n.title,
      period: n.period,
      deadline: n.deadline,
      methods: (n.methods ?? []).map((m) => PAYMENT_METHOD_TEXT[m] ?? m),
      frontDesk: n.frontDesk ?? '',
      serviceHours: n.serviceHours ?? '',
      lateFeePolicy: n.lateFeePolicy ?? null,
      contactPhone: n.contactPhone ?? '',
      building: input.building ?? '',
    },
    pages,
  );
  const { printed, fileID } = await printToCloud(
    doc,
    {
      communityId: input.communityId,
      name: `household-${n.period}-${input.building ?? 'all'}.pdf`,
    },
    ctx.now(),
  );
  await audit(ctx, caller, {
    ...auditTarget('notice', input.communityId, n._id, n.title),
    action: 'notice.householdPdf',
    summary: `打印入户缴费通知单 ${pages.length} 户${input.building ? `（${input.building}栋）` : ''}`,
    after: { rooms: pages.length, fileID },
  });
  return { ...printed, rooms: pages.length };
};

export const recordDelivery: Handlers<typeof noticeContracts>['recordDelivery'] = async (
  input,
  ctx,
) => {
  const caller = await requireRole(ctx, input.communityId, ['service']);
  const n = await loadNotice(ctx, input.noticeId);
  if (n.communityId !== input.communityId) throw new AppError('NOT_FOUND', 'noticeId: 通知不存在');
  const _ = ctx.db.command;
  const res = await ctx.db
    .collection('notice_deliveries')
    .where({
      noticeId: n._id,
      roomId: _.in([...new Set(input.roomIds)]),
      printedAt: _.exists(false),
    })
    .update({ data: { printedAt: ctx.now(), printedBy: caller.name || caller.openid } });
  const recorded = Number(res.stats.updated);
  await audit(ctx, caller, {
    ...auditTarget('notice', input.communityId, n._id, n.title),
    action: 'notice.recordDelivery',
    summary: `登记入户通知单签收 ${recorded} 户`,
    after: { roomIds: input.roomIds },
  });
  return { recorded };
};
