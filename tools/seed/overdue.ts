/**
 * The demo's overdue follow-up (docs/overdue.md), written as the daily timer and the service desk
 * would have left it: the latest period's payment notice published and pushed (delivery report,
 * read receipts), subscribe templates configured to the ids in `miniprogram/config.ts`, every
 * overdue room at the stage its days call for (stage events on the right days, 催缴函 letters —
 * some delivered — home-visit tasks, calls for owners WeChat cannot reach), a call with a reason,
 * a promise to pay (a 'promise' hold) and an active installment plan (an 'installment' hold).
 */
import { agingBucket, overdueDaysOn } from '../../miniprogram/domain/ledger/aging';
import { outstandingFen, type BillDoc } from '../../miniprogram/domain/fee/bill';
import { formatYuan } from '../../miniprogram/domain/kernel/money';
import {
  letterNumber,
  splitInstallments,
  STAGE_LABELS,
} from '../../miniprogram/domain/overdue/rules';
import { DEFAULT_SETTINGS } from '../../miniprogram/domain/settings/defaults';
import { roomLabel } from '../../miniprogram/domain/community/vocabulary';
import { addDays, formatPeriod } from '../../miniprogram/domain/kernel/time';
import { holdId } from '../../cloudfunctions/_shared/holds';
import { stableId } from '../../cloudfunctions/_shared/ids';
import { signoffData, signoffId } from '../../cloudfunctions/_shared/signoffs';
import type { Store } from '../cloud/store';
import { keywordsOf } from './templates';

const C = 'c_cuihu';
const NOTICE_ID = 'n_welcome';

interface SeedRoom {
  _id: string;
  building: string;
  unit: string;
  number: string;
}

const label = (r: SeedRoom) => roomLabel(r);
const at = (day: string, hhmm = '08:00') => new Date(`${day}T${hhmm}:00+08:00`);

export function seedOverdue(
  store: Store,
  opts: {
    bills: readonly Record<string, unknown>[];
    rooms: readonly Record<string, unknown>[];
    bindings: { roomId: string; openid: string }[];
    today: string;
    now: Date;
    service: string;
    serviceName: string;
    admin: string;
    adminName: string;
  },
): void {
  const { today, now } = opts;
  const bills = opts.bills as unknown as BillDoc[];
  const rooms = new Map((opts.rooms as unknown as SeedRoom[]).map((r) => [r._id, r]));
  const bound = new Map<string, string[]>();
  for (const b of opts.bindings) bound.set(b.roomId, [...(bound.get(b.roomId) ?? []), b.openid]);

  store.update(
    'communities',
    { _id: C },
    {
      $set: {
        // Dotted: other templates (complaint progress) are configured by their own seeds.
        'templates.billReminder': {
          templateId: 'TMPL_BILL_ISSUED',
          keywords: keywordsOf('thing1', 'amount2', 'date3', 'thing4'),
        },
        'templates.overdueReminder': {
          templateId: 'TMPL_BILL_OVERDUE',
          keywords: keywordsOf('thing1', 'amount2', 'date3', 'phrase4'),
        },
      },
    },
    { multi: false, replace: false, upsert: false },
  );

  // ---------------------------------------------------------------- the latest period's notice
  const latest = [...new Set(bills.map((b) => b.period))].sort().at(-1)!;
  const periodBills = bills.filter((b) => b.period === latest);
  const due = periodBills[0]!.dueDate;
  const publishedOn = addDays(due, -14);
  store.update(
    'notices',
    { _id: NOTICE_ID },
    {
      $set: {
        kind: 'payment',
        title: `${formatPeriod(latest)}起物业服务费缴费通知`,
        period: latest,
        deadline: due,
        amountBasis: '建筑面积 × 2.35 元/m²/月 × 3 个月',
        methods: ['wechat', 'cash', 'card', 'transfer'],
        frontDesk: '3 栋一楼物业服务中心',
        serviceHours: '每日 8:30–18:00',
        lateFeePolicy: null,
        contactPhone: '0571-8888 6666',
        body: '本季度物业服务费已出账，您的应缴金额可在小程序首页查看。可在小程序内微信支付，或到 3 栋一楼物业服务中心缴纳。感谢您的支持！',
        publishedAt: at(publishedOn, '10:00'),
        push: { status: 'done', cursor: '~', rooms: periodBills.length, sent: 2 },
      },
    },
    { multi: false, replace: false, upsert: false },
  );
  // Who published it: staff-only, never on the notice owners read (docs/security.md).
  store.insert('staff_signoffs', [
    {
      _id: signoffId('notices', NOTICE_ID),
      ...signoffData('notices', C, NOTICE_ID, {
        published: { by: opts.service, byName: opts.serviceName, at: at(publishedOn, '10:00') },
      }),
    },
  ]);
  const pushedAt = at(publishedOn, '10:00');
  const deliveries: Record<string, unknown>[] = [];
  const reminders: Record<string, unknown>[] = [];
  for (const b of periodBills) {
    const room = rooms.get(b.roomId)!;
    const openids = bound.get(b.roomId) ?? [];
    // At push time the bill was unpaid (those paid since paid after the notice).
    const reached = openids.includes('o_demo_owner');
    const outcome = openids.length === 0 ? 'not-bound' : reached ? 'wechat' : 'no-subscription';
    deliveries.push({
      _id: `${NOTICE_ID}:${b.roomId}`,
      noticeId: NOTICE_ID,
      communityId: C,
      roomId: b.roomId,
      roomLabel: label(room),
      amountFen: b.amountDueFen,
      openids,
      outcome,
      specialCare: false,
      at: pushedAt,
    });
    for (const openid of openids) {
      reminders.push({
        _id: stableId('rem', openid, b.roomId, NOTICE_ID, 'notice'),
        communityId: C,
        roomId: b.roomId,
        openid,
        refId: NOTICE_ID,
        stage: 'notice',
        purpose: 'billReminder',
        fields: {
          subject: `${label(room)} ${Number(latest.slice(5))}月物业费`,
          amountFen: b.amountDueFen,
          date: due,
          note: '可在小程序内缴纳，感谢支持',
          phone: '0571-88886666',
          status: '待缴费',
        },
        page: `pages/notice/detail?noticeId=${NOTICE_ID}`,
        status: reached ? 'sent' : 'no-credit',
        templateId: 'TMPL_BILL_ISSUED',
        data: null,
        errCode: null,
        errMsg: reached ? '' : '用户没有可用的订阅次数',
        createdAt: pushedAt,
        sentAt: reached ? pushedAt : null,
        attempts: 1,
      });
    }
  }
  store.insert('notice_deliveries', deliveries);
  store.insert('reminders', reminders);
  store.insert(
    'notice_reads',
    ['o_demo_owner', 'o_demo_paid'].map((openid, i) => ({
      _id: `${NOTICE_ID}:${openid}`,
      noticeId: NOTICE_ID,
      communityId: C,
      openid,
      readAt: at(addDays(publishedOn, i + 1), '19:30'),
    })),
  );

  // ---------------------------------------------------------------- overdue accounts
  const open = bills.filter((b) => outstandingFen(b) > 0 && b.dueDate < today);
  const byRoom = new Map<string, BillDoc[]>();
  for (const b of open) byRoom.set(b.roomId, [...(byRoom.get(b.roomId) ?? []), b]);
  for (const b of open) {
    const days = overdueDaysOn(b.dueDate, today);
    store.update(
      'bills',
      { _id: b._id },
      {
        $set: {
          overdue: true,
          overdueDays: days,
          agingBucket: agingBucket(days),
          overdueAsOf: today,
        },
      },
      { multi: false, replace: false, upsert: false },
    );
  }
  const PLAN_ROOM = 'r_2_1_302';
  const PROMISE_ROOM = 'r_1_2_201';
  const cases: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const tasks: Record<string, unknown>[] = [];
  const letters: Record<string, unknown>[] = [];
  let n = 0;
  for (const [roomId, list] of [...byRoom.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const room = rooms.get(roomId)!;
    const oldest = [...list].sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0]!;
    const days = overdueDaysOn(oldest.dueDate, today);
    const openids = bound.get(roomId) ?? [];
    const arrears = list.reduce((s, b) => s + outstandingFen(b), 0);
    const stages = DEFAULT_SETTINGS.escalation.filter((s) => s.day <= days);
    const done: { stage: string; at: Date; day: string }[] = [];
    for (const s of stages) {
      const day = addDays(oldest.dueDate, s.day);
      const actions: string[] = [];
      if (s.stage !== 'home-visit') {
        if (openids.length === 0) actions.push('业主未绑定小程序，已列入电话联系');
        else actions.push('微信消息未送达（无订阅次数），已列入电话联系');
      }
      const letterNo = letterNumber(day, label(room));
      if (s.stage === 'formal-notice') actions.push(`已生成催缴函 ${letterNo}，待送达`);
      if (s.stage === 'home-visit') actions.push('已生成上门拜访任务');
      events.push({
        _id: stableId('ev', roomId, s.stage, oldest._id),
        communityId: C,
        roomId,
        kind: 'stage',
        stage: s.stage,
        title: STAGE_LABELS[s.stage],
        detail: `逾期 ${s.day} 天，欠费 ${formatYuan(arrears)}（${list.length} 笔）。${actions.join('；')}`,
        channel: null,
        reason: null,
        notes: '',
        nextStep: '',
        ownerResponse: '',
        by: 'system',
        byName: '系统',
        at: at(day),
      });
      done.push({ stage: s.stage, at: at(day), day });
      if (s.stage === 'formal-notice') {
        const delivered = n % 2 === 0;
        letters.push({
          _id: stableId('letter', roomId, oldest._id),
          communityId: C,
          roomId,
          letterNo,
          billIds: list.map((b) => b._id),
          issuedOn: day,
          payBy: addDays(day, 15),
          createdAt: at(day),
          deliveredAt: delivered ? at(addDays(day, 2), '15:00') : null,
          delivery: delivered
            ? {
                method: 'posted',
                receivedBy: '',
                note: '投递信箱',
                by: opts.service,
                byName: opts.serviceName,
              }
            : null,
        });
        if (delivered) {
          events.push({
            _id: stableId('ev', roomId, 'letter-delivered', String(letters.at(-1)!._id)),
            communityId: C,
            roomId,
            kind: 'letter-delivered',
            stage: 'formal-notice',
            title: '催缴函已送达（张贴/投递）',
            detail: `函件编号 ${letterNo}`,
            channel: 'letter',
            reason: null,
            notes: '投递信箱',
            nextStep: '',
            ownerResponse: '',
            by: opts.service,
            byName: opts.serviceName,
            at: at(addDays(day, 2), '15:00'),
          });
        }
        tasks.push(
          task(
            roomId,
            'letter',
            'formal-notice',
            `formal-notice:${oldest._id}`,
            delivered,
            at(day),
          ),
        );
      }
      if (s.stage === 'home-visit')
        tasks.push(task(roomId, 'visit', 'home-visit', `home-visit:${oldest._id}`, false, at(day)));
    }
    if (openids.length === 0 && stages.length > 0)
      tasks.push(task(roomId, 'call', 'not-bound', NOTICE_ID, false, pushedAt));
    n++;
    cases.push({
      _id: `case_${roomId}`,
      communityId: C,
      roomId,
      roomLabel: label(room),
      stage: done.at(-1)?.stage ?? null,
      stageAt: done.at(-1)?.at ?? null,
      stagesDone: done,
      billIds: list.map((b) => b._id),
      oldestDueDate: oldest.dueDate,
      updatedAt: now,
    });
    if (roomId === PLAN_ROOM) {
      const planId = 'plan_demo_302';
      const acceptedOn = addDays(today, -5);
      store.insert('installment_plans', [
        {
          _id: planId,
          communityId: C,
          roomId,
          roomLabel: label(room),
          status: 'active',
          arrearsFen: arrears,
          billIds: list.map((b) => b._id),
          paidAtStartFen: list.reduce((s, b) => s + b.paidFen, 0),
          installments: splitInstallments(arrears, 3, addDays(today, 10)),
          note: '业主近期失业，收入减少，申请分三期缴纳',
          proposedBy: opts.service,
          proposedByName: opts.serviceName,
          approvedBy: opts.admin,
          approvedByName: opts.adminName,
          decisionNote: '',
          acceptedBy: 'o_demo_owner',
          acceptedAt: at(acceptedOn, '20:10'),
          createdAt: at(addDays(acceptedOn, -2), '10:30'),
        },
      ]);
      store.insert('bill_holds', [
        {
          _id: holdId('installment', planId, roomId),
          communityId: C,
          roomId,
          billIds: list.map((b) => b._id),
          reason: 'installment',
          refId: planId,
          from: acceptedOn,
          to: null,
          active: true,
          note: '分期 3 期',
          createdBy: 'o_demo_owner',
          createdAt: at(acceptedOn, '20:10'),
        },
      ]);
      events.push(
        contact(
          roomId,
          'call',
          'hardship',
          '业主近期失业，愿意分期缴清',
          '提出分三期方案',
          '希望分期',
          at(addDays(acceptedOn, -2), '10:00'),
        ),
        {
          ...contact(roomId, 'wechat', null, '', '按期提醒', '同意分期', at(acceptedOn, '20:10')),
          _id: stableId('ev', roomId, 'plan-accepted', planId),
          kind: 'plan',
          title: '业主确认分期方案',
          detail: `分 3 期缴纳 ${formatYuan(arrears)}，期间暂停催缴和滞纳金`,
          by: 'o_demo_owner',
          byName: '业主',
        },
      );
    }
    if (roomId === PROMISE_ROOM) {
      const promised = addDays(today, 7);
      const ev = contact(
        roomId,
        'call',
        'hardship',
        '老人独居，子女在外地，下周回来统一办理',
        '子女回来后协助到前台缴费',
        `承诺 ${promised} 前缴清`,
        at(addDays(today, -1), '15:20'),
      );
      events.push({
        ...ev,
        detail: `业主承诺于 ${promised} 前缴费，期间暂缓催缴`,
        promiseDate: promised,
      });
      store.insert('bill_holds', [
        {
          _id: holdId('promise', String(ev._id), roomId),
          communityId: C,
          roomId,
          billIds: [],
          reason: 'promise',
          refId: ev._id,
          from: addDays(today, -1),
          to: promised,
          active: true,
          note: '子女回来后缴清',
          createdBy: opts.service,
          createdAt: at(addDays(today, -1), '15:20'),
        },
      ]);
    }
    if (roomId === 'r_1_1_1501') {
      events.push(
        contact(
          roomId,
          'call',
          'misunderstanding',
          '业主以为物业费已从银行代扣，已解释本小区未开通代扣',
          '提醒业主在小程序缴费',
          '本周内处理',
          at(addDays(today, -3), '11:00'),
        ),
      );
    }
  }
  store.insert('collection_cases', cases);
  store.insert('collection_events', events);
  store.insert('collection_letters', letters);
  store.insert('collection_tasks', tasks);

  function task(
    roomId: string,
    kind: string,
    source: string,
    ref: string,
    done: boolean,
    createdAt: Date,
  ) {
    return {
      _id: stableId('task', roomId, kind, ref),
      communityId: C,
      roomId,
      kind,
      source,
      refs: [ref],
      status: done ? 'done' : 'open',
      assignedTo: kind === 'visit' ? opts.service : null,
      assignedName: kind === 'visit' ? opts.serviceName : '',
      outcome: done ? '已送达：张贴/投递' : '',
      createdAt,
    };
  }

  function contact(
    roomId: string,
    channel: string,
    reason: string | null,
    notes: string,
    nextStep: string,
    ownerResponse: string,
    when: Date,
  ) {
    return {
      _id: stableId('ev', roomId, 'contact', opts.service, when.toISOString()),
      communityId: C,
      roomId,
      kind: 'contact',
      stage: null,
      title: `${channel === 'call' ? '电话' : '微信'}联系${reason ? `：${{ hardship: '经济困难', misunderstanding: '对收费有误解' }[reason] ?? ''}` : ''}`,
      detail: '',
      channel,
      reason,
      notes,
      nextStep,
      ownerResponse,
      by: opts.service,
      byName: opts.serviceName,
      at: when,
      promiseDate: null,
    };
  }
}
