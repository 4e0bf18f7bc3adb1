/**
 * 房屋档案 (import: admin; export: admin, service, finance). Import: choose an .xlsx/.csv from a
 * chat (wx.chooseMessageFile), upload it to cloud storage, `community.importPreview` checks every
 * row and reports (errors by row, or what would be added/changed) without writing anything; the
 * admin confirms and `community.importConfirm` applies it, called again while it says `done:
 * false`. Export: `community.exportRoster` writes an .xlsx (masked unless an admin asks
 * otherwise; audited) and the page opens it for forwarding.
 */
import { staffPage } from '../staff-page';
import { chooseSheetFile, sheetFailed } from '../sheet-file';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { openCloudSheet } from '../../services/document';
import { confirmModal, notice } from '../../services/ui';
import {
  MAX_FILE_BYTES,
  sizeText,
  toReportView,
  toResultView,
  type ReportView,
  type ResultView,
} from './view';

type Phase = 'idle' | 'working' | 'report' | 'applied';

interface ChosenFile {
  name: string;
  sizeText: string;
}

interface ExportView {
  /** The half-hour link the function answered; reopening after that means exporting again. */
  tempFileURL: string;
  fileName: string;
  summary: string;
}

/** A confirm that keeps answering `done: false` is stopped rather than looped for ever. */
const MAX_CONFIRM_ROUNDS = 30;
const REOPEN = '请稍后在本页重新打开';

Component({
  behaviors: [staffPage({ roles: ['service', 'finance'] })],
  data: {
    canImport: false,
    phase: 'idle' as Phase,
    workingText: '',
    file: null as ChosenFile | null,
    report: null as ReportView | null,
    result: null as ResultView | null,
    unmasked: false,
    exporting: false,
    makingTemplate: false,
    exported: null as ExportView | null,
  },
  methods: {
    /** Only admins import; service and finance export the roster. */
    async load() {
      const canImport = this.data.staffScope!.isAdmin;
      this.setData({ canImport });
      if (!canImport) wx.setNavigationBarTitle({ title: '导出花名册' });
    },

    // ------------------------------------------------------------ import
    async onChoose() {
      if (this.data.phase === 'working') return;
      const picked = await chooseSheetFile(MAX_FILE_BYTES, '按楼栋分成几个文件导入');
      if (!picked) return;
      const format = picked.format;
      this.setData({
        phase: 'working',
        workingText: '正在上传文件',
        file: { name: picked.name, sizeText: sizeText(picked.size) },
        report: null,
        result: null,
      });
      try {
        const upload = await wx.cloud.uploadFile({
          cloudPath: `imports/${this.data.communityId}/${Date.now()}.${format}`,
          filePath: picked.path,
        });
        this.setData({ workingText: '正在逐行校验' });
        const report = await callQuiet('community', 'importPreview', {
          communityId: this.data.communityId,
          fileID: upload.fileID,
        });
        this.setData({ phase: 'report', report: toReportView(report) });
      } catch (err) {
        this.setData({ phase: 'idle' });
        sheetFailed(err);
      }
    },
    async onApply() {
      const report = this.data.report;
      if (!report?.valid || this.data.phase !== 'report') return;
      const [added, changed] = report.counts;
      const go = await confirmModal({
        title: '确认导入',
        content: report.alreadyApplied
          ? '该文件已导入过，再次确认不会重复写入。'
          : `将新增 ${added!.value} 套、变更 ${changed!.value} 套房屋的档案。表格中的业主将成为该房屋现任业主，原业主的登记和微信绑定会同时结束。确认导入吗？`,
        confirmText: '确认导入',
      });
      if (!go) return;
      this.setData({ phase: 'working', workingText: '正在导入' });
      try {
        for (let round = 1; ; round++) {
          const res = await callQuiet('community', 'importConfirm', {
            communityId: this.data.communityId,
            importId: report.importId,
          });
          if (res.done) {
            this.setData({ phase: 'applied', result: toResultView(res) });
            wx.pageScrollTo({ scrollTop: 0, duration: 0 });
            return;
          }
          if (round >= MAX_CONFIRM_ROUNDS) throw new Error('import did not finish');
          this.setData({ workingText: `正在导入，剩余 ${res.remaining} 项` });
        }
      } catch (err) {
        this.setData({ phase: 'report' });
        notice('导入未完成', `${messageOf(err)}。已写入的部分不会重复，稍后再次确认即可继续。`);
      }
    },
    onReset() {
      this.setData({ phase: 'idle', file: null, report: null, result: null });
    },
    async onTemplate() {
      await this.submit({
        busy: 'makingTemplate',
        send: () =>
          call(
            'community',
            'importTemplate',
            { communityId: this.data.communityId },
            { loading: '正在生成模板' },
          ),
        failTitle: '未能生成模板',
        reload: false,
        then: (file) => openCloudSheet(file, REOPEN),
      });
    },

    // ------------------------------------------------------------ export
    onUnmasked(e: { detail: boolean }) {
      this.setData({ unmasked: Boolean(e.detail) });
    },
    async onExport() {
      const unmasked = this.data.unmasked;
      await this.submit({
        busy: 'exporting',
        confirm: () =>
          unmasked
            ? confirmModal({
                title: '导出完整信息',
                content:
                  '导出的表格含完整手机号和身份证号，本次导出会记入操作日志。请妥善保管，用完及时删除。',
                confirmText: '继续导出',
              })
            : Promise.resolve(true),
        send: () => {
          this.setData({ exported: null });
          return call(
            'community',
            'exportRoster',
            { communityId: this.data.communityId, unmasked },
            { loading: '正在生成表格' },
          );
        },
        failTitle: '未能导出',
        reload: false,
        then: (file) => {
          this.setData({
            exported: {
              tempFileURL: file.tempFileURL,
              fileName: file.fileName,
              summary: `共 ${file.rowCount} 行，${file.masked ? '手机号与身份证号已脱敏' : '含完整信息，请妥善保管'}`,
            },
          });
          return openCloudSheet(file, REOPEN);
        },
      });
    },
    onOpenExported() {
      const f = this.data.exported;
      if (f) void openCloudSheet(f, REOPEN);
    },
  },
});
