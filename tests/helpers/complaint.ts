/**
 * The complaint function for its tests: calls as a user, the dev clock set to a Shanghai
 * wall-clock time, a ticket filed with sensible defaults, and the bill holds in place.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import type { FiledTicket } from '../../miniprogram/domain/complaint/contract';
import type { HoldDoc } from '../../cloudfunctions/_shared/holds';
import { caller } from './calls';
import { useTestCloud } from './cloud';

/**
 * The dev clock keeps running after it is set, and on a loaded machine a call can take many
 * seconds: instants match to within a minute. Every deadline here differs from its neighbours by
 * half an hour or more, so a wrong one still fails.
 */
export function sameInstant(actual: string | null, expected: string): void {
  expect(Math.abs(Date.parse(actual ?? '') - Date.parse(expected))).toBeLessThan(60_000);
}

/** The demo cloud for each test, with the complaint function's helpers on it. */
export function useComplaintCloud() {
  const cloud = useTestCloud({ seed: 'demo' });
  return { cloud, ...complaintTools(cloud) };
}

function complaintTools(cloud: LocalCloud) {
  const { raw, call } = caller(cloud, 'complaint');
  let reqSeq = 0;
  return {
    raw: (event: Record<string, unknown>, openid: string) => raw(event, openid),
    call: <T>(event: Record<string, unknown>, openid: string) => call<T>(event, openid),
    /** Shanghai wall-clock time → the dev clock. */
    async at(local: string): Promise<void> {
      await cloud.setClock(Date.parse(`${local}+08:00`), { fireTimers: false });
    },
    /** Files a service complaint (a fresh request id each time), with `fields` on top. */
    fileTicket(openid: string, fields: Record<string, unknown>): Promise<FiledTicket> {
      reqSeq++;
      return call<FiledTicket>(
        {
          action: 'file',
          requestId: `req-test-${reqSeq}-${openid}`,
          kind: 'complaint',
          category: 'service',
          description: '楼道灯坏了很多天没人修',
          ...fields,
        },
        openid,
      );
    },
    holds: () => cloud.store.find('bill_holds', {}) as unknown as HoldDoc[],
  };
}
