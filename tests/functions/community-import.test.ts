/**
 * Roster import and export through the community function, the real SDK and cloud storage:
 * a good workbook (saved by LibreOffice, not exceljs) previews without writing and applies in one
 * go; re-importing changes nothing; a changed file applies only the differences; a file with
 * errors is rejected whole with a per-row report; exports are masked unless an admin asks, and
 * every export and import is in the audit log.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { DEMO_COMMUNITY_ID as C, DEMO_USERS } from '../../tools/seed/demo';
import { callsTo } from '../helpers/calls';
import { useTestCloud } from '../helpers/cloud';
import { fetchLinked } from '../helpers/files';
import {
  ID_NUMBER,
  LAKE,
  LAKE_ADMIN,
  MOBILE,
  counts,
  ok,
  setupLakeside,
  upload,
} from './community-helpers';
import type {
  ExportedFile,
  ImportReport,
  ImportResult,
  RoomDetail,
} from '../../miniprogram/domain/community/contract';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'roster');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

const cloud = useTestCloud({ seed: 'demo', per: 'file' });
const call = callsTo(cloud);
beforeAll(async () => {
  await setupLakeside(cloud);
});

const preview = async (fileID: string, openid = LAKE_ADMIN) =>
  call.community<ImportReport>({ action: 'importPreview', communityId: LAKE, fileID }, openid);
const confirm = async (importId: string, openid = LAKE_ADMIN) =>
  call.community<ImportResult>({ action: 'importConfirm', communityId: LAKE, importId }, openid);

let stamp = 1767225600000;
/** Where 导入 puts a picked sheet (the community's import folder, named by the time): .xlsx or .csv. */
const sheetPath = (ext: string) => `imports/${LAKE}/${stamp++}.${ext === 'csv' ? 'csv' : 'xlsx'}`;

const lakeCount = (coll: string) => cloud.store.count(coll, { communityId: LAKE });
const auditOf = (action: string) =>
  cloud.store.find('audit_log', { communityId: LAKE, action }, { sort: { at: -1 } });

describe('a good workbook saved by LibreOffice', () => {
  let fileID: string;
  let report: ImportReport;

  test('preview validates every row, reports what would change, and writes nothing', async () => {
    fileID = await upload(cloud, sheetPath('xlsx'), fixture('lakeside-roster.xlsx'));
    const before = counts(cloud);
    report = ok(await preview(fileID));
    expect(report).toMatchObject({
      status: 'ready',
      format: 'xlsx',
      dataRows: 10,
      fileErrors: [],
      errors: [],
      counts: { added: 10, changed: 0, unchanged: 0, ownersAdded: 9, relationsAdded: 10 },
    });
    expect(report.importId).toMatch(/^imp:c_lake:[0-9a-f]{64}$/);
    const added = report.changes.find((c) => c.roomLabel === '1栋1单元102')!;
    expect(added.fields).toEqual([
      { field: '建筑面积(㎡)', before: '', after: '112.53' },
      { field: '业主', before: '', after: '吴* 139****0102' },
      { field: '共有人', before: '', after: '郑* 139****0102' },
    ]);
    // Only the import job itself is stored.
    const after = counts(cloud);
    expect({ ...after, import_jobs: 0 }).toEqual({ ...before, import_jobs: 0 });
    expect(lakeCount('rooms')).toBe(0);
  });

  test('confirm applies the whole file in one go', async () => {
    const res = ok(await confirm(report.importId));
    expect(res).toMatchObject({ status: 'applied', done: true, remaining: 0, replayed: false });
    expect(res.counts).toEqual(report.counts);
    expect(lakeCount('rooms')).toBe(10);
    // 陈国平 owns two rooms, 吴丽 has a co-owner, the shop for sale has no owner yet.
    expect(lakeCount('owners')).toBe(9);
    expect(lakeCount('room_owners')).toBe(10);
    const shop = cloud.store.find('rooms', { communityId: LAKE, building: '2', number: '101' })[0]!;
    expect(shop).toMatchObject({
      useType: 'commercial',
      occupancy: 'occupied',
      buildingAreaCentiM2: 4550,
      innerAreaCentiM2: 4000,
      moveInDate: '2019-08-08',
      floor: 1,
    });
    const care = cloud.store.find('owners', { communityId: LAKE, name: '孙桂英' })[0]!;
    expect(care).toMatchObject({ specialCare: true, careNote: '独居老人，请电话联系' });
    const [entry] = auditOf('roster.import');
    expect(entry).toMatchObject({
      actor: LAKE_ADMIN,
      actorRoles: ['admin'],
      targetId: report.importId,
    });
    expect(entry!.summary).toMatch(/新增 10 套/);
  });

  test('confirming again returns the stored result and writes nothing', async () => {
    const before = counts(cloud);
    const res = ok(await confirm(report.importId));
    expect(res).toMatchObject({
      status: 'applied',
      done: true,
      replayed: true,
      counts: report.counts,
    });
    expect(counts(cloud)).toEqual(before);
  });

  test('importing the same file again changes nothing: every row unchanged', async () => {
    const again = ok(await preview(fileID));
    expect(again.counts).toMatchObject({ added: 0, changed: 0, unchanged: 10, ownersAdded: 0 });
    expect(again.changes).toEqual([]);
    const rooms = cloud.store.find('rooms', { communityId: LAKE });
    const res = ok(await confirm(again.importId));
    expect(res).toMatchObject({ done: true, replayed: false, counts: { unchanged: 10 } });
    expect(cloud.store.find('rooms', { communityId: LAKE })).toEqual(rooms);
  });

  test('the same rows as a UTF-8 CSV and as a GBK CSV are recognised as already applied', async () => {
    for (const name of ['lakeside-roster.csv', 'lakeside-roster-gbk.csv']) {
      const id = await upload(cloud, sheetPath(name.split('.').pop()!), fixture(name));
      const r = ok(await preview(id));
      expect(r).toMatchObject({
        format: 'csv',
        status: 'ready',
        counts: { unchanged: 10, added: 0 },
      });
    }
  });
});

describe('a changed file', () => {
  test('applies only the differences and reports them; a sale ends the old owner and their bindings', async () => {
    // The owner of 1栋1单元101 binds the room in the mini-program first.
    ok(
      await call.settings(
        { action: 'update', communityId: LAKE, bindingReview: 'auto' },
        LAKE_ADMIN,
      ),
    );
    const room = cloud.store.find('rooms', {
      communityId: LAKE,
      building: '1',
      unit: '1',
      number: '101',
    })[0]!;
    const bound = ok(
      await call.binding<{ bindingId: string; status: string }>(
        { action: 'request', roomId: room._id, name: '周建华', mobile: '13900000101' },
        'o_lake_owner101',
      ),
    );
    expect(bound).toMatchObject({ status: 'verified', relation: 'owner' });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fixture('lakeside-roster.xlsx') as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    // 1栋1单元101 sold to 冯涛; 1栋1单元102 re-measured; one new room.
    ws.getRow(3).getCell(10).value = '冯涛';
    ws.getRow(3).getCell(11).value = '13900000999';
    ws.getRow(4).getCell(5).value = 112.6;
    ws.addRow(['2号楼', 2, 1301, 13, 98, '', '住宅', '已入住', '', '韩梅', '13900000305']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const fileID = await upload(cloud, sheetPath('xlsx'), bytes);

    const report = ok(await preview(fileID));
    expect(report.counts).toMatchObject({
      added: 1,
      changed: 2,
      unchanged: 8,
      ownersAdded: 2,
      relationsAdded: 2,
      relationsEnded: 1,
    });
    expect(report.changes.find((c) => c.roomLabel === '1栋1单元102')).toEqual({
      row: 4,
      roomLabel: '1栋1单元102',
      status: 'changed',
      fields: [{ field: '建筑面积(㎡)', before: '112.53', after: '112.60' }],
    });
    expect(report.changes.find((c) => c.roomLabel === '1栋1单元101')!.fields).toEqual([
      { field: '原业主', before: '周** 139****0101', after: '（已结束）' },
      { field: '业主', before: '', after: '冯* 139****0999' },
    ]);

    const untouched = cloud.store.find('rooms', { communityId: LAKE, number: '201' });
    ok(await confirm(report.importId));
    expect(cloud.store.find('rooms', { communityId: LAKE, number: '201' })).toEqual(untouched);
    expect(
      cloud.store.find('rooms', {
        _id: cloud.store.find('rooms', {
          communityId: LAKE,
          number: '102',
          building: '1',
          unit: '1',
        })[0]!._id,
      })[0],
    ).toMatchObject({
      buildingAreaCentiM2: 11260,
      lastImportId: report.importId,
    });
    const rels = cloud.store.find('room_owners', { roomId: room._id });
    expect(rels.map((r) => [r.relation, r.until === null])).toEqual(
      expect.arrayContaining([
        ['owner', false],
        ['owner', true],
      ]),
    );
    // The seller's WeChat binding ends with the relation; they no longer see the room.
    expect(cloud.store.find('room_bindings', { _id: bound.bindingId })[0]).toMatchObject({
      status: 'revoked',
      decidedBy: 'import',
    });
    const home = ok(await call.owner<{ rooms: unknown[] }>({ action: 'home' }, 'o_lake_owner101'));
    expect(home.rooms).toEqual([]);
  });
});

describe('a workbook with errors', () => {
  test('is rejected whole with a per-row report, and nothing is written', async () => {
    const fileID = await upload(cloud, sheetPath('xlsx'), fixture('lakeside-roster-errors.xlsx'));
    const before = counts(cloud);
    const report = ok(await preview(fileID));
    expect(report.status).toBe('invalid');
    expect(report.errorCount).toBe(9);
    expect(report.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, '房号', '缺少房号'],
      [4, '建筑面积(㎡)', '建筑面积须为数字（平方米）'],
      [5, '建筑面积(㎡)', '建筑面积须大于 0'],
      [6, '建筑面积(㎡)', '建筑面积须大于 0'],
      [7, '房号', '房号重复：与第 2 行是同一房屋'],
      [8, '联系电话', '手机号格式不正确，应为 11 位中国大陆手机号'],
      [9, '楼号', '楼栋「9」不存在，请先在小区设置中添加该楼栋'],
      [10, '单元号', '1栋没有「7」单元'],
      [11, '建筑面积(㎡)', '建筑面积最多两位小数'],
    ]);
    expect(report.counts).toMatchObject({ added: 0, changed: 0 });
    const res = await confirm(report.importId);
    expect(res).toMatchObject({ ok: false, code: 'PRECONDITION_FAILED' });
    const after = counts(cloud);
    expect({ ...after, import_jobs: 0 }).toEqual({ ...before, import_jobs: 0 });
    expect(cloud.store.count('rooms', { communityId: LAKE, number: '301' })).toBe(0);
  });

  test('an old .xls, an empty template and a non-roster file are refused with a clear reason', async () => {
    const xls = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);
    const r1 = ok(await preview(await upload(cloud, sheetPath('xls'), xls)));
    expect(r1).toMatchObject({ status: 'invalid', fileErrors: [expect.stringMatching(/\.xls/)] });

    const tmpl = ok(
      await call.community<ExportedFile>(
        { action: 'importTemplate', communityId: LAKE },
        LAKE_ADMIN,
      ),
    );
    // The template comes as a link (exports/ is never readable by id); filled in, it is uploaded.
    const r2 = ok(await preview(await upload(cloud, sheetPath('xlsx'), await fetchLinked(tmpl))));
    expect(r2).toMatchObject({ status: 'invalid', fileErrors: ['表中没有数据行'] });

    const r3 = ok(
      await preview(await upload(cloud, sheetPath('csv'), Buffer.from('你好,世界\n1,2\n'))),
    );
    expect(r3.fileErrors[0]).toMatch(/找不到表头/);
  });

  test('a fileID that does not exist is NOT_FOUND', async () => {
    expect(await preview(`cloud://local-dev.local-bucket/${sheetPath('xlsx')}`)).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  test('a file outside this community’s import folder is refused, naming fileID, and nothing is read or written', async () => {
    const roster = fixture('lakeside-roster.csv');
    const elsewhere = [
      // another community's folder, a generated export, a complaint photo's folder, a made-up name
      await upload(cloud, `imports/${C}/1767225600001.csv`, roster),
      await upload(cloud, `exports/${LAKE}/0123456789abcdef0123456789abcdef/roster.csv`, roster),
      await upload(cloud, `complaints/${LAKE_ADMIN}/roster.csv`, roster),
      await upload(cloud, `imports/${LAKE}/roster.csv`, roster),
      await upload(cloud, `imports/${LAKE}/../${LAKE}/1767225600002.csv`, roster).catch(
        () => `cloud://local-dev.local-bucket/imports/${LAKE}/../${LAKE}/1767225600002.csv`,
      ),
    ];
    const before = counts(cloud);
    for (const fileID of elsewhere) {
      expect({ fileID, reply: await preview(fileID) }).toEqual({
        fileID,
        reply: expect.objectContaining({
          ok: false,
          code: 'INVALID_INPUT',
          fields: [{ field: 'fileID', message: '请在本页上传本小区的花名册文件后再预览' }],
        }),
      });
    }
    expect(counts(cloud)).toEqual(before);
  });
});

describe('large or interrupted imports resume', () => {
  test('with a tiny time budget, confirm hands back and the next confirm continues to the same end', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('房屋');
    ws.addRow(['楼栋', '单元', '房号', '建筑面积', '业主姓名', '手机号']);
    for (let f = 21; f <= 38; f++) {
      for (let r = 1; r <= 30; r++) {
        const number = `${f}${String(r).padStart(2, '0')}`;
        ws.addRow([
          '2',
          '2',
          number,
          88.5,
          `住户${f}-${r}`,
          `137${String(f * 100 + r).padStart(8, '0')}`,
        ]);
      }
    }
    const fileID = await upload(cloud, sheetPath('xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    const report = ok(await preview(fileID));
    expect(report.counts.added).toBe(540);
    cloud.store.insert('app_config', [{ _id: 'import', budgetMs: 0 }]);
    try {
      const rounds: ImportResult[] = [];
      for (let i = 0; i < 20; i++) {
        const res = ok(await confirm(report.importId));
        rounds.push(res);
        if (res.done) break;
      }
      expect(rounds.length).toBeGreaterThan(1);
      expect(rounds[0]).toMatchObject({ done: false, status: 'applying' });
      expect(rounds.at(-1)).toMatchObject({ done: true, status: 'applied', counts: report.counts });
      // 540 new ones besides 2栋2单元1202 and 1301 from the earlier files
      expect(cloud.store.count('rooms', { communityId: LAKE, building: '2', unit: '2' })).toBe(542);
      expect(ok(await preview(fileID)).counts).toMatchObject({ unchanged: 540, added: 0 });
    } finally {
      cloud.store.remove('app_config', { _id: 'import' }, { multi: false });
    }
  });

  test('a confirm while another holds the import is refused, not run twice', async () => {
    const id = await upload(cloud, sheetPath('csv'), fixture('lakeside-roster.csv'));
    const report = ok(await preview(id));
    cloud.store.update(
      'import_jobs',
      { _id: report.importId },
      { $set: { status: 'applying', leaseUntil: new Date(cloud.clock.now() + 60_000) } },
      { multi: false, replace: false, upsert: false },
    );
    expect(await confirm(report.importId)).toMatchObject({ ok: false, code: 'CONFLICT' });
    cloud.store.update(
      'import_jobs',
      { _id: report.importId },
      { $set: { leaseUntil: null } },
      { multi: false, replace: false, upsert: false },
    );
    expect(ok(await confirm(report.importId)).done).toBe(true);
  });
});

describe('export', () => {
  const exportAs = (openid: string, unmasked = false, communityId = LAKE) =>
    call.community<ExportedFile>({ action: 'exportRoster', communityId, unmasked }, openid);

  async function rows(file: ExportedFile): Promise<string[][]> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fetchLinked(file)) as unknown as ArrayBuffer);
    const out: string[][] = [];
    wb.worksheets[0]!.eachRow((row) => {
      out.push(
        (row.values as unknown[])
          .slice(1)
          .map((v) => (v === null || v === undefined ? '' : String(v))),
      );
    });
    return out;
  }

  test('is masked for finance and service, and audited', async () => {
    const file = ok(await exportAs(DEMO_USERS.finance, false, 'c_cuihu'));
    expect(file).toMatchObject({ masked: true, rowCount: 288 });
    const table = await rows(file);
    expect(table[0]!.slice(0, 5)).toEqual(['楼栋', '单元', '房号', '楼层', '建筑面积(㎡)']);
    const text = JSON.stringify(table);
    expect(text).toMatch(/王\*\* 138\*\*\*\*1501|王\*\*/);
    expect(text).not.toMatch(MOBILE);
    expect(text).not.toMatch(ID_NUMBER);
    const [entry] = cloud.store.find(
      'audit_log',
      { communityId: 'c_cuihu', action: 'roster.export' },
      { sort: { at: -1 } },
    );
    expect(entry).toMatchObject({
      actor: DEMO_USERS.finance,
      actorRoles: ['finance'],
      after: { masked: true, rowCount: 288 },
    });
  });

  test('unmasked is admin only', async () => {
    expect(await exportAs(DEMO_USERS.finance, true, 'c_cuihu')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await exportAs(DEMO_USERS.cashier, false, 'c_cuihu')).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    const file = ok(await exportAs(DEMO_USERS.admin, true, 'c_cuihu'));
    expect(file.masked).toBe(false);
    expect(JSON.stringify(await rows(file))).toMatch(/13800001501/);
  });

  test('an unmasked export imports back with no change at all', async () => {
    const file = ok(await exportAs(LAKE_ADMIN, true));
    // As an admin would: open the export's link, save the file, upload it on 导入.
    const report = ok(
      await preview(await upload(cloud, sheetPath('xlsx'), await fetchLinked(file))),
    );
    expect(report.errors).toEqual([]);
    expect(report.counts).toMatchObject({
      added: 0,
      changed: 0,
      ownersAdded: 0,
      relationsEnded: 0,
    });
    expect(report.counts.unchanged).toBe(file.rowCount);
  });
});

test('room detail shows people on record with masked mobiles, never ID numbers in full', async () => {
  const room = cloud.store.find('rooms', {
    communityId: 'c_cuihu',
    building: '1',
    unit: '2',
    number: '201',
  })[0]!;
  const detail = ok(
    await call.community<RoomDetail>(
      { action: 'room', communityId: 'c_cuihu', roomId: room._id },
      DEMO_USERS.service,
    ),
  );
  expect(detail.people[0]).toMatchObject({
    relation: 'owner',
    name: '张桂兰',
    mobile: '138****0201',
    specialCare: true,
  });
  expect(detail.owner).toMatchObject({ name: '张**', mobile: '138****0201' });
  expect(detail.bindings[0]).toMatchObject({ status: 'verified' });
});
