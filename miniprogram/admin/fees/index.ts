/**
 * 收费标准 (finance, admin): the community's standards with every price version (fee.standards);
 * create one with its first price (fee.saveStandard), change its rules, or add a new price from
 * a date (fee.addVersion: never rewrites issued bills). One page, four modes.
 */
import { shanghaiDate } from '../../domain/kernel/time';
import { staffPage } from '../staff-page';
import { call, callQuiet } from '../../services/cloud';
import { confirmModal } from '../../services/ui';
import {
  BASIS_OPTIONS,
  CYCLE_OPTIONS,
  KIND_OPTIONS,
  SCOPE_OPTIONS,
  applicabilityOf,
  type ScopeChoice,
  MODE_OPTIONS,
  ROUNDING_OPTIONS,
  checkStandard,
  checkVersion,
  standardField,
  emptyForm,
  formOf,
  priceUnit,
  toStandardCard,
  type FormErrors,
  type StandardCard,
  type StandardForm,
} from './form';
import type { FeeStandardView } from '../../domain/fee/contract';

type Mode = 'list' | 'create' | 'edit' | 'version';

const TITLES: Record<Mode, string> = {
  list: '收费标准',
  create: '新增收费标准',
  edit: '修改收费规则',
  version: '调整价格',
};

type Passed<R> = R extends { ok: true; input: infer I } ? I : never;
/** What a save sends: a new price version, or the standard itself. */
type Save =
  | { version: Passed<ReturnType<typeof checkVersion>> }
  | { standard: Passed<ReturnType<typeof checkStandard>> };

Component({
  behaviors: [staffPage({ roles: ['finance'] })],
  data: {
    mode: 'list' as Mode,
    standards: [] as StandardCard[],
    raw: [] as FeeStandardView[],
    form: emptyForm('') as StandardForm,
    errors: {} as FormErrors,
    revision: 0,
    priceUnit: priceUnit('area'),
    kinds: KIND_OPTIONS,
    scopes: SCOPE_OPTIONS,
    cycles: CYCLE_OPTIONS,
    modes: MODE_OPTIONS,
    roundings: ROUNDING_OPTIONS,
    bases: BASIS_OPTIONS,
    saving: false,
  },
  methods: {
    today(): string {
      return shanghaiDate(new Date());
    },
    async load() {
      const { standards } = await callQuiet('fee', 'standards', {
        communityId: this.data.communityId,
      });
      this.setData({ raw: standards, standards: standards.map(toStandardCard) });
    },
    setMode(mode: Mode) {
      this.setData({ mode });
      wx.setNavigationBarTitle?.({ title: TITLES[mode] });
      wx.pageScrollTo({ scrollTop: 0, duration: 0 });
    },
    onCreate() {
      const form = emptyForm(this.today());
      this.setData({ form, errors: {}, revision: 0, priceUnit: priceUnit(form.kind) });
      this.setMode('create');
    },
    standardOf(e: WechatMiniprogram.BaseEvent<Record<string, never>, { itemId: string }>) {
      return this.data.raw.find((s) => s.itemId === e.currentTarget.dataset.itemId);
    },
    onEdit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { itemId: string }>) {
      const s = this.standardOf(e);
      if (!s) return;
      this.setData({ form: formOf(s, this.today()), errors: {}, revision: s.revision });
      this.setMode('edit');
    },
    onAddVersion(e: WechatMiniprogram.BaseEvent<Record<string, never>, { itemId: string }>) {
      const s = this.standardOf(e);
      if (!s) return;
      const form = formOf(s, this.today());
      const last = s.versions[s.versions.length - 1]?.pricing;
      const meterUnit = last?.kind === 'meter' ? last.unit : '';
      this.setData({
        form: { ...form, meterUnit, approvalRef: '' },
        errors: {},
        revision: s.revision,
        priceUnit: priceUnit(s.kind, meterUnit),
      });
      this.setMode('version');
    },
    /** A billed standard: its price changes only through 调价公示 (fee.addVersion refuses it). */
    onAdjust(e: WechatMiniprogram.BaseEvent<Record<string, never>, { itemId: string }>) {
      wx.navigateTo({
        url: `/admin/adjustments/index?itemId=${encodeURIComponent(e.currentTarget.dataset.itemId)}`,
      });
    },
    onCancel() {
      this.setMode('list');
    },
    onField(e: { detail: string; currentTarget: { dataset: { field: keyof StandardForm } } }) {
      const field = e.currentTarget.dataset.field;
      this.setData({ [`form.${field}`]: String(e.detail ?? ''), [`errors.${field}`]: '' });
      if (field === 'meterUnit')
        this.setData({ priceUnit: priceUnit(this.data.form.kind, String(e.detail ?? '')) });
    },
    /** 适用对象: all rooms, or parking spaces / storerooms of a kind. */
    onScope(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: ScopeChoice }>) {
      const choice = e.currentTarget.dataset.value;
      this.setData({ 'form.scope': choice, 'form.applicability': applicabilityOf(choice) });
    },
    onChoose(
      e: WechatMiniprogram.BaseEvent<
        Record<string, never>,
        { field: keyof StandardForm; value: string }
      >,
    ) {
      const { field, value } = e.currentTarget.dataset;
      if (field === 'kind' && this.data.mode !== 'create') return;
      this.setData({ [`form.${field}`]: value });
      if (field === 'kind')
        this.setData({
          priceUnit: priceUnit(value as StandardForm['kind'], this.data.form.meterUnit),
        });
    },
    onLateFee(e: { detail: boolean }) {
      this.setData({ 'form.lateFeeOn': e.detail });
    },
    async onSave() {
      const { mode, form, communityId, revision } = this.data;
      const rev = revision || undefined;
      await this.submit<Save, unknown>({
        busy: 'saving',
        check: () => {
          if (mode === 'version') {
            const v = checkVersion(form, communityId, rev);
            return v.ok ? { ok: true, input: { version: v.input } } : v;
          }
          const c = checkStandard(form, communityId, mode === 'create', rev);
          return c.ok ? { ok: true, input: { standard: c.input } } : c;
        },
        errors: 'errors',
        toastFirstError: true,
        // a new price from a date: say what it does before it is saved
        confirm: (save) =>
          'standard' in save
            ? Promise.resolve(true)
            : confirmModal({
                title: '确认调整价格',
                content: `${form.name}自 ${form.effectiveFrom} 起按 ${form.kind === 'oneOff' ? form.amount : form.unitPrice} ${this.data.priceUnit} 收取。已出账的账单不受影响，请确认已按规定提前公示。`,
                confirmText: '确认调整',
              }),
        send: (save) =>
          'version' in save
            ? call('fee', 'addVersion', save.version, { loading: '正在保存' })
            : call('fee', 'saveStandard', save.standard, { loading: '正在保存' }),
        fieldOf: (f) => standardField(f) ?? '',
        alwaysNotice: true,
        failTitle: '保存未成功',
        toast: '已保存',
        reload: false,
        then: async () => {
          await this.reload();
          this.setMode('list');
        },
      });
    },
  },
});
