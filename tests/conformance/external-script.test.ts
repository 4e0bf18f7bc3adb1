/**
 * "A separate Node script of anyone's, using only wx-server-sdk and the variables from
 * GET /dev/env, can add, query, update, aggregate and run a transaction."
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { useTestCloud } from '../helpers/cloud';
import { getJson } from '../helpers/process';

const cloud = useTestCloud({ seed: 'empty', per: 'file' });

test('a plain SDK script works against the running local cloud', async () => {
  const env = await getJson<Record<string, string>>(`${cloud.url}/dev/env`);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(__dirname, '..', 'fixtures', 'sdk-script.js')],
    { env: { PATH: process.env.PATH, ...env }, cwd: path.resolve(__dirname, '..', '..') },
  );
  expect(JSON.parse(stdout)).toEqual({
    added: 3,
    found: [63076, 21025],
    updated: 1,
    grouped: [
      { _id: 'A', total: 63176 },
      { _id: 'B', total: 21030 },
    ],
    txn: 63000,
    after: 63000,
  });
});
