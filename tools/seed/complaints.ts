/**
 * Demo complaints (docs/complaints.md): tickets in every state so the owner's 投诉与建议 and the
 * staff desk show something at once — a fee dispute just filed with its bill on hold, one in
 * progress with a reply and an internal note, one past its first-response deadline (breach
 * counted and escalated), one resolved awaiting the owner's confirmation, closed ones with
 * ratings and a return visit — plus call logs, the progress template and an auto-assign rule.
 */
import {
  DEFAULT_CALENDAR,
  addWorkingMinutes,
  deadlinesFor,
  ticketNumber,
  type ComplaintCategory,
  type TicketKind,
  type TicketStatus,
} from '../../miniprogram/domain/complaint/rules';
import type { TimelineEntry, TimelineKind } from '../../miniprogram/domain/complaint/contract';
import { deskOrder } from '../../miniprogram/domain/complaint/desk-order';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import { shanghaiDate } from '../../miniprogram/domain/kernel/time';
import type { Store } from '../cloud/store';
import { pngOf, seedFile } from './files';
import { keywordsOf } from './templates';

const C = 'c_cuihu';
const SERVICE = { openid: 'o_demo_service', name: '周客服' };
const ADMIN = { openid: 'o_demo_admin', name: '赵经理' };
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A timeline entry as the complaint function stores it. */
interface SeedEvent extends Omit<TimelineEntry, 'at' | 'photos'> {
  at: Date;
  byOpenid: string;
  photos: string[];
}

function ev(
  at: Date,
  kind: TimelineKind,
  by: SeedEvent['by'],
  who: { openid: string; name: string },
  text: string,
  extra: { status?: TicketStatus; internal?: boolean } = {},
): SeedEvent {
  return {
    id: `seed${at.getTime().toString(36)}${kind}`,
    at,
    kind,
    by,
    byOpenid: who.openid,
    byName: who.name,
    text,
    status: extra.status ?? null,
    photos: [],
    internal: extra.internal ?? false,
  };
}

const OWNER = (openid: string) => ({ openid, name: '业主' });
const SYSTEM = { openid: '', name: '系统' };

export function seedComplaints(store: Store, now: Date): void {
  // The progress template (工单处理进度通知) and an auto-assign rule for repairs.
  store.update(
    'communities',
    { _id: C },
    {
      $set: {
        'templates.complaintProgress': {
          templateId: 'TMPL_TICKET_PROGRESS',
          keywords: keywordsOf('character_string1', 'thing2', 'phrase3', 'thing4', 'time5'),
        },
        complaints: {
          deadlines: DEFAULT_SETTINGS.complaintDeadlines,
          calendar: DEFAULT_CALENDAR,
          autoAssign: { repair: SERVICE.openid },
        },
      },
    },
    { multi: false, replace: false, upsert: false },
  );

  const rooms = new Map(
    store
      .find('rooms', { communityId: C })
      .map((r) => [r._id as string, `${r.building}栋${r.unit}单元${r.number}`]),
  );
  const unpaid1501 = store
    .find('bills', { roomId: 'r_1_1_1501', status: 'unpaid' })
    .sort((a, b) => String(b.period).localeCompare(String(a.period)))[0]!;

  const perDay = new Map<string, number>();
  const tickets: Record<string, unknown>[] = [];
  const holds: Record<string, unknown>[] = [];

  function ticket(t: {
    id: string;
    openid: string;
    roomId: string;
    kind?: TicketKind;
    category: ComplaintCategory;
    description: string;
    createdAt: Date;
    status: TicketStatus;
    handler?: { openid: string; name: string } | null;
    billIds?: string[];
    bills?: { billId: string; title: string }[];
    firstResponseAt?: Date | null;
    resolvedAt?: Date | null;
    closedAt?: Date | null;
    breachKeys?: string[];
    holdRefId?: string | null;
    events: SeedEvent[];
    rating?: { stars: number; comment: string; at: Date } | null;
    returnVisit?: Record<string, unknown> | null;
  }): void {
    const day = shanghaiDate(t.createdAt);
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    const due = deadlinesFor(
      t.category,
      t.createdAt,
      DEFAULT_SETTINGS.complaintDeadlines,
      DEFAULT_CALENDAR,
    );
    const minutes = (to: Date | null | undefined) =>
      to ? Math.round((to.getTime() - t.createdAt.getTime()) / 60_000) : null;
    const updatedAt = t.events.reduce((m, e) => (e.at > m ? e.at : m), t.createdAt);
    tickets.push({
      _id: t.id,
      ticketNo: ticketNumber(t.createdAt, seq),
      communityId: C,
      roomId: t.roomId,
      roomLabel: rooms.get(t.roomId) ?? '',
      openid: t.openid,
      ownerName: '',
      kind: t.kind ?? 'complaint',
      category: t.category,
      description: t.description,
      photos: [],
      billIds: t.billIds ?? [],
      bills: t.bills ?? [],
      status: t.status,
      handler: t.handler?.openid ?? null,
      handlerName: t.handler?.name ?? '',
      createdAt: t.createdAt,
      updatedAt,
      clockStartAt: t.createdAt,
      firstResponseDueAt: due.firstResponseDueAt,
      resolutionDueAt: due.resolutionDueAt,
      firstResponseAt: t.firstResponseAt ?? null,
      firstResponseMinutes: minutes(t.firstResponseAt),
      resolvedAt: t.resolvedAt ?? null,
      resolutionMinutes: minutes(t.resolvedAt),
      closedAt: t.closedAt ?? null,
      reopenCount: 0,
      // Breaches as the desk would have counted them: answered or resolved after the deadline.
      breachKeys: t.breachKeys ?? [
        ...(t.firstResponseAt && t.firstResponseAt > due.firstResponseDueAt
          ? ['first-response:0']
          : []),
        ...(t.resolvedAt && t.resolvedAt > due.resolutionDueAt ? ['resolution:0'] : []),
      ],
      nearKeys: [],
      // The order the desk sorts and counts by, as the complaint function writes it.
      ...deskOrder({
        status: t.status,
        clockStartAt: t.createdAt,
        firstResponseAt: t.firstResponseAt ?? null,
        ...due,
      }),
      holdRefId: t.holdRefId ?? null,
      events: t.events,
      rating: t.rating ?? null,
      returnVisit: t.returnVisit ?? null,
    });
  }

  // 1. Just filed: a fee dispute about 1501's latest unpaid bill, on hold.
  const t1 = new Date(now.getTime() - 40 * 60_000);
  ticket({
    id: 'cp_demo_fee',
    openid: 'o_demo_owner',
    roomId: 'r_1_1_1501',
    category: 'fee-dispute',
    description: '本季度物业费金额和上季度不一样，想请物业解释一下计费面积。',
    createdAt: t1,
    status: 'registered',
    billIds: [unpaid1501._id as string],
    bills: [{ billId: unpaid1501._id as string, title: unpaid1501.title as string }],
    holdRefId: 'cp_demo_fee',
    events: [
      ev(
        t1,
        'created',
        'owner',
        OWNER('o_demo_owner'),
        '提交费用疑问投诉：本季度物业费金额和上季度不一样，想请物业解释一下计费面积。',
        { status: 'registered' },
      ),
    ],
  });
  holds.push({
    _id: 'hold_demo_fee',
    communityId: C,
    roomId: 'r_1_1_1501',
    billIds: [unpaid1501._id],
    reason: 'complaint',
    refId: 'cp_demo_fee',
    from: shanghaiDate(t1),
    to: null,
    active: true,
    note: '投诉工单：费用疑问',
    createdBy: 'o_demo_owner',
    createdAt: t1,
  });

  // 2. In progress: a leaking pipe, auto-assigned, answered, with an internal note.
  const t2 = new Date(now.getTime() - 2 * DAY);
  const r2 = new Date(t2.getTime() + 35 * 60_000);
  ticket({
    id: 'cp_demo_repair',
    openid: 'o_demo_elder',
    roomId: 'r_1_2_201',
    category: 'repair',
    description: '卫生间天花板渗水，怀疑楼上水管漏水，请尽快派人查看。',
    createdAt: t2,
    status: 'in-progress',
    handler: SERVICE,
    firstResponseAt: r2,
    events: [
      ev(
        t2,
        'created',
        'owner',
        OWNER('o_demo_elder'),
        '提交维修投诉：卫生间天花板渗水，怀疑楼上水管漏水，请尽快派人查看。',
        { status: 'registered' },
      ),
      ev(t2, 'assign', 'system', SYSTEM, `按类别自动分派给 ${SERVICE.name}`, { internal: true }),
      ev(r2, 'status', 'staff', SERVICE, '开始处理：维修师傅今天下午上门查看', {
        status: 'in-progress',
      }),
      ev(
        new Date(r2.getTime() + HOUR),
        'note',
        'staff',
        SERVICE,
        '楼上 301 白天无人，已约晚上 7 点入户',
        { internal: true },
      ),
      ev(
        new Date(r2.getTime() + 2 * HOUR),
        'reply',
        'staff',
        SERVICE,
        '您好，已联系楼上住户，今晚 7 点入户检修，给您带来不便深表歉意。',
      ),
    ],
  });

  // 3. Breached: cleaning, filed days ago and never answered; counted and escalated.
  const t3 = new Date(now.getTime() - 4 * DAY);
  const due3 = addWorkingMinutes(t3, 120, DEFAULT_CALENDAR);
  ticket({
    id: 'cp_demo_breach',
    openid: 'o_demo_paid',
    roomId: 'r_3_2_801',
    category: 'cleaning',
    description: '3 栋 2 单元楼道垃圾两天没人清理，有异味。',
    createdAt: t3,
    status: 'registered',
    breachKeys: ['first-response:0'],
    events: [
      ev(
        t3,
        'created',
        'owner',
        OWNER('o_demo_paid'),
        '提交环境卫生投诉：3 栋 2 单元楼道垃圾两天没人清理，有异味。',
        { status: 'registered' },
      ),
      ev(
        new Date(due3.getTime() + 5 * 60_000),
        'breach',
        'system',
        SYSTEM,
        '首次响应超时，已上报管理员',
        { internal: true },
      ),
    ],
  });

  // 4. Resolved yesterday, waiting for the owner to confirm or reopen.
  const t4 = new Date(now.getTime() - 3 * DAY);
  const r4 = new Date(t4.getTime() + 50 * 60_000);
  const s4 = new Date(now.getTime() - 20 * HOUR);
  ticket({
    id: 'cp_demo_noise',
    openid: 'o_demo_owner',
    roomId: 'r_2_1_302',
    category: 'noise',
    description: '楼下商铺晚上 10 点后还在装修，噪音很大。',
    createdAt: t4,
    status: 'resolved',
    handler: SERVICE,
    firstResponseAt: r4,
    resolvedAt: s4,
    events: [
      ev(
        t4,
        'created',
        'owner',
        OWNER('o_demo_owner'),
        '提交噪音扰民投诉：楼下商铺晚上 10 点后还在装修，噪音很大。',
        { status: 'registered' },
      ),
      ev(r4, 'status', 'staff', SERVICE, '已受理：已安排秩序维护员前往劝导', {
        status: 'accepted',
      }),
      ev(s4, 'status', 'staff', SERVICE, '已解决：已与商铺约定装修时间为 8:00–12:00、14:00–18:00', {
        status: 'resolved',
      }),
    ],
  });

  // 5–7. Closed with ratings (one low, on 1501 again: a repeat room), a return visit, a suggestion.
  const closed = [
    {
      id: 'cp_demo_closed1',
      openid: 'o_demo_owner',
      roomId: 'r_1_1_1501',
      category: 'service' as const,
      days: 20,
      stars: 2,
      comment: '处理太慢了',
      text: '前台电话多次无人接听。',
    },
    {
      id: 'cp_demo_closed2',
      openid: 'o_demo_elder',
      roomId: 'r_1_2_201',
      category: 'security' as const,
      days: 12,
      stars: 5,
      comment: '保安师傅很负责',
      text: '小区东门晚上没有人值守。',
    },
    {
      id: 'cp_demo_closed3',
      openid: 'o_demo_paid',
      roomId: 'r_3_2_801',
      category: 'other' as const,
      days: 8,
      stars: 4,
      comment: '',
      text: '建议在儿童游乐区增加遮阳棚。',
      kind: 'suggestion' as const,
    },
  ];
  for (const c of closed) {
    const at = new Date(now.getTime() - c.days * DAY);
    const resp = new Date(at.getTime() + (c.stars === 2 ? 200 : 45) * 60_000);
    const res = new Date(at.getTime() + (c.stars === 2 ? 4 : 1) * DAY);
    const done = new Date(res.getTime() + 6 * HOUR);
    ticket({
      id: c.id,
      openid: c.openid,
      roomId: c.roomId,
      kind: c.kind ?? 'complaint',
      category: c.category,
      description: c.text,
      createdAt: at,
      status: 'closed',
      handler: SERVICE,
      firstResponseAt: resp,
      resolvedAt: res,
      closedAt: done,
      rating: { stars: c.stars, comment: c.comment, at: done },
      returnVisit:
        c.stars === 2
          ? {
              at: new Date(done.getTime() + DAY),
              by: ADMIN.openid,
              byName: ADMIN.name,
              method: 'phone',
              satisfied: true,
              feedback: '经理致电致歉，业主表示理解',
            }
          : null,
      events: [
        ev(at, 'created', 'owner', OWNER(c.openid), `提交：${c.text}`, { status: 'registered' }),
        ev(resp, 'reply', 'staff', SERVICE, '您好，感谢您的反馈，我们已收到并安排专人处理。'),
        ev(res, 'status', 'staff', SERVICE, '已解决：已按您的意见改进', { status: 'resolved' }),
        ev(done, 'confirm', 'owner', OWNER(c.openid), '业主确认问题已解决', { status: 'closed' }),
        ev(
          done,
          'rate',
          'owner',
          OWNER(c.openid),
          `评价 ${'★'.repeat(c.stars)}${'☆'.repeat(5 - c.stars)}${c.comment ? `：${c.comment}` : ''}`,
        ),
      ],
    });
  }

  store.insert('complaints', tickets);
  store.insert('bill_holds', holds);
  store.insert(
    'counters',
    [...perDay].map(([day, seq]) => ({
      _id: `complaint_${C}_${day.replace(/-/g, '')}`,
      seq,
      kind: 'complaint',
    })),
  );
  store.insert('notifications', [
    {
      openid: ADMIN.openid,
      communityId: C,
      kind: 'complaint-escalated',
      title: `工单超时 ${tickets[2]!.ticketNo as string}`,
      body: '3栋2单元801 首次响应已超过时限，请尽快处理',
      page: '/admin/tickets/detail?ticketId=cp_demo_breach',
      refId: 'cp_demo_breach',
      at: new Date(due3.getTime() + 5 * 60_000),
      readAt: null,
    },
  ]);

  const call = (
    minutesAgo: number,
    direction: 'inbound' | 'outbound',
    caller: string,
    roomId: string | null,
    topic: string,
    outcome: string,
    rings: number | null,
    ticketId: string | null,
  ) => {
    const at = new Date(now.getTime() - minutesAgo * 60_000);
    const label = roomId ? (rooms.get(roomId) ?? '') : '';
    const ticketNo = ticketId
      ? ((tickets.find((t) => t._id === ticketId)?.ticketNo as string) ?? '')
      : '';
    return {
      communityId: C,
      at,
      day: shanghaiDate(at),
      direction,
      caller,
      phone: '',
      roomId,
      roomLabel: label,
      topic,
      outcome,
      rings,
      answerSeconds: null,
      withinThreeRings: direction === 'outbound' || rings === null ? null : rings <= 3,
      ticketId,
      ticketNo,
      by: SERVICE.openid,
      byName: SERVICE.name,
      createdAt: at,
      search: [caller, label, topic, outcome, ticketNo].join(' ').toLowerCase(),
    };
  };
  store.insert('service_calls', [
    call(
      30,
      'inbound',
      '业主',
      'r_1_1_1501',
      '询问本季度物业费为何变化',
      '已说明会在 2 小时内书面答复',
      2,
      'cp_demo_fee',
    ),
    call(
      2 * 24 * 60 - 10,
      'inbound',
      '业主',
      'r_1_2_201',
      '卫生间渗水',
      '已登记并派维修',
      1,
      'cp_demo_repair',
    ),
    call(
      26 * 60,
      'outbound',
      '业主',
      'r_1_1_1501',
      '差评回访致歉',
      '业主表示理解',
      null,
      'cp_demo_closed1',
    ),
    call(3 * 60, 'inbound', '李女士', null, '咨询停车月卡办理', '已告知到前台办理', 5, null),
    call(90, 'inbound', '王先生', 'r_2_1_302', '咨询装修时间规定', '已解答', 3, null),
  ]);
}

/** A sketch of the leak the elder photographed: a stained ceiling over a tiled wall, drops. */
function leakPhoto(): Buffer {
  return pngOf(240, 160, (x, y) => {
    const stain = ((x - 120) / 70) ** 2 + ((y - 30) / 26) ** 2 < 1;
    const drop = [130, 150, 118].some((dx, i) => (x - dx) ** 2 + (y - 75 - i * 25) ** 2 < 16);
    if (drop) return [91, 143, 185];
    if (y < 50) return stain ? [184, 169, 138] : [222, 226, 224];
    return x % 40 < 2 || (y - 50) % 40 < 2 ? [190, 198, 196] : [238, 242, 241];
  });
}

/**
 * The repair ticket's photo, stored as the owner's own upload (complaints/<openid>/…): the owner
 * sees it on 投诉详情 and the desk on 工单处理, both through the links the function answers.
 */
export async function seedComplaintPhotos(store: Store, url: string): Promise<void> {
  const owner = 'o_demo_elder';
  const photo = await seedFile(url, `complaints/${owner}/demo-leak.png`, leakPhoto(), {
    owner,
    type: 'image/png',
  });
  store.update(
    'complaints',
    { _id: 'cp_demo_repair' },
    { $set: { photos: [photo] } },
    { multi: false, replace: false, upsert: false },
  );
}
