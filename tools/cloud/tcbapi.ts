/**
 * The part of Tencent Cloud's CloudBase management API (tcb.tencentcloudapi.com) that deploy uses
 * for security rules, on the local cloud: DescribeEnvs, DescribeSafeRule / ModifySafeRule and
 * DescribeStorageSafeRule / ModifyStorageSafeRule, TC3-signed with the local key pair below.
 * Modifying a rule here changes what the local cloud enforces, as it does on CloudBase, so a test
 * can start from a drifted environment, run deploy's rule step and then prove the result with
 * client requests. Answers follow the API 3.0 shape: `{ Response: { …, RequestId } }` or
 * `{ Response: { Error: { Code, Message }, RequestId } }`.
 */
import crypto from 'node:crypto';
import {
  checkDatabaseRules,
  checkStorageRules,
  ACL_TAGS,
  type AclTag,
  type LiveRules,
} from './rules';
import { tc3Signature } from '../tcb-api';
import type { Store } from './store';

export const LOCAL_TC_SECRET_ID = 'AKIDlocaldevsecretid';
export const LOCAL_TC_SECRET_KEY = 'local-dev-tc-secret-key';

type Reply = { Response: Record<string, unknown> };

function error(code: string, message: string): Reply {
  return { Response: { Error: { Code: code, Message: message }, RequestId: crypto.randomUUID() } };
}

function ok(data: Record<string, unknown> = {}): Reply {
  return { Response: { ...data, RequestId: crypto.randomUUID() } };
}

export class TcbManagementApi {
  constructor(
    private readonly o: { env: string; bucket: string; store: Store; rules: LiveRules },
  ) {}

  handle(headers: Record<string, string | string[] | undefined>, payload: string): Reply {
    const h = (k: string) => String(headers[k] ?? '');
    const action = h('x-tc-action');
    const auth =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
        h('authorization'),
      );
    const timestamp = Number(h('x-tc-timestamp'));
    if (!auth) return error('AuthFailure.SignatureFailure', 'missing or malformed Authorization');
    if (auth[1] !== LOCAL_TC_SECRET_ID)
      return error('AuthFailure.SecretIdNotFound', 'unknown SecretId');
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300)
      return error(
        'AuthFailure.SignatureExpire',
        'the request timestamp is more than 5 minutes off',
      );
    const want = tc3Signature({
      secretKey: LOCAL_TC_SECRET_KEY,
      host: h('host'),
      action,
      payload,
      timestamp,
    });
    if (want.signature !== auth[4] || want.scope !== auth[2])
      return error('AuthFailure.SignatureFailure', 'the signature does not match');
    if (h('x-tc-version') !== '2018-06-08')
      return error('InvalidParameter', 'X-TC-Version must be 2018-06-08');
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(payload || '{}') as Record<string, unknown>;
    } catch {
      return error('InvalidParameter', 'the body is not JSON');
    }
    if (action === 'DescribeEnvs') {
      return ok({
        EnvList: [
          { EnvId: this.o.env, Storages: [{ Region: 'ap-shanghai', Bucket: this.o.bucket }] },
        ],
      });
    }
    if (p.EnvId !== this.o.env)
      return error('ResourceNotFound', `no environment ${String(p.EnvId)}`);
    const tag = p.AclTag as AclTag;
    switch (action) {
      case 'DescribeSafeRule': {
        const name = this.collection(p);
        if (!name)
          return error('ResourceNotFound', `collection not exists: ${String(p.CollectionName)}`);
        const live = this.o.rules.describeCollection(name);
        return ok({ AclTag: live.tag, Rule: live.rule ? JSON.stringify(live.rule) : null });
      }
      case 'ModifySafeRule': {
        const name = this.collection(p);
        if (!name)
          return error('ResourceNotFound', `collection not exists: ${String(p.CollectionName)}`);
        if (!ACL_TAGS.includes(tag)) return error('InvalidParameter', `AclTag ${String(tag)}`);
        if (tag !== 'CUSTOM') {
          this.o.rules.setCollection(name, tag);
          return ok();
        }
        const rule = this.parse(p.Rule);
        const problems =
          rule === undefined ? ['Rule is not JSON'] : checkDatabaseRules({ [name]: rule }, [name]);
        if (problems.length) return error('InvalidParameter.Rule', problems.join('; '));
        this.o.rules.setCollection(name, tag, rule as Record<string, string | boolean>);
        return ok();
      }
      case 'DescribeStorageSafeRule': {
        if (p.Bucket !== this.o.bucket)
          return error('ResourceNotFound', `no bucket ${String(p.Bucket)}`);
        const live = this.o.rules.describeStorage();
        return ok({ AclTag: live.tag, Rule: live.rule ? JSON.stringify(live.rule) : null });
      }
      case 'ModifyStorageSafeRule': {
        if (p.Bucket !== this.o.bucket)
          return error('ResourceNotFound', `no bucket ${String(p.Bucket)}`);
        if (!ACL_TAGS.includes(tag)) return error('InvalidParameter', `AclTag ${String(tag)}`);
        if (tag !== 'CUSTOM') {
          this.o.rules.setStorage(tag);
          return ok();
        }
        const rule = this.parse(p.Rule);
        const problems = rule === undefined ? ['Rule is not JSON'] : checkStorageRules(rule);
        if (problems.length) return error('InvalidParameter.Rule', problems.join('; '));
        this.o.rules.setStorage(tag, rule as Record<string, string | boolean>);
        return ok();
      }
      default:
        return error('InvalidAction', `the local cloud does not implement ${action}`);
    }
  }

  private collection(p: Record<string, unknown>): string | null {
    const name = p.CollectionName;
    return typeof name === 'string' && this.o.store.hasCollection(name) ? name : null;
  }

  private parse(rule: unknown): unknown {
    try {
      return typeof rule === 'string' ? (JSON.parse(rule) as unknown) : undefined;
    } catch {
      return undefined;
    }
  }
}
