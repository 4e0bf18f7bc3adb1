/** A deposit's 押金收据 or red receipt as a PDF (charge.depositReceipt), opened in WeChat's viewer. */
import { call, messageOf } from './cloud';
import { openCloudPdf } from './document';
import { notice } from './ui';

export async function openDepositReceipt(
  depositId: string,
  which: 'collect' | 'release',
): Promise<void> {
  try {
    const file = await call(
      'charge',
      'depositReceipt',
      { depositId, which },
      { loading: '正在生成收据' },
    );
    await openCloudPdf(file);
  } catch (err) {
    notice('收据未能打开', messageOf(err));
  }
}
