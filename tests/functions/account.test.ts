/** account.whoami and the shared action router, through the local cloud and the real SDK. */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import { postJson } from '../helpers/process';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const call = (fn: string, event: unknown, openid?: string) =>
  postJson<Record<string, unknown>>(`${cloud.url}/dev/call/${fn}`, { event, openid });

test('whoami returns the caller OPENID from the WeChat context, never from the event', async () => {
  const res = await call('account', { action: 'whoami' }, 'o_x');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    ok: true,
    data: { openid: 'o_x', appid: 'wxlocaldevappid', roles: [], staffOf: [], isStaff: false },
  });
  // An openid in the event is not an input of whoami: refused, and never trusted.
  const forged = await call('account', { action: 'whoami', openid: DEMO_USERS.admin }, 'o_x');
  expect(forged.body).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(forged.body.message).toMatch(/openid/);
});

test('whoami reads roles from the database, per community', async () => {
  const res = await call('account', { action: 'whoami' }, DEMO_USERS.finance);
  expect(res.body).toMatchObject({
    ok: true,
    data: {
      roles: ['finance'],
      staffOf: [{ communityId: 'c_cuihu', roles: ['finance'] }],
      isStaff: true,
    },
  });
  // A grant written now is seen on the next call; a revoked grant is not.
  cloud.store.update(
    'staff_roles',
    { _id: `c_cuihu:${DEMO_USERS.finance}` },
    { $set: { roles: ['finance', 'cashier'] } },
    {
      multi: false,
      replace: false,
      upsert: false,
    },
  );
  const more = await call('account', { action: 'whoami' }, DEMO_USERS.finance);
  expect((more.body.data as { roles: string[] }).roles).toEqual(['cashier', 'finance']);
  cloud.store.update(
    'staff_roles',
    { _id: `c_cuihu:${DEMO_USERS.finance}` },
    { $set: { revokedAt: new Date() } },
    {
      multi: false,
      replace: false,
      upsert: false,
    },
  );
  const revoked = await call('account', { action: 'whoami' }, DEMO_USERS.finance);
  expect(revoked.body).toMatchObject({ ok: true, data: { roles: [], isStaff: false } });
});

test('a call without a WeChat user is refused politely', async () => {
  const res = await call('account', { action: 'whoami' });
  expect(res.body).toEqual({
    ok: false,
    code: 'UNAUTHENTICATED',
    message: '请在微信中打开小程序后再试',
  });
});

describe('the action router answers bad input with INVALID_INPUT naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    [
      'unknown action',
      { action: 'dropTables' },
      /^action: unknown action "dropTables" for account; expected one of whoami$/,
    ],
    ['missing action', {}, /^action: unknown action null/],
    ['action of the wrong type', { action: 42 }, /^action: unknown action 42/],
    ['an unexpected field', { action: 'whoami', extra: true }, /^extra: /],
  ];
  test.each(cases)('%s', async (_name, event, message) => {
    const res = await call('account', event, 'o_x');
    expect(res.body.ok).toBe(false);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(res.body.message).toMatch(message);
  });

  test('a field of the wrong type', async () => {
    const res = await call('owner', { action: 'bills', roomId: 123 }, DEMO_USERS.owner);
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(res.body.message).toMatch(/^roomId: /);
  });

  test('a non-object event', async () => {
    const res = await postJson<Record<string, unknown>>(`${cloud.url}/dev/call/account`, {
      event: [1, 2],
      openid: 'o_x',
    });
    expect(res.body).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});
