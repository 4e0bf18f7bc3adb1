/**
 * 车位与储藏室 (any staff reads; admin changes): parking spaces and storerooms by kind, with their
 * holder (a room and its person on record, masked), plates (masked) and dates. Admins add or edit
 * a space (the holder's room found by number), end a holding on a day (the next billing run
 * prorates that month by days), import a spreadsheet (checked first; any bad row refuses the whole
 * file, shown by row) and export one. The community function audits every change.
 */
import { shanghaiDate } from '../../domain/kernel/time';
import { staffPage } from '../staff-page';
import { pagedList } from '../paged-list';
import { checkedWith } from '../../behaviors/page-state';
import { api, type ActionInput } from '../../domain/api';
import { call, callQuiet, messageOf } from '../../services/cloud';
import { openCloudSheet } from '../../services/document';
import { confirmModal } from '../../services/ui';
import { chooseSheetFile, sheetFailed } from '../sheet-file';
import { MAX_FILE_BYTES } from '../import/view';
import type { RoomListItem } from '../../domain/community/contract';
import type { SpaceKind } from '../../domain/community/spaces';
import {
  KIND_TABS,
  emptyForm,
  formOf,
  saveInput,
  toImportView,
  toRow,
  type ImportView,
  type KindTab,
  type SpaceForm,
  type SpaceRow,
} from './view';

function today(): string {
  return shanghaiDate(new Date());
}

type Detail<T> = { detail: T };
type Tap<D extends Record<string, unknown>> = WechatMiniprogram.BaseEvent<Record<string, never>, D>;

Component({
  behaviors: [staffPage({ roles: ['cashier', 'service', 'finance'], showFirst: true }), pagedList],
  data: {
    tabs: KIND_TABS,
    tab: 'all' as KindTab,
    canEdit: false,
    items: [] as SpaceRow[],
    listLoading: false,
    listError: '',
    // add / edit
    form: null as SpaceForm | null,
    roomKeyword: '',
    matches: [] as { roomId: string; label: string }[],
    formError: '',
    saving: false,
    // end a holding
    endId: '',
    endDate: '',
    reason: '',
    endError: '',
    ending: false,
    // spreadsheet
    importing: false,
    importFileID: '',
    importView: null as ImportView | null,
    exporting: false,
  },
  methods: {
    load() {
      this.setData({ canEdit: this.data.staffScope!.isAdmin });
      return this.loadList();
    },
    /** The tab's first page, or with `more` the next (加载更多, scrolling). */
    loadList(more = false) {
      const kind = this.data.tab === 'all' ? {} : { kind: this.data.tab };
      return this.fillPage(
        more,
        (page) =>
          callQuiet('community', 'spaces', {
            communityId: this.data.communityId,
            ...kind,
            ...page,
          }),
        (page) => this.appendRows('items', page.items.map(toRow), more),
      );
    },
    onTab(e: Tap<{ value: KindTab }>) {
      const tab = e.currentTarget.dataset.value;
      if (tab === this.data.tab) return;
      this.setData({ tab, items: [], endId: '' });
      void this.loadList();
    },
    // ------------------------------------------------------------ add / edit
    onAdd() {
      this.setData({ form: emptyForm(today()), roomKeyword: '', matches: [], formError: '' });
    },
    onEdit(e: Tap<{ index: number }>) {
      const item = this.data.items[Number(e.currentTarget.dataset.index)];
      if (item) this.setData({ form: formOf(item), roomKeyword: '', matches: [], formError: '' });
    },
    onCancelForm() {
      this.setData({ form: null, formError: '' });
    },
    /** Any text field of the form: `data-field` names it. */
    onField(e: Tap<{ field: keyof SpaceForm }> & Detail<string | { value: string }>) {
      const d = e.detail;
      const value = typeof d === 'string' ? d : String(d?.value ?? '');
      this.setData({ [`form.${e.currentTarget.dataset.field}`]: value, formError: '' });
    },
    onKind(e: Tap<{ value: SpaceKind }>) {
      this.setData({ 'form.kind': e.currentTarget.dataset.value, formError: '' });
    },
    onRoomKeyword(e: Detail<string>) {
      this.setData({ roomKeyword: String(e.detail ?? ''), formError: '' });
    },
    async onFindRoom() {
      const keyword = this.data.roomKeyword.trim();
      if (!keyword) return this.setData({ formError: '请输入使用人的房号，如 1501' });
      try {
        const page = await callQuiet('community', 'rooms', {
          communityId: this.data.communityId,
          keyword,
          limit: 20,
        });
        const matches = page.items.map((r: RoomListItem) => ({ roomId: r.roomId, label: r.label }));
        this.setData({ matches, formError: matches.length ? '' : '没有找到该房号，请核对后再试' });
      } catch (err) {
        this.setData({ formError: messageOf(err) });
      }
    },
    onPickRoom(e: Tap<{ index: number }>) {
      const m = this.data.matches[Number(e.currentTarget.dataset.index)];
      if (m)
        this.setData({
          'form.holderRoomId': m.roomId,
          'form.holderRoomLabel': m.label,
          matches: [],
        });
    },
    onClearHolder() {
      this.setData({ 'form.holderRoomId': '', 'form.holderRoomLabel': '' });
    },
    async onSave() {
      const form = this.data.form;
      if (!form) return;
      await this.submit({
        busy: 'saving',
        check: () => checkedWith(api.community.saveSpace, saveInput(this.data.communityId, form)),
        error: 'formError',
        send: (input) =>
          // the contract's check passed: the input is what saveSpace takes
          call('community', 'saveSpace', input as ActionInput<'community', 'saveSpace'>, {
            loading: '正在保存',
          }),
        atField: () => true,
        failTitle: '保存未成功',
        then: () => this.setData({ form: null }),
        toast: '已保存',
      });
    },
    // ------------------------------------------------------------ end a holding
    onEnd(e: Tap<{ id: string }>) {
      this.setData({
        endId: e.currentTarget.dataset.id,
        endDate: today(),
        reason: '',
        endError: '',
      });
    },
    onCancelEnd() {
      this.setData({ endId: '', endError: '' });
    },
    onEndDate(e: Detail<{ value: string }>) {
      this.setData({ endDate: e.detail.value, endError: '' });
    },
    onReason(e: Detail<string>) {
      this.setData({ reason: String(e.detail ?? ''), endError: '' });
    },
    async onConfirmEnd() {
      await this.submit({
        busy: 'ending',
        check: () =>
          checkedWith(api.community.endSpace, {
            communityId: this.data.communityId,
            spaceId: this.data.endId,
            endDate: this.data.endDate,
            reason: this.data.reason.trim(),
          }),
        error: 'endError',
        send: (input) => call('community', 'endSpace', input, { loading: '正在提交' }),
        atField: () => true,
        failTitle: '未能结束',
        then: () => this.setData({ endId: '' }),
        toast: '已结束，按日计费',
      });
    },
    // ------------------------------------------------------------ spreadsheet
    async onImport() {
      if (this.data.importing) return;
      const picked = await chooseSheetFile(MAX_FILE_BYTES, '分成几个文件导入');
      if (!picked) return;
      this.setData({ importing: true, importView: null });
      try {
        const upload = await wx.cloud.uploadFile({
          cloudPath: `imports/${this.data.communityId}/${Date.now()}.${picked.format}`,
          filePath: picked.path,
        });
        const report = await callQuiet('community', 'importSpaces', {
          communityId: this.data.communityId,
          fileID: upload.fileID,
        });
        this.setData({ importFileID: upload.fileID, importView: toImportView(report) });
      } catch (err) {
        sheetFailed(err);
      } finally {
        this.setData({ importing: false });
      }
    },
    async onApplyImport() {
      const view = this.data.importView;
      if (!view?.valid || view.applied) return;
      await this.submit({
        busy: 'importing',
        confirm: () =>
          confirmModal({
            title: '确认导入',
            content: `${view.summary}。确认导入吗？`,
            confirmText: '确认导入',
          }),
        send: () =>
          call(
            'community',
            'importSpaces',
            { communityId: this.data.communityId, fileID: this.data.importFileID, apply: true },
            { loading: '正在导入' },
          ),
        failTitle: '导入未成功',
        then: (report) => this.setData({ importView: toImportView(report) }),
      });
    },
    onCloseImport() {
      this.setData({ importView: null });
    },
    /** 导出: masked for everyone; an admin's full file imports back unchanged (audited). */
    async onExport(e: Tap<{ unmasked: boolean }>) {
      const unmasked = e.currentTarget.dataset.unmasked === true;
      await this.submit({
        busy: 'exporting',
        send: () =>
          call(
            'community',
            'exportSpaces',
            { communityId: this.data.communityId, unmasked },
            { loading: '正在导出' },
          ),
        failTitle: '导出未成功',
        reload: false,
        then: (file) => openCloudSheet(file, '请稍后在本页重新导出'),
      });
    },
  },
});
