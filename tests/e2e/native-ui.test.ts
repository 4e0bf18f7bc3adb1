/** The preview's native sheets behave as WeChat reports: subscribe consent and the sandbox pay sheet. */
import { current, useHarness } from './harness';

const h = useHarness();

test('the consent sheet reports accept/reject per template', async () => {
  const page = await h.open('o_demo_owner', 'pages/subscriptions/index');
  await current(page).locator('van-button', { hasText: '订阅提醒' }).tap();
  const sheet = page.locator('[data-sheet=subscribe]');
  await sheet.waitFor();
  expect(await sheet.innerText()).toContain('物业费缴费通知');
  await sheet.locator('[data-template=TMPL_BILL_OVERDUE]').tap(); // switch this one off
  await sheet.locator('[data-action=accept]').tap();
  await current(page)
    .getByText('已为您订阅 2 项提醒')
    .or(page.getByText('已为您订阅 2 项提醒'))
    .first()
    .waitFor();
  const tags = await current(page).locator('van-tag').allInnerTexts();
  expect(tags.map((t) => t.trim())).toEqual(['已订阅一次', '未订阅', '已订阅一次']);
});

test('requestSubscribeMessage outside a tap fails as in WeChat', async () => {
  const page = await h.open('o_demo_owner');
  const res = await page.evaluate(
    () =>
      new Promise((resolve) =>
        (window.wx as { requestSubscribeMessage: (o: object) => void }).requestSubscribeMessage({
          tmplIds: ['TMPL_BILL_ISSUED'],
          success: resolve,
          fail: resolve,
        }),
      ),
  );
  expect(res).toMatchObject({ errMsg: expect.stringContaining('requestSubscribeMessage:fail') });
});

test('the sandbox pay sheet: cancel and fail are reported as WeChat does', async () => {
  const page = await h.open('o_demo_owner');
  const pay = () =>
    page.evaluate(
      () =>
        new Promise((resolve) =>
          (window.wx as { requestPayment: (o: object) => void }).requestPayment({
            timeStamp: '1',
            nonceStr: 'n',
            package: 'prepay_id=wx_test',
            signType: 'RSA',
            paySign: 's',
            success: resolve,
            fail: resolve,
          }),
        ),
    );
  let result = pay();
  await page.locator('[data-sheet=pay] [data-action=cancel]').tap();
  expect(await result).toEqual({ errMsg: 'requestPayment:fail cancel' });
  result = pay();
  await page.locator('[data-sheet=pay] [data-action=fail]').tap();
  expect(await result).toMatchObject({ errMsg: expect.stringMatching(/^requestPayment:fail /) });
});

test('chooseImage and wx.cloud.uploadFile store the picture in the local cloud', async () => {
  const page = await h.open('o_demo_owner');
  await page.locator('#wx-nav-title').tap(); // a user gesture, as WeChat requires
  const chooser = page.waitForEvent('filechooser');
  const chosen = page.evaluate(
    () =>
      new Promise((resolve, reject) =>
        (window.wx as { chooseImage: (o: object) => void }).chooseImage({
          count: 1,
          success: resolve,
          fail: reject,
        }),
      ) as Promise<{ tempFilePaths: string[] }>,
  );
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  await (await chooser).setFiles({ name: 'leak.png', mimeType: 'image/png', buffer: png });
  const { tempFilePaths } = await chosen;
  expect(tempFilePaths[0]).toMatch(/^wxfile:\/\/tmp_.*\.png$/);
  const uploaded = await page.evaluate(
    (filePath) =>
      (
        window.wx as { cloud: { uploadFile: (o: object) => Promise<{ fileID: string }> } }
      ).cloud.uploadFile({
        cloudPath: 'complaints/o_demo_owner/leak.png',
        filePath,
      }),
    tempFilePaths[0]!,
  );
  expect(uploaded.fileID).toMatch(/^cloud:\/\/.+\/complaints\/o_demo_owner\/leak\.png$/);
  // Read back as the uploader (the storage rules let owners read only their own uploads).
  const file = (openid: string) =>
    fetch(
      `${h.cloud.url}/gateway/file?${new URLSearchParams({ fileID: uploaded.fileID, openid })}`,
    );
  const res = await file('o_demo_owner');
  expect(res.status).toBe(200);
  expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  expect((await file('o_demo_paid')).status).toBe(403);
  // Outside the upload folders the preview's upload fails as WeChat's does.
  const refused = await page.evaluate(
    (filePath) =>
      (window.wx as { cloud: { uploadFile: (o: object) => Promise<unknown> } }).cloud
        .uploadFile({ cloudPath: 'tickets/e2e/leak.png', filePath })
        .then(
          () => 'uploaded',
          (e: { errMsg: string }) => e.errMsg,
        ),
    tempFilePaths[0]!,
  );
  expect(refused).toMatch(/^cloud\.uploadFile:fail .*-503002/);
});
