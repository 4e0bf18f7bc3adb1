/**
 * What the client-facing handlers (tools/cloud/files.ts, tools/cloud/clientdb.ts) answer, kept
 * apart from the HTTP plumbing in http.ts: a status with a JSON body, or bytes.
 */
import type http from 'node:http';

export interface Answer {
  status: number;
  json?: unknown;
  bytes?: Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/** The mini-program client's failure shape: `errCode` and `errMsg` ("api:fail …"). */
export function clientError(status: number, api: string, errCode: number, message: string): Answer {
  return { status, json: { errCode, errMsg: `${api}:fail ${errCode} ${message}` } };
}

export function sendAnswer(res: http.ServerResponse, a: Answer): void {
  if (a.bytes) {
    res.writeHead(a.status, {
      'content-type': a.contentType ?? 'application/octet-stream',
      'content-length': a.bytes.length,
      ...a.headers,
    });
    res.end(a.bytes);
    return;
  }
  const text = JSON.stringify(a.json ?? {});
  res.writeHead(a.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...a.headers,
  });
  res.end(text);
}
