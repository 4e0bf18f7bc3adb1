/**
 * Helpers for the community, binding and staff function tests: typed calls, uploads through the
 * real SDK, and a second community (临湖苑) set up the way a new deployment would be.
 */
import type { LocalCloud } from '../../tools/cloud/server';
import { LOCAL_BOOTSTRAP_CODE } from '../../tools/seed/community';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import { callsTo } from '../helpers/calls';
import { sdkFor, type WxCloud } from '../helpers/cloud';

export const LAKE = 'c_lake';

/** A full mainland mobile number standing alone (not inside a hex id or a masked value). */
export const MOBILE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/;
/** A full 18-character ID number standing alone. */
export const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/;
export const LAKE_ADMIN = 'o_lake_admin';

/** The data of a successful reply, or a thrown error naming the failure. */
export function ok<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${reply.code}: ${reply.message}`);
  return reply.data;
}

let sdk: WxCloud | null = null;
function sdkOf(cloud: LocalCloud): WxCloud {
  sdk ??= sdkFor(cloud);
  return sdk;
}

export async function upload(cloud: LocalCloud, cloudPath: string, bytes: Buffer): Promise<string> {
  const res = await sdkOf(cloud).uploadFile({ cloudPath, fileContent: bytes });
  return res.fileID;
}

/** Document counts of every collection: "nothing was written" is these staying equal. */
export function counts(cloud: LocalCloud): Record<string, number> {
  return Object.fromEntries(cloud.store.listCollections().map((c) => [c.name, c.count]));
}

/** 临湖苑: bootstrapped by its first admin, with buildings 1 and 2 (units 1 and 2). */
export async function setupLakeside(cloud: LocalCloud): Promise<void> {
  const call = callsTo(cloud);
  ok(
    await call.staff(
      {
        action: 'bootstrap',
        code: LOCAL_BOOTSTRAP_CODE,
        communityId: LAKE,
        communityName: '临湖苑',
      },
      LAKE_ADMIN,
    ),
  );
  for (const code of ['1', '2']) {
    ok(
      await call.community(
        { action: 'saveBuilding', communityId: LAKE, code, units: ['1', '2'], floors: 18 },
        LAKE_ADMIN,
      ),
    );
  }
}
