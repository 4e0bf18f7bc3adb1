/**
 * Opening balances from a file: previewOpening reads the uploaded .csv/.xlsx, resolves each room,
 * flags unknown rooms, duplicates, bad amounts and conflicting earlier imports, and writes
 * nothing; the previewed rows then import through importOpening, and a second preview of the same
 * file says everything is unchanged.
 */
import ExcelJS from 'exceljs';
import { DEMO_COMMUNITY_ID, DEMO_USERS } from '../../tools/seed/demo';
import { DEMO_PREPAID_ROOM } from '../../tools/seed/fees';
import type { OpeningPreview } from '../../miniprogram/domain/fee/opening.contract';
import { useTestCloud } from '../helpers/cloud';
import { caller } from '../helpers/calls';
import { counts, upload } from './community-helpers';
import type { OpeningImportResult } from '../../miniprogram/domain/fee/contract';

const cloud = useTestCloud({ seed: 'demo', per: 'file' });

const C = DEMO_COMMUNITY_ID;
const { raw, call: fee } = caller(cloud, 'fee', DEMO_USERS.finance);
/** As 期初导入 names an upload: imports/<community>/opening-<ms>.<xlsx|csv>. */
let n = 1767225600000;
const put = (text: string | Buffer, ext = 'csv') =>
  upload(
    cloud,
    `imports/${C}/opening-${n++}.${ext}`,
    Buffer.isBuffer(text) ? text : Buffer.from(text),
  );

test('arrears: unknown rooms, duplicates and bad amounts are listed by line; nothing is written', async () => {
  const fileID = await put(
    [
      '楼栋,单元,房号,金额（元）,备注',
      '1,1,101,"1,234.50",旧系统欠费',
      '1栋,1单元,102室,88',
      '9,9,999,10',
      '1,1,101,5',
      '1,1,201,12.345',
      ',,,',
    ].join('\r\n'),
  );
  const before = counts(cloud);
  const p = await fee<OpeningPreview>({
    action: 'previewOpening',
    communityId: C,
    kind: 'arrears',
    period: '2026-10',
    fileID,
  });
  expect(p.ready).toBe(false);
  expect(p.rows.map((r) => [r.line, r.roomLabel, r.amountFen, r.status])).toEqual([
    [2, '1栋1单元101', 123450, 'new'],
    [3, '1栋1单元102', 8800, 'new'],
    [4, '9栋9单元999', 1000, 'error'],
    [5, '1栋1单元101', 500, 'error'],
  ]);
  expect(p.rows[3]!.message).toBe('与第 2 行是同一间房屋');
  expect(p.errors).toEqual([{ line: 6, message: '金额“12.345”格式不正确，请填写如 1234.50' }]);
  expect(p.counts).toEqual({ rows: 4, new: 2, unchanged: 0, errors: 3 });
  expect(counts(cloud)).toEqual(before);
});

test('a clean .xlsx previews ready, imports through importOpening, and previews unchanged after', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('期初欠费');
  ws.addRow(['翠湖花园期初欠费']);
  ws.addRow(['楼栋', '单元', '房号', '欠费金额', '备注']);
  ws.addRow(['2', '1', '302', 630.76, '2026 年三季度']);
  ws.addRow([3, 2, 801, 100]);
  const fileID = await put(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
  const ask = () =>
    fee<OpeningPreview>({
      action: 'previewOpening',
      communityId: C,
      kind: 'arrears',
      period: '2026-09',
      fileID,
    });
  const p = await ask();
  expect(p).toMatchObject({ ready: true, format: 'xlsx', newFen: 73076, totalFen: 73076 });
  expect(p.rows.map((r) => [r.line, r.roomId, r.status])).toEqual([
    [3, 'r_2_1_302', 'new'],
    [4, 'r_3_2_801', 'new'],
  ]);
  const imported = await fee<OpeningImportResult>({
    action: 'importOpening',
    communityId: C,
    kind: 'arrears',
    period: '2026-09',
    rows: p.rows.map((r) => ({
      roomId: r.roomId!,
      amountFen: r.amountFen,
      ...(r.note ? { note: r.note } : {}),
    })),
  });
  expect(imported).toMatchObject({ created: 2, totalFen: 73076 });
  const again = await ask();
  expect(again).toMatchObject({ ready: true, newFen: 0, counts: { unchanged: 2, new: 0 } });
});

test('prepaid: the seeded opening balance is unchanged at the same amount and a conflict at another', async () => {
  const [, b, u, num] = /^r_(\d+)_(\d+)_(\d+)$/.exec(DEMO_PREPAID_ROOM)!;
  const same = await put(`楼栋,单元,房号,预存金额\n${b},${u},${num},300.00\n1,1,101,50\n`);
  const p = await fee<OpeningPreview>({
    action: 'previewOpening',
    communityId: C,
    kind: 'prepaid',
    fileID: same,
  });
  expect(p.rows.map((r) => r.status)).toEqual(['unchanged', 'new']);
  const other = await put(`楼栋,单元,房号,预存金额\n${b},${u},${num},200\n`);
  const q = await fee<OpeningPreview>({
    action: 'previewOpening',
    communityId: C,
    kind: 'prepaid',
    fileID: other,
  });
  expect(q.ready).toBe(false);
  expect(q.rows[0]!.message).toMatch(/已导入期初预存 ¥300\.00/);
});

test('no header, an unreadable file, a missing period and the wrong role are refused', async () => {
  const noHeader = await put('a,b,c\n1,2,3\n');
  const p = await fee<OpeningPreview>({
    action: 'previewOpening',
    communityId: C,
    kind: 'prepaid',
    fileID: noHeader,
  });
  expect(p).toMatchObject({ ready: false, rows: [] });
  expect(p.errors[0]!.message).toMatch(/未找到表头/);
  // An old .xls saved under the .xlsx name the page gives it: refused for what it holds.
  const xls = await put(
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    'xlsx',
  );
  const old = await raw({ action: 'previewOpening', communityId: C, kind: 'prepaid', fileID: xls });
  expect(old).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect((old as { message: string }).message).not.toMatch(/请在本页上传/);
  expect(
    await raw({ action: 'previewOpening', communityId: C, kind: 'arrears', fileID: noHeader }),
  ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  expect(
    await raw(
      { action: 'previewOpening', communityId: C, kind: 'prepaid', fileID: noHeader },
      DEMO_USERS.service,
    ),
  ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
});

test('only an opening file of this community’s import folder is read; anything else is refused by name', async () => {
  const rows = '楼栋,单元,房号,预存金额\n1,1,101,50\n';
  const refused = [
    // a roster upload (not opening-…), another community's folder, a generated export, a photo
    await upload(cloud, `imports/${C}/1767225600000.csv`, Buffer.from(rows)),
    await upload(cloud, `imports/c_other/opening-1767225600000.csv`, Buffer.from(rows)),
    await upload(
      cloud,
      `exports/${C}/0123456789abcdef0123456789abcdef/opening.csv`,
      Buffer.from(rows),
    ),
    await upload(cloud, `complaints/${DEMO_USERS.owner}/opening.csv`, Buffer.from(rows)),
  ];
  const before = counts(cloud);
  for (const fileID of refused) {
    expect(
      await raw({ action: 'previewOpening', communityId: C, kind: 'prepaid', fileID }),
    ).toMatchObject({
      ok: false,
      code: 'INVALID_INPUT',
      fields: [{ field: 'fileID', message: '请在本页上传本小区的期初文件后再预览' }],
    });
  }
  expect(counts(cloud)).toEqual(before);
});

test('a file larger than the import folder takes (20 MB) is refused before it is parsed', async () => {
  const big = await put(Buffer.alloc(20 * 1024 * 1024 + 1, 0x2c));
  expect(
    await raw({ action: 'previewOpening', communityId: C, kind: 'prepaid', fileID: big }),
  ).toMatchObject({
    ok: false,
    code: 'INVALID_INPUT',
    message: 'fileID: 文件超过 20 MB，请拆分后再上传',
  });
});
