/**
 * `/dev/*` endpoints of the SMS / URL Link / mini-program code emulation (reach.ts):
 * - `GET /dev/sms`: every SMS sent, with its delivery report; `POST /dev/sms/reply
 *   { phone, text }`: an owner's reply (`T` unsubscribes the number, 回T退订);
 *   `POST /dev/sms/faults { busy?, quota? }`: answer -1 for the next `busy` sends, limit the
 *   resource package to `quota` messages (null: unlimited).
 * - `GET /dev/urllinks`: the URL Links generated and where each opens.
 * - `GET /dev/wxacodes`: the codes generated; `GET /dev/wxacodes/<id>.png`: one image.
 * - `POST /dev/scan { id } | { png: base64 }`: reads the image as a phone camera would and
 *   answers the page it opens: `{ page, query, url }` (the preview navigates there).
 */
import type http from 'node:http';
import type { CloudContext } from './context';
import { HttpError, jsonBody, sendJson } from './http';
import { scanCode } from './reach';

export async function handleReachDev(
  ctx: CloudContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  p: string,
): Promise<boolean> {
  const reach = ctx.openApi.reach;
  const method = req.method ?? 'GET';
  if (p === '/dev/sms' && method === 'GET') {
    sendJson(res, 200, { sms: reach.sms, optedOut: [...reach.optedOut], faults: reach.faults });
    return true;
  }
  if (p === '/dev/sms/reply' && method === 'POST') {
    const body = await jsonBody(req);
    if (typeof body.phone !== 'string' || typeof body.text !== 'string')
      throw new HttpError(400, 'give { "phone": "+86…", "text": "T" }');
    sendJson(res, 200, { unsubscribed: reach.reply(body.phone, body.text) });
    return true;
  }
  if (p === '/dev/sms/faults' && method === 'POST') {
    const body = await jsonBody(req);
    const busy = body.busy ?? reach.faults.busy;
    const quota = body.quota === undefined ? reach.faults.quota : body.quota;
    if (typeof busy !== 'number' || (quota !== null && typeof quota !== 'number'))
      throw new HttpError(400, 'give { "busy": n, "quota": n | null }');
    reach.faults = { busy, quota };
    sendJson(res, 200, reach.faults);
    return true;
  }
  if (p === '/dev/urllinks' && method === 'GET') {
    sendJson(res, 200, [...reach.links.values()]);
    return true;
  }
  if (p === '/dev/wxacodes' && method === 'GET') {
    sendJson(
      res,
      200,
      reach.codes.map(({ png: _png, ...rest }) => rest),
    );
    return true;
  }
  const image = /^\/dev\/wxacodes\/([\w-]+)\.png$/.exec(p);
  if (image && method === 'GET') {
    const code = reach.codes.find((c) => c.id === image[1]);
    if (!code) throw new HttpError(404, `no code ${image[1]}`);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': code.png.length });
    res.end(code.png);
    return true;
  }
  if (p === '/dev/scan' && method === 'POST') {
    const body = await jsonBody(req);
    let png: Buffer | undefined;
    if (typeof body.id === 'string') png = reach.codes.find((c) => c.id === body.id)?.png;
    else if (typeof body.png === 'string') png = Buffer.from(body.png, 'base64');
    if (!png) throw new HttpError(400, 'give { "id": "code-1" } or { "png": "<base64>" }');
    const found = scanCode(png);
    if (!found) throw new HttpError(422, 'no mini-program code in the image');
    sendJson(res, 200, { ...found, url: `/${found.page}?${found.query}` });
    return true;
  }
  return false;
}
