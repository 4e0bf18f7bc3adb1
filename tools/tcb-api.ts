/**
 * A minimal client for Tencent Cloud's CloudBase management API (`tcb.tencentcloudapi.com`,
 * version 2018-06-08), which is where security rules are read and written: DescribeSafeRule /
 * ModifySafeRule (a collection's rule), DescribeStorageSafeRule / ModifyStorageSafeRule (the
 * bucket's rule) and DescribeEnvs (to find the bucket). Requests are signed with TC3-HMAC-SHA256
 * using a Tencent Cloud API key (SecretId/SecretKey of the account that owns the environment).
 *
 * The local cloud answers the same actions (tools/cloud/tcbapi.ts) so deploy's rule step is
 * tested end to end.
 */
import crypto from 'node:crypto';

export const TCB_VERSION = '2018-06-08';
export const TCB_SERVICE = 'tcb';

export interface TcbTarget {
  /** https://tcb.tencentcloudapi.com, or the local cloud in tests */
  apiBase: string;
  secretId: string;
  secretKey: string;
  envId: string;
  /** the mini-program's appid (DescribeSafeRule wants it for WeChat environments) */
  wxAppId?: string;
}

export class TcbApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

function sha256Hex(data: string): string {
  return crypto.createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return crypto.createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The TC3-HMAC-SHA256 signature of a JSON POST to `/` (Tencent Cloud API 3.0). */
export function tc3Signature(o: {
  secretKey: string;
  host: string;
  action: string;
  payload: string;
  timestamp: number;
  service?: string;
}): { signature: string; scope: string; signedHeaders: string } {
  const service = o.service ?? TCB_SERVICE;
  const date = new Date(o.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:application/json; charset=utf-8\nhost:${o.host}\nx-tc-action:${o.action.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(o.payload),
  ].join('\n');
  const scope = `${date}/${service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(o.timestamp), scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${o.secretKey}`, date), service), 'tc3_request');
  return { signature: hmac(key, toSign).toString('hex'), scope, signedHeaders };
}

export async function tcbCall<T extends Record<string, unknown>>(
  t: TcbTarget,
  action: string,
  params: Record<string, unknown>,
): Promise<T> {
  const url = new URL(t.apiBase);
  const payload = JSON.stringify(params);
  const timestamp = Math.floor(Date.now() / 1000);
  const { signature, scope, signedHeaders } = tc3Signature({
    secretKey: t.secretKey,
    host: url.host,
    action,
    payload,
    timestamp,
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `TC3-HMAC-SHA256 Credential=${t.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      'content-type': 'application/json; charset=utf-8',
      'x-tc-action': action,
      'x-tc-timestamp': String(timestamp),
      'x-tc-version': TCB_VERSION,
    },
    body: payload,
  });
  if (!res.ok) throw new TcbApiError(`HTTP${res.status}`, `${action} answered HTTP ${res.status}`);
  const body = (await res.json()) as {
    Response?: T & { Error?: { Code: string; Message: string } };
  };
  const r = body.Response;
  if (!r) throw new TcbApiError('InvalidResponse', `${action}: no Response in the answer`);
  if (r.Error) throw new TcbApiError(r.Error.Code, `${action}: ${r.Error.Message}`);
  return r;
}
