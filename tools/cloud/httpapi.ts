/**
 * The part of WeChat's server HTTPS API (api.weixin.qq.com) that deployment uses, on the local
 * cloud: an access token for the appid + AppSecret (`/cgi-bin/stable_token`), listing and adding
 * database collections (`/tcb/databasecollectionget`, `/tcb/databasecollectionadd`) and creating
 * indexes (`/tcb/updateindex`). `npm run deploy -- --database` talks to the real endpoints the
 * same way; here it lets tests run that code end to end.
 *
 * Replies follow the documented shapes: `{ errcode, errmsg, ... }` with errcode 0 on success,
 * 40013 (bad appid), 40125 (bad secret), 40014 (bad token), 40097 (bad parameter).
 */
import crypto from 'node:crypto';
import type { Store } from './store';

export const LOCAL_APP_SECRET = 'local-dev-app-secret';

type Reply = Record<string, unknown> & { errcode: number; errmsg: string };

const ok = (extra: Record<string, unknown> = {}): Reply => ({ errcode: 0, errmsg: 'ok', ...extra });
const fail = (errcode: number, errmsg: string): Reply => ({ errcode, errmsg });

export class WxHttpApi {
  private tokens = new Map<string, number>();

  constructor(
    private readonly o: { store: Store; appid: string; env: string; now: () => number },
  ) {}

  handle(pathname: string, query: URLSearchParams, body: Record<string, unknown>): Reply {
    if (pathname === '/cgi-bin/stable_token') return this.token(body);
    if (!pathname.startsWith('/tcb/')) return fail(40097, `no such API: ${pathname}`);
    const token = query.get('access_token') ?? '';
    const exp = this.tokens.get(token);
    if (exp === undefined || exp < this.o.now())
      return fail(40014, 'invalid access_token (expired or not issued for this appid)');
    if (body.env !== this.o.env) return fail(40097, `invalid env: ${String(body.env)}`);
    switch (pathname) {
      case '/tcb/databasecollectionget':
        return this.list(body);
      case '/tcb/databasecollectionadd':
        return this.add(body);
      case '/tcb/updateindex':
        return this.updateIndex(body);
      default:
        return fail(40097, `no such API: ${pathname}`);
    }
  }

  private token(body: Record<string, unknown>): Reply {
    if (body.grant_type !== 'client_credential')
      return fail(40002, 'grant_type must be client_credential');
    if (body.appid !== this.o.appid) return fail(40013, `invalid appid: ${String(body.appid)}`);
    if (body.secret !== LOCAL_APP_SECRET) return fail(40125, 'invalid appsecret');
    const token = crypto.randomBytes(24).toString('hex');
    this.tokens.set(token, this.o.now() + 7200_000);
    return { access_token: token, expires_in: 7200, errcode: 0, errmsg: 'ok' };
  }

  private list(body: Record<string, unknown>): Reply {
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return fail(40097, 'limit must be 1–100');
    const all = this.o.store.listCollections();
    return ok({
      collections: all.slice(offset, offset + limit).map((c) => ({
        name: c.name,
        count: c.count,
        index_count: c.indexes.length + 1,
      })),
      pager: { Offset: offset, Limit: limit, Total: all.length },
    });
  }

  private add(body: Record<string, unknown>): Reply {
    const name = body.collection_name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name))
      return fail(40097, `invalid collection_name: ${String(name)}`);
    if (this.o.store.hasCollection(name)) return fail(-502002, `collection exists: ${name}`);
    this.o.store.createCollection(name);
    return ok();
  }

  private updateIndex(body: Record<string, unknown>): Reply {
    const name = body.collection_name;
    if (typeof name !== 'string' || !this.o.store.hasCollection(name))
      return fail(-502005, `collection not exists: ${String(name)}`);
    const create = body.create_indexes;
    if (!Array.isArray(create)) return fail(40097, 'create_indexes must be an array');
    for (const raw of create as Record<string, unknown>[]) {
      const keys = raw.keys as { name?: unknown; direction?: unknown }[] | undefined;
      if (
        typeof raw.name !== 'string' ||
        typeof raw.unique !== 'boolean' ||
        !Array.isArray(keys) ||
        keys.length === 0 ||
        keys.some((k) => typeof k.name !== 'string' || !['1', '-1'].includes(String(k.direction)))
      )
        return fail(40097, `invalid index definition: ${JSON.stringify(raw)}`);
      try {
        this.o.store.createIndex(name, {
          name: raw.name,
          keys: keys.map((k) => String(k.name)),
          ...(raw.unique ? { unique: true } : {}),
        });
      } catch (e) {
        return fail(-1, (e as Error).message);
      }
    }
    return ok();
  }
}
