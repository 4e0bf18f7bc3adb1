/**
 * `cloud.openapi.*` and `cloud.cloudPay.*` arrive as multipart requests (`wx.openApi`,
 * `wx.wxPayApi`). Open API request data is a protobuf `CommApiData` whose key/value pairs hold
 * JSON values; the reply is a protobuf `CommOpenApiResp` wrapping the JSON answer.
 */
import protobuf from 'protobufjs/minimal';

export function decodeOpenApiRequest(buf: Buffer): Record<string, unknown> {
  const reader = protobuf.Reader.create(buf);
  const out: Record<string, unknown> = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 2) {
      // OpenApiData { repeated KeyValuePair pairs = 1 }
      const end = reader.uint32() + reader.pos;
      while (reader.pos < end) {
        const t = reader.uint32();
        if (t >>> 3 !== 1) {
          reader.skipType(t & 7);
          continue;
        }
        const pairEnd = reader.uint32() + reader.pos;
        let key = '';
        let value: Uint8Array = new Uint8Array();
        while (reader.pos < pairEnd) {
          const pt = reader.uint32();
          if (pt >>> 3 === 1) key = reader.string();
          else if (pt >>> 3 === 2) value = reader.bytes();
          else reader.skipType(pt & 7);
        }
        const text = Buffer.from(value).toString('utf8');
        try {
          out[key] = JSON.parse(text);
        } catch {
          out[key] = text;
        }
      }
    } else {
      reader.skipType(tag & 7);
    }
  }
  return out;
}

/** The reply: JSON, or a binary body (an image) with its content type, as WeChat sends it. */
export function encodeOpenApiResponse(
  answer: Record<string, unknown> | { buffer: Buffer; contentType: string },
): Buffer {
  const w = protobuf.Writer.create();
  if (Buffer.isBuffer(answer.buffer) && typeof answer.contentType === 'string') {
    w.uint32(10).bytes(answer.buffer);
    w.uint32(18).string(answer.contentType);
    return Buffer.from(w.finish());
  }
  w.uint32(10).bytes(Buffer.from(JSON.stringify(answer)));
  w.uint32(18).string('application/json');
  return Buffer.from(w.finish());
}
