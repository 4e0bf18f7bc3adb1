/**
 * The preview on its own server, for working on the preview without restarting the local cloud:
 *
 *   CLOUD_URL=http://127.0.0.1:8787 PORT=8790 npx tsx tools/preview/dev-server.ts
 *
 * `/gateway/*` and `/dev/*` are forwarded to CLOUD_URL; without it, cloud calls fail and pages
 * show their error state. `npm start` does not need this: the local cloud mounts the preview.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { createPreviewHandler } from '.';

const port = Number(process.env.PORT ?? 8790);
const cloudUrl = process.env.CLOUD_URL || undefined;
const handler = createPreviewHandler({ rootDir: path.resolve(__dirname, '..', '..'), cloudUrl });

const server = http.createServer((req, res) => {
  Promise.resolve(handler(req, res))
    .then((handled) => {
      if (!handled) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `not found: ${req.url}` }));
      }
    })
    .catch((e: unknown) => {
      console.error(e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
});
server.listen(port, '127.0.0.1', () => {
  console.log(`preview: http://127.0.0.1:${port}/  (cloud: ${cloudUrl ?? 'none'})`);
});
