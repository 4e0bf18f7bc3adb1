/**
 * 收费标准 (finance, admin): the community's standards with every price version (fee.standards);
 * create one with its first price (fee.saveStandard), change its rules, or add a new price from
 * a date (fee.addVersion: never rewrites issued bills). One page, four modes.
 */
import { shanghaiDate } from '../../domain/kernel/time';
import { elderBehavior } from '../../behaviors/elder';
import { CloudError, call, messageOf } from '../../services/cloud';
import { confirmModal, notice } from '../../services/ui';
import { staffScope } from '../scope';
import {
  BASIS_OPTIONS,
  CYCLE_OPTIONS,
  KIND_OPTIONS,
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

type Status = 'loading' | 'ready' | 'forbidden' | 'error';
type Mode = 'list' | 'create' | 'edit' | 'version';

const TITLES: Record<Mode, string> = {
  list: '收费标准',
  create: '新增收费标准',
  edit: '修改收费规则',
  version: '调整价格',
};

Component({
  behaviors: [elderBehavior],
  data: {
    status: 'loading' as Status,
    errorMessage: '',
    communityId: '',
    mode: 'list' as Mode,
    standards: [] as StandardCard[],
    raw: [] as FeeStandardView[],
    form: emptyForm('') as StandardForm,
    errors: {} as FormErrors,
    revision: 0,
    priceUnit: priceUnit('area'),
    kinds: KIND_OPTIONS,
    cycles: CYCLE_OPTIONS,
    modes: MODE_OPTIONS,
    roundings: ROUNDING_OPTIONS,
    bases: BASIS_OPTIONS,
    saving: false,
  },
  methods: {
    onLoad() {
      void this.init();
    },
    today(): string {
      return shanghaiDate(new Date());
    },
    async init() {
      this.setData({ status: 'loading' });
      try {
        const scope = await staffScope(['finance']);
        if (!scope) {
          this.setData({ status: 'forbidden' });
          return;
        }
        this.setData({ communityId: scope.communityId });
        await this.load();
        this.setData({ status: 'ready', errorMessage: '' });
      } catch (err) {
        this.setData({ status: 'error', errorMessage: messageOf(err) });
      }
    },
    async load() {
      const { standards } = await call(
        'fee',
        'standards',
        { communityId: this.data.communityId },
        { loading: false },
      );
      this.setData({ raw: standards, standards: standards.map(toStandardCard) });
    },
    onRetry() {
      void this.init();
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
    onCancel() {
      this.setMode('list');
    },
    onField(e: { detail: string; currentTarget: { dataset: { field: keyof StandardForm } } }) {
      const field = e.currentTarget.dataset.field;
      this.setData({ [`form.${field}`]: String(e.detail ?? ''), [`errors.${field}`]: '' });
      if (field === 'meterUnit')
        this.setData({ priceUnit: priceUnit(this.data.form.kind, String(e.detail ?? '')) });
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
      if (this.data.saving) return;
      const { mode, form, communityId, revision } = this.data;
      const rev = revision || undefined;
      const version = mode === 'version' ? checkVersion(form, communityId, rev) : null;
      const standard =
        mode === 'version' ? null : checkStandard(form, communityId, mode === 'create', rev);
      const failed = version && !version.ok ? version : standard && !standard.ok ? standard : null;
      if (failed && !failed.ok) {
        this.setData({ errors: failed.errors });
        const first = Object.values(failed.errors).find(Boolean);
        wx.showToast({ title: first ?? '请检查填写的内容', icon: 'none', duration: 2500 });
        return;
      }
      if (version?.ok) {
        const price = form.kind === 'oneOff' ? form.amount : form.unitPrice;
        const go = await confirmModal({
          title: '确认调整价格',
          content: `${form.name}自 ${form.effectiveFrom} 起按 ${price} ${this.data.priceUnit} 收取。已出账的账单不受影响，请确认已按规定提前公示。`,
          confirmText: '确认调整',
        });
        if (!go) return;
      }
      this.setData({ saving: true });
      try {
        if (version?.ok) await call('fee', 'addVersion', version.input, { loading: '正在保存' });
        else if (standard?.ok)
          await call('fee', 'saveStandard', standard.input, { loading: '正在保存' });
        wx.showToast({ title: '已保存', icon: 'success' });
        await this.load();
        this.setMode('list');
      } catch (err) {
        if (err instanceof CloudError) {
          const field = standardField(err.field);
          if (field) this.setData({ [`errors.${field}`]: err.message });
        }
        notice('保存未成功', messageOf(err));
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
