/**
 * A deposit's receipt as a PDF (docs/charges.md): the 押金收据 of its collection or the red
 * receipt of its release, rendered by the `print` function like the payments' receipts. Staff of
 * the community and the room's verified people may print it; the page gets a half-hour link.
 */
import {
  depositPrintable,
  depositReceiptDoc,
} from '../../../../miniprogram/domain/charge/receipt-print';
import type { chargeContracts } from '../../../../miniprogram/domain/charge/contract';
import { maskName } from '../../../../miniprogram/domain/community/mask';
import { myRoomIds } from '../../../_shared/bindings';
import type { DepositEntryDoc } from '../../../_shared/ledger';
import { findById } from '../../../_shared/paging';
import { printToCloud } from '../../../_shared/print-file';
import { getCommunity } from '../../../_shared/records';
import {
  ANY_STAFF,
  hasRole,
  rolesIn,
  staffRoleId,
  type StaffRoleDoc,
} from '../../../_shared/roles';
import { AppError, requireOpenid, type Handlers } from '../../../_shared/router';
import { depositDoc, oneDepositView } from '../repo/records';

export const depositReceipt: Handlers<typeof chargeContracts>['depositReceipt'] = async (
  input,
  ctx,
) => {
  const openid = requireOpenid(ctx);
  const dep = await depositDoc(ctx, input.depositId);
  const staff = hasRole((await rolesIn(ctx, dep.communityId, openid)).roles, ANY_STAFF);
  if (!staff && !(await myRoomIds(ctx)).includes(dep.roomId))
    throw new AppError('NOT_FOUND', 'depositId: 未找到该押金');
  const entryId = `${input.which === 'collect' ? 'dc' : 'dr'}_${dep._id}`;
  const entry = await findById<DepositEntryDoc>(ctx, 'deposit_entries', entryId);
  if (!entry)
    throw new AppError(
      'PRECONDITION_FAILED',
      input.which === 'collect'
        ? '该押金尚未收取，还没有押金收据'
        : '该押金尚未退还，还没有红字收据',
    );
  const cashier =
    entry.channel === 'wechat' && input.which === 'collect'
      ? ''
      : ((await findById<StaffRoleDoc>(ctx, 'staff_roles', staffRoleId(dep.communityId, entry.by)))
          ?.name ?? '物业服务中心');
  const printable = depositPrintable({
    deposit: await oneDepositView(ctx, dep._id),
    which: input.which,
    payer: entry.payerName ? maskName(entry.payerName) : `${dep.roomLabel} 业主`,
    cashier,
    ...(entry.reference ? { reference: entry.reference } : {}),
  })!;
  const comm = await getCommunity(ctx, dep.communityId);
  const doc = depositReceiptDoc(printable, {
    communityName: comm.name,
    ...(comm.servicePhone ? { servicePhone: comm.servicePhone } : {}),
    printedAt: ctx.now(),
  });
  const { printed } = await printToCloud(
    doc,
    { communityId: dep.communityId, name: `deposit-${printable.receiptNo}.pdf` },
    ctx.now(),
  );
  return printed;
};
