/**
 * What the mini-program client reaches: `/gateway/*` stands in for WeChat's client gateway
 * (wx.cloud.callFunction, uploadFile, downloadFile, getTempFileURL, the client database and the
 * pay sheet of wx.requestPayment), checked against the security rules; `/files/*` is the object
 * store the SDK's upload and download URLs point at (tools/cloud/files.ts).
 */
import type http from 'node:http';
import { sendAnswer } from './answer';
import { clientDb } from './clientdb';
import { LOCAL_APPID, type CloudContext } from './context';
import { FunctionError, FN_ERR, type CallerContext } from './functions';
import { HttpError, jsonBody, parseMultipart, readBody, sendJson } from './http';

/**
 * Calls function `fn` with the request's `{ openid, event }` as that user would, answering the
 * function's reply or the client's `cloud.callFunction:fail` shape. With `devSourceAllowed`
 * (`/dev/call`), `source: "wx_devtools"` invokes as DevTools and the console's 云端测试 do.
 */
export async function callAs(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  fn: string,
  source: CallerContext['source'],
  devSourceAllowed = false,
): Promise<void> {
  const body = await jsonBody(req);
  const openid = body.openid;
  if (
    openid !== undefined &&
    (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(openid))
  ) {
    throw new HttpError(400, 'openid must be 1–64 characters of [A-Za-z0-9_-]');
  }
  try {
    const asSource = devSourceAllowed && body.source === 'wx_devtools' ? 'wx_devtools' : source;
    const result = await ctx.functions.invoke(fn, body.event ?? {}, {
      openid: openid as string | undefined,
      appid: LOCAL_APPID,
      source: asSource,
    });
    sendJson(res, 200, result);
  } catch (e) {
    if (e instanceof FunctionError) {
      sendJson(res, e.errCode === FN_ERR.NOT_FOUND ? 404 : 500, {
        errCode: e.errCode,
        errMsg: `cloud.callFunction:fail ${e.message}`,
      });
      return;
    }
    throw e;
  }
}

/** `/files/put/<path>` and `/files/get/<path>`: the signed object-store URLs. */
export async function handleFiles(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const m = /^\/files\/(put|get)\/(.+)$/.exec(url.pathname);
  if (!m) throw new HttpError(404, 'no such file route');
  const cloudPath = decodeURIComponent(m[2]!);
  if (m[1] === 'put') {
    if (req.method !== 'PUT' && req.method !== 'POST') throw new HttpError(405, 'use PUT');
    const auth = String(req.headers.authorization ?? '');
    return sendAnswer(res, ctx.files.cosPut(cloudPath, auth, await readBody(req)));
  }
  sendAnswer(res, ctx.files.cosGet(cloudPath, url.searchParams));
}

/**
 * The preview's pay sheet (wx.requestPayment): the payer completes, cancels or fails the
 * payment for a `package` they were given; only the order's own payer can pay it.
 */
async function handleGatewayPay(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { pay } = ctx;
  const body = await jsonBody(req);
  const pkg = typeof body.package === 'string' ? body.package : '';
  const result = body.result ?? 'success';
  if (result !== 'success' && result !== 'cancel' && result !== 'fail') {
    throw new HttpError(400, 'result must be "success", "cancel" or "fail"');
  }
  const order = pay.orderByPackage(pkg);
  if (!order)
    return sendJson(res, 200, { ok: false, errMsg: 'requestPayment:fail 无效的支付参数' });
  if (order.openid && body.openid !== order.openid) {
    return sendJson(res, 200, { ok: false, errMsg: 'requestPayment:fail 该订单不属于当前用户' });
  }
  const outcome = await pay.pay(order.outTradeNo, result);
  // WeChat notifies the merchant within seconds; the sandbox does it before answering the sheet.
  await pay.deliverDue();
  sendJson(res, 200, outcome);
}

/** `/gateway/*` (loopback callers only; the router checks). */
export async function handleGateway(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const { files, store, rules, clock } = ctx;
  // The preview's phone keeps its clock on the dev clock, as a phone follows network time.
  res.setHeader('x-dev-clock-offset', String(clock.offset));
  const gw = /^\/gateway\/call\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
  if (gw && req.method === 'POST') return await callAs(ctx, req, res, gw[1]!, 'wx_client');
  if (url.pathname === '/gateway/pay' && req.method === 'POST') {
    return await handleGatewayPay(ctx, req, res);
  }
  if (url.pathname === '/gateway/upload' && req.method === 'POST') {
    // Client-side upload (the mini-program's wx.cloud.uploadFile through the gateway).
    const { fields, files: parts } = await parseMultipart(req);
    return sendAnswer(
      res,
      files.clientUpload(fields.openid, fields.cloudPath ?? '', parts.file?.data),
    );
  }
  if (url.pathname === '/gateway/file' && req.method === 'GET') {
    const q = url.searchParams;
    return sendAnswer(res, files.clientDownload(q.get('openid'), q.get('fileID') ?? ''));
  }
  if (url.pathname === '/gateway/tempurl' && req.method === 'POST') {
    const body = await jsonBody(req);
    return sendAnswer(res, files.clientTempUrls(body.openid, body.fileList));
  }
  if (url.pathname === '/gateway/db' && req.method === 'POST') {
    const db = { store, rules: () => rules.database(), now: () => clock.now() };
    return sendAnswer(res, clientDb(db, await jsonBody(req)));
  }
  throw new HttpError(404, `no gateway route ${req.method} ${url.pathname}`);
}
