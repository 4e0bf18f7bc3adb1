import type { BillSummary } from '../../miniprogram/domain/fee/bill';
import type {
  CreatedOrder,
  ReceiptSummary,
  ReceiptView,
  RequestPaymentParams,
} from '../../miniprogram/domain/payment/contract';
import type { OwnerBills, OwnerHome } from '../../miniprogram/domain/owner/contract';
import type { RoomListItem } from '../../miniprogram/domain/community/contract';
import type { WhoAmI } from '../../miniprogram/domain/account/contract';
import type { StaffRole } from '../../miniprogram/domain/community/vocabulary';
/** Realistic replies of the owner and account functions, as the demo community would give. */

export const OWNER: WhoAmI = {
  openid: 'o_demo_owner',
  appid: 'wxlocal',
  roles: [],
  staffOf: [],
  isStaff: false,
};

/** Staff of the demo community with these roles (openid o_demo_<first role>). */
export function staffOfCuihu(...roles: StaffRole[]): WhoAmI {
  return {
    openid: `o_demo_${roles[0]}`,
    appid: 'wxlocal',
    roles,
    staffOf: [{ communityId: 'c_cuihu', roles }],
    isStaff: true,
  };
}
export const ADMIN = staffOfCuihu('admin');
export const CASHIER = staffOfCuihu('cashier');
export const SERVICE = staffOfCuihu('service');
export const FINANCE = staffOfCuihu('finance');

const CONTACT = {
  communityId: 'c_cuihu',
  name: '翠湖花园',
  servicePhone: '0571-8888 6666',
  serviceHours: '每日 8:30–18:00',
  frontDesk: '3 栋一楼物业服务中心',
};

export const HOME_ARREARS: OwnerHome = {
  rooms: [
    {
      roomId: 'r_1_1_1501',
      communityId: 'c_cuihu',
      communityName: '翠湖花园',
      label: '1栋1单元1501',
      buildingArea: '136.88',
      relation: 'owner',
    },
    {
      roomId: 'r_2_1_302',
      communityId: 'c_cuihu',
      communityName: '翠湖花园',
      label: '2栋1单元302',
      buildingArea: '89.47',
      relation: 'owner',
    },
  ],
  billCount: 8,
  dueNowFen: 319152,
  nextDueDate: null,
  overdueCount: 4,
  overdueFen: 319152,
  notices: [
    {
      noticeId: 'n_welcome',
      title: '2026年11月物业费缴费通知',
      publishedAt: '2026-11-26T23:23:07.329Z',
      summary: '本期物业服务费已出账，可在小程序内微信支付。',
    },
    {
      noticeId: 'n_water',
      title: '二次供水水箱清洗通知',
      publishedAt: '2026-11-23T23:23:07.329Z',
      summary: '本周六 9:00–12:00 清洗 1–2 栋水箱。',
    },
  ],
  contacts: [CONTACT],
  meterReading: { from: '2026-11-24', to: '2026-12-07', open: true },
  me: { roles: [] },
};

export const HOME_PAID: OwnerHome = {
  rooms: [
    {
      roomId: 'r_3_2_801',
      communityId: 'c_cuihu',
      communityName: '翠湖花园',
      label: '3栋2单元801',
      buildingArea: '112.53',
      relation: 'owner',
    },
  ],
  billCount: 4,
  dueNowFen: 0,
  nextDueDate: null,
  overdueCount: 0,
  overdueFen: 0,
  notices: [],
  contacts: [CONTACT],
  meterReading: null,
  me: { roles: [] },
};

export const HOME_NO_ROOMS: OwnerHome = { ...HOME_PAID, rooms: [], contacts: [] };

/** The third month of a quarter starting at `period` (YYYY-MM). */
export function quarterEnd(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const end = y * 12 + (m - 1) + 2;
  return `${Math.floor(end / 12)}-${String((end % 12) + 1).padStart(2, '0')}`;
}

function bill(p: Partial<BillSummary> & Pick<BillSummary, 'billId' | 'period'>): BillSummary {
  return {
    roomId: 'r_1_1_1501',
    roomLabel: '1栋1单元1501',
    title: '物业服务费（季度）',
    coverFrom: p.period,
    coverTo: quarterEnd(p.period),
    amountDueFen: 96500,
    lateFeeFen: 0,
    paidFen: 0,
    outstandingFen: 96500,
    dueDate: `${p.period}-15`,
    status: 'unpaid',
    overdueDays: 0,
    ...p,
  };
}

export const BILLS: OwnerBills = {
  unpaid: [
    bill({ billId: 'b1', period: '2026-06', overdueDays: 165 }),
    bill({
      billId: 'b2',
      period: '2026-06',
      roomId: 'r_2_1_302',
      roomLabel: '2栋1单元302',
      amountDueFen: 63076,
      outstandingFen: 63076,
      overdueDays: 165,
    }),
    bill({
      billId: 'b3',
      period: '2026-09',
      dueDate: '2026-12-15',
      amountDueFen: 96500,
      outstandingFen: 46500,
      paidFen: 50000,
      status: 'partial',
    }),
  ],
  paid: [
    bill({ billId: 'b4', period: '2026-03', paidFen: 96500, outstandingFen: 0, status: 'paid' }),
    bill({ billId: 'b5', period: '2025-12', paidFen: 96500, outstandingFen: 0, status: 'paid' }),
  ],
  rooms: HOME_ARREARS.rooms,
};

// ---------------------------------------------------------------- payments and receipts

export const PAYMENT_PARAMS: RequestPaymentParams = {
  timeStamp: '1796000000',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx_sandbox_1',
  signType: 'RSA',
  paySign: 'sig',
};

/** What payment.createOrder answers for `billIds` (the amount is the server's). */
export function createdOrder(billIds: string[], amountFen: number): CreatedOrder {
  return {
    outTradeNo: 'PF0123456789abcdef',
    amountFen,
    billIds,
    payment: PAYMENT_PARAMS,
    reused: false,
  };
}

export const RECEIPTS: ReceiptSummary[] = [
  {
    paymentId: 'pay_2',
    receiptNo: 'SJ2026-000780',
    amountFen: 159576,
    channel: 'wechat',
    paidAt: '2026-11-27T06:03:00.000Z',
    roomLabels: ['1栋1单元1501', '2栋1单元302'],
  },
  {
    paymentId: 'pay_1',
    receiptNo: 'SJ2025-000005',
    amountFen: 96500,
    channel: 'cash',
    paidAt: '2025-12-04T02:16:00.000Z',
    roomLabels: ['1栋1单元1501'],
  },
];

export const RECEIPT: ReceiptView = {
  paymentId: 'pay_2',
  receiptNo: 'SJ2026-000780',
  communityName: '翠湖花园',
  payer: '王建国',
  roomLabels: ['1栋1单元1501', '2栋1单元302'],
  channel: 'wechat',
  channelLabel: '微信支付',
  amountFen: 159576,
  amountFigures: '¥1,595.76',
  amountCapital: '壹仟伍佰玖拾伍元柒角陆分',
  allocations: [
    {
      billId: 'b1',
      roomId: 'r_1_1_1501',
      roomLabel: '1栋1单元1501',
      period: '2026-06',
      coverFrom: '2026-06',
      coverTo: quarterEnd('2026-06'),
      title: '物业服务费（季度）',
      amountFen: 96500,
    },
    {
      billId: 'b2',
      roomId: 'r_2_1_302',
      roomLabel: '2栋1单元302',
      period: '2026-06',
      coverFrom: '2026-06',
      coverTo: quarterEnd('2026-06'),
      title: '物业服务费（季度）',
      amountFen: 63076,
    },
  ],
  prepaidFen: 0,
  paidAt: '2026-11-27T06:03:00.000Z',
  cashier: '',
  reversed: false,
};

export const ROOM_201: RoomListItem = {
  roomId: 'r_1_2_201',
  communityId: 'c_cuihu',
  building: '1',
  unit: '2',
  number: '201',
  label: '1栋2单元201',
  floor: 2,
  buildingAreaCentiM2: 13688,
  buildingArea: '136.88',
  innerAreaCentiM2: 10677,
  innerArea: '106.77',
  useType: 'residential',
  occupancy: 'occupied',
  moveInDate: '2026-01-15',
  owner: { ownerId: 'p_1_2_201', name: '张**', mobile: '138****0201', specialCare: true },
  specialCare: true,
  verifiedBindings: 1,
};
