/**
 * `POST /admin`: the CloudBase server API as the unmodified `wx-server-sdk` speaks it (pointed
 * here by `TCB_CONTEXT_CNFG`). JSON actions with EJSON-encoded Mongo queries for the database,
 * `functions.invokeFunction`, storage, and the multipart `wx.openApi` / `wx.wxPayApi` calls.
 * Replies are CloudBase's `{ requestId, data }` or `{ requestId, code, message }`.
 */
import type http from 'node:http';
import { EJSON } from 'bson';
import type { AnyObject } from 'mingo/types';
import type { CloudContext } from './context';
import type { DevClock } from './clock';
import { FN_ERR, type FunctionError } from './functions';
import { parseMultipart, readBody, sendJson } from './http';
import { decodeOpenApiRequest, encodeOpenApiResponse } from './openapi-codec';
import { newId, StoreError, toNative } from './store';

/** Decodes an EJSON string from the SDK, resolving `serverDate` against the dev clock. */
function decodeEjson(text: unknown, clock: DevClock): AnyObject {
  if (text === undefined || text === null || text === '') return {};
  if (typeof text !== 'string') throw new StoreError('INVALID_PARAM', 'expected an EJSON string');
  const value = toNative(EJSON.parse(text, { relaxed: true }));
  return resolveServerDates(value, clock.now()) as AnyObject;
}

/**
 * `db.serverDate()` markers as dates: every marker of one request reads the clock once, so two
 * fields of the same write (`at`, `at + 1 min`) are exactly their offset apart, as on the server.
 */
function resolveServerDates(v: unknown, now: number): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Date || v instanceof RegExp) return v;
  if (Array.isArray(v)) return v.map((x) => resolveServerDates(x, now));
  const obj = v as AnyObject;
  if ('$tcb_server_date' in obj) {
    const spec = obj.$tcb_server_date as { offset?: number } | undefined;
    return new Date(now + Number(spec?.offset ?? 0));
  }
  const out: AnyObject = {};
  for (const [k, val] of Object.entries(obj)) out[k] = resolveServerDates(val, now);
  return out;
}

function encodeDoc(doc: unknown): string {
  return EJSON.stringify(doc, { relaxed: false });
}

function hasOperators(obj: AnyObject): boolean {
  return Object.keys(obj).some((k) => k.startsWith('$'));
}

function txnOf(params: Record<string, unknown>): string | undefined {
  return typeof params.transactionId === 'string' && params.transactionId
    ? params.transactionId
    : undefined;
}

export async function handleAdmin(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { store, clock, functions, faults, files: cloudFiles, pay } = ctx;
  const ctype = req.headers['content-type'] ?? '';
  let params: Record<string, unknown>;
  let files: Record<string, { data: Buffer; filename: string }> = {};
  if (ctype.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(req);
    params = parsed.fields;
    files = parsed.files;
  } else {
    const body = await readBody(req);
    params = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
  }
  const action = String(params.action ?? '');
  const token = typeof params.wxCloudApiToken === 'string' ? params.wxCloudApiToken : '';
  const invocation = token ? functions.invocations.get(token) : undefined;
  if (invocation) invocation.requests++;
  ctx.stats.record(action, invocation?.fn);
  // What production would feel: CloudBase answers a database request in ~20–50 ms.
  if (ctx.dbLatencyMs > 0 && action.startsWith('database.'))
    await new Promise((r) => setTimeout(r, ctx.dbLatencyMs));
  const requestId = newId();
  const reply = (data: unknown) => sendJson(res, 200, { requestId, data });
  const fail = (code: string, message: string) => sendJson(res, 200, { requestId, code, message });

  try {
    switch (action) {
      case 'database.addCollection':
        store.createCollection(String(params.collectionName));
        return reply({});
      case 'database.insertDocument': {
        const raw = params.data as string[];
        const docs = raw.map((d) => decodeEjson(d, clock));
        const ids = store.insert(String(params.collectionName), docs, txnOf(params));
        if (faults.crashesAfterWrite(invocation?.fn, String(params.collectionName)))
          return fail('SYS_ERR', 'instance crashed after a write (injected fault)');
        return reply({ insertedIds: ids });
      }
      case 'database.getDocument': {
        const coll = String(params.collectionName);
        const query = decodeEjson(params.query, clock);
        const txnId = txnOf(params);
        if (txnId) {
          const id = query._id;
          if (typeof id !== 'string')
            return fail('INVALID_PARAM', '事务中只支持按 _id 读取单个文档');
          const doc = store.readInTxn(txnId, coll, id);
          return reply({ list: doc ? [encodeDoc(doc)] : [] });
        }
        const limit = params.limit === undefined ? 100 : Math.min(Number(params.limit), 1000);
        if (!Number.isInteger(limit) || limit < 0)
          return fail('INVALID_PARAM', 'limit 必须为 0 到 1000 的整数');
        const docs = store.find(coll, query, {
          sort: params.order ? decodeEjson(params.order, clock) : undefined,
          skip: params.offset === undefined ? 0 : Number(params.offset),
          limit: params.queryType === 'DOC' ? 1 : limit,
          projection: params.projection ? decodeEjson(params.projection, clock) : undefined,
        });
        return reply({ list: docs.map(encodeDoc), offset: Number(params.offset ?? 0), limit });
      }
      case 'database.calculateDocument': {
        const total = store.count(String(params.collectionName), decodeEjson(params.query, clock));
        return reply({ total });
      }
      case 'database.modifyDocument': {
        const coll = String(params.collectionName);
        const query = decodeEjson(params.query, clock);
        const data = decodeEjson(params.data, clock);
        const merge = params.merge !== false;
        const replace = !merge || !hasOperators(data);
        const result = store.update(coll, query, replace && merge ? { $set: data } : data, {
          multi: params.multi === true,
          replace: replace && !merge,
          upsert: params.upsert === true,
          txnId: txnOf(params),
        });
        return reply({ updated: result.updated, upsert_id: result.upsertedId });
      }
      case 'database.updateAndReturn': {
        const doc = store.findOneAndUpdate(
          String(params.collectionName),
          decodeEjson(params.query, clock),
          decodeEjson(params.data, clock),
        );
        return reply({ updated: doc ? 1 : 0, doc: doc ? encodeDoc(doc) : undefined });
      }
      case 'database.removeDocument': {
        const deleted = store.remove(
          String(params.collectionName),
          decodeEjson(params.query, clock),
          {
            multi: params.multi === true,
            txnId: txnOf(params),
          },
        );
        return reply({ deleted });
      }
      case 'database.aggregateDocuments': {
        const stages = (params.stages as { stageKey: string; stageValue: string }[]).map((s) => ({
          [s.stageKey]: decodeEjson(s.stageValue, clock),
        }));
        const list = store.aggregate(String(params.collectionName), stages);
        return reply({ list: list.map(encodeDoc) });
      }
      case 'database.startTransaction':
        return sendJson(res, 200, { requestId, transactionId: store.startTransaction() });
      case 'database.commitTransaction':
        // Fault injection: the instance dies after its writes, before the commit arrives.
        if (faults.crashesBeforeCommit(invocation?.fn))
          return fail('SYS_ERR', 'instance crashed (injected fault)');
        store.commitTransaction(String(params.transactionId));
        return sendJson(res, 200, { requestId });
      case 'database.abortTransaction':
        store.abortTransaction(String(params.transactionId));
        return sendJson(res, 200, { requestId });
      case 'functions.invokeFunction': {
        const name = String(params.function_name);
        const event = params.request_data ? JSON.parse(String(params.request_data)) : {};
        const caller = invocation?.context;
        try {
          const result = await functions.invoke(name, event, {
            openid: caller?.openid,
            appid: caller?.appid,
            unionid: caller?.unionid,
            source: caller ? `${caller.source},scf` : 'wx_function',
          });
          return reply({ response_data: JSON.stringify(result) });
        } catch (e) {
          const err = e as FunctionError;
          return fail(
            err.errCode === FN_ERR.NOT_FOUND ? 'FUNCTIONS_NOT_EXIST' : 'FUNCTIONS_EXECUTE_FAIL',
            err.message,
          );
        }
      }
      case 'storage.getUploadMetadata': {
        const meta = cloudFiles.uploadMetadata(String(params.path ?? ''));
        return 'data' in meta ? reply(meta.data) : fail(meta.code, meta.message);
      }
      case 'storage.batchGetDownloadUrl':
        return reply({ download_list: cloudFiles.downloadUrls(params.file_list) });
      case 'storage.batchDeleteFile':
        return reply({ delete_list: cloudFiles.deleteFiles(params.fileid_list) });
      case 'wx.openApi': {
        const api = String(params.apiName);
        const request = files.requestData ? decodeOpenApiRequest(files.requestData.data) : {};
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(encodeOpenApiResponse(ctx.openApi.handle(api, request)));
        return;
      }
      case 'wx.wxPayApi': {
        const api = String(params.apiName);
        let request: Record<string, unknown> = {};
        try {
          request = files.requestData
            ? (JSON.parse(files.requestData.data.toString('utf8')) as Record<string, unknown>)
            : {};
        } catch {
          return fail('INVALID_PARAM', `cloudPay.${api}: requestData is not JSON`);
        }
        const answer = await pay.handle(api, request, { openid: invocation?.context.openid });
        // The SDK reads this reply raw (a Buffer) and parses JSON itself; a JSON content type
        // would make the HTTP layer parse it first, which the SDK does not expect.
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
        return;
      }
      default:
        return fail('INVALID_ACTION', `the local cloud does not implement action "${action}"`);
    }
  } catch (e) {
    // A store error is CloudBase's reply shape already: its code and message.
    if (e instanceof StoreError) return fail(e.code, e.message);
    if (e instanceof SyntaxError) return fail('INVALID_PARAM', e.message);
    ctx.warn(`[local-cloud] ${action} failed: ${(e as Error).stack}`);
    return fail('SYS_ERR', (e as Error).message);
  }
}
