/**
 * The screenshots issue 18 asks for (`npm run screenshots -- room letter receipt home`): the room
 * ledger the desk works from, the 催缴函 as a phone shows it, the home page of an owner with
 * overdue bills, a quarterly receipt (paid online and taken at the desk), the cashier ticking
 * bills, a room whose occupancy ends, and an owner whose new room has no bill yet. tools/shots/plan.ts
 * lists them with the others.
 */
import type { Page } from 'playwright-core';
import { onScreen, tapText, type Shot } from './shot';

/** Scrolls the shown page until `selector` is in view (the shot is one phone screen). */
function scrollTo(selector: string): (page: Page) => Promise<void> {
  return async (page) => {
    await onScreen(page).locator(selector).first().scrollIntoViewIfNeeded();
  };
}

export function deskShots(ids: { ownerWechatPayment: string; paidCashPayment: string }): Shot[] {
  return [
    // 房屋账户: the desk's view of a room with arrears, then its payments and follow-up
    {
      who: 'staff-cashier',
      user: 'o_demo_cashier',
      path: 'admin/room/index',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      name: 'admin-room-index-ledger',
    },
    {
      who: 'staff-cashier',
      user: 'o_demo_cashier',
      path: 'admin/room/index',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      then: '缴费与收据',
      name: 'admin-room-index-payments',
    },
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/room/index',
      via: 'relaunch',
      query: 'roomId=r_1_2_201',
      then: '跟进与住户',
      name: 'admin-room-index-follow',
    },
    // a room sold: its occupancy ends, billing stops after that day
    {
      who: 'staff',
      user: 'o_demo_admin',
      path: 'admin/room/index',
      via: 'relaunch',
      query: 'roomId=r_4_2_1802',
      name: 'admin-room-index-occupancy-end',
    },
    // the cashier ticks the bills being paid; the amount fills in
    {
      who: 'staff-cashier',
      user: 'o_demo_cashier',
      path: 'admin/collect/index',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      name: 'admin-collect-index-ticked',
      act: (page) => tapText(page, '全选'),
    },
    // the 催缴函 on a phone: the heading and its table as cards, then the end (deadline, A4 PDF)
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/collection/letter',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      name: 'admin-collection-letter-phone',
    },
    {
      who: 'staff-service',
      user: 'o_demo_service',
      path: 'admin/collection/letter',
      via: 'relaunch',
      query: 'roomId=r_1_1_1501',
      name: 'admin-collection-letter-phone-end',
      act: scrollTo('[class*="print-row"]'),
    },
    // an owner with overdue bills: 已逾期 with the count, never a past "next" date
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/home/index',
      name: 'pages-home-index-overdue',
    },
    // quarterly receipts: the months covered, the payer, the channel; the desk one names its cashier
    {
      who: 'owner',
      user: 'o_demo_owner',
      path: 'pages/receipt/index',
      query: `paymentId=${ids.ownerWechatPayment}`,
      name: 'pages-receipt-index-quarterly',
    },
    {
      who: 'owner-paid',
      user: 'o_demo_paid',
      path: 'pages/receipt/index',
      query: `paymentId=${ids.paidCashPayment}`,
      name: 'pages-receipt-index-quarterly-desk',
    },
    // a room handed over days ago: no bill yet (not "paid everything")
    { who: 'owner-movein', user: 'o_demo_movein', path: 'pages/home/index' },
    { who: 'owner-movein', user: 'o_demo_movein', path: 'pages/bills/index' },
  ];
}
