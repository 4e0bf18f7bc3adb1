/** Deployment settings: admin only, templates checked against WeChat's keyword rules, audited. */
import { DEMO_USERS } from '../../tools/seed/demo';
import { useTestCloud } from '../helpers/cloud';
import type { Reply } from '../../miniprogram/domain/kernel/reply';
import type { DeploymentSettings } from '../../miniprogram/domain/settings/contract';
import { template } from '../helpers/templates';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const call = (event: unknown, openid: string) =>
  cloud.call('settings', event, openid) as Promise<Reply<DeploymentSettings>>;

test('only an admin of the community reads or changes settings', async () => {
  for (const who of [DEMO_USERS.owner, DEMO_USERS.cashier, DEMO_USERS.finance]) {
    expect(await call({ action: 'get', communityId: 'c_cuihu' }, who)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(
      await call({ action: 'update', communityId: 'c_cuihu', subMchId: '1900000999' }, who),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  expect(await call({ action: 'get', communityId: 'c_cuihu' }, DEMO_USERS.admin)).toMatchObject({
    ok: true,
    data: { subMchId: '1900000109', quietHours: { from: '21:00', to: '08:00' } },
  });
});

test('templates are validated against the keyword rules; a bad one changes nothing', async () => {
  const bad = await call(
    {
      action: 'update',
      communityId: 'c_cuihu',
      subMchId: '1900000999',
      templates: {
        billReminder: { templateId: 'short', keywords: [{ key: 'amount1', type: 'thing' }] },
      },
    },
    DEMO_USERS.admin,
  );
  expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((bad as { message: string }).message).toMatch(/templates\.billReminder\.templateId/);
  expect(cloud.store.find('communities', { _id: 'c_cuihu' })[0]!.payment).toEqual({
    subMchId: '1900000109',
  });

  const good = await call(
    {
      action: 'update',
      communityId: 'c_cuihu',
      subMchId: '1900000999',
      refundApprovalFen: 50_000,
      templates: {
        billReminder: template(
          'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd',
          'thing1',
          'amount2',
          'date3',
        ),
      },
    },
    DEMO_USERS.admin,
  );
  expect(good).toMatchObject({
    ok: true,
    data: { subMchId: '1900000999', refundApprovalFen: 50_000 },
  });
  const log = cloud.store.find('audit_log', { action: 'settings.update' });
  expect(log).toHaveLength(1);
  expect(log[0]).toMatchObject({ actor: DEMO_USERS.admin, targetId: 'c_cuihu' });
});

test('bad input names the field', async () => {
  const res = await call(
    { action: 'update', communityId: 'c_cuihu', subMchId: 'abc' },
    DEMO_USERS.admin,
  );
  expect(res).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((res as { message: string }).message).toMatch(/^subMchId: /);
});
