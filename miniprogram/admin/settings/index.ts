/**
 * 部署设置 (admin): what this deployment configures instead of hard-coding — the community
 * profile owners see (`community.get/update`: name, address, service phone and hours, front
 * desk, accepted payment methods) and the deployment settings (`settings.get/update`: WeChat Pay
 * sub-merchant id, refund approval threshold in ¥, reminder quiet hours, binding review mode,
 * the owners' meter-reading window, how long daily backups are kept (with a link to the backup
 * list), and the subscribe-message templates with their keyword rows). Both forms are checked with the
 * functions' contracts before sending; the server also checks templates against WeChat's keyword
 * rules; every message is shown next to the field it names.
 */
import { type PaymentChannel } from '../../domain/payment/channels';
import type { KeywordType } from '../../domain/notice/subscribe';
import { staffPage } from '../staff-page';
import { CloudError, call, callQuiet } from '../../services/cloud';
import {
  KEYWORD_TYPE_TEXT,
  NO_PROFILE_ERRORS,
  PAYMENT_METHOD_OPTIONS,
  checkProfile,
  deployInput,
  fieldErrors,
  keywordRow,
  profileChanges,
  profileErrors,
  templateErrors,
  templateRows,
  toDeployForm,
  toProfileForm,
  typeOfKey,
  type DeployForm,
  type ProfileForm,
  type TemplateRow,
} from './form';
import type { CommunityInfo } from '../../domain/community/contract';
import type { DeploymentSettings } from '../../domain/settings/contract';

/** WeChat's action sheet takes 6 entries: the types templates use most. */
const COMMON_TYPES: KeywordType[] = [
  'thing',
  'amount',
  'date',
  'time',
  'character_string',
  'phrase',
];

const NO_DEPLOY_ERRORS = {
  subMchId: '',
  refund: '',
  charge: '',
  quiet: '',
  binding: '',
  keepDays: '',
  windowDays: '',
  smsCap: '',
  smsSignature: '',
  leadDays: '',
};
/** The deployment form's text fields and where each one's message shows. */
const DEPLOY_FIELDS: Record<string, keyof typeof NO_DEPLOY_ERRORS> = {
  subMchId: 'subMchId',
  refundText: 'refund',
  chargeText: 'charge',
  quietFrom: 'quiet',
  quietTo: 'quiet',
  keepDaysText: 'keepDays',
  windowDaysText: 'windowDays',
  smsCapText: 'smsCap',
  smsSignature: 'smsSignature',
  leadDaysText: 'leadDays',
};
type TplErrors = ReturnType<typeof templateErrors>;

/** Messages stand next to their fields: a toast says to look there. */
function askToFix(shown: boolean): boolean {
  if (shown) wx.showToast({ title: '请按提示修改后再保存', icon: 'none' });
  return shown;
}

function methodOptions(selected: PaymentChannel[]) {
  return PAYMENT_METHOD_OPTIONS.map((o) => ({ ...o, on: selected.includes(o.value) }));
}

Component({
  behaviors: [staffPage({ roles: ['admin'] })],
  data: {
    communityName: '',
    profile: null as ProfileForm | null,
    savedProfile: null as ProfileForm | null,
    methods: methodOptions([]),
    profileErrors: NO_PROFILE_ERRORS,
    savingProfile: false,
    deploy: null as DeployForm | null,
    rows: [] as TemplateRow[],
    deployErrors: NO_DEPLOY_ERRORS,
    tplErrors: {} as TplErrors,
    savingDeploy: false,
  },
  methods: {
    async load() {
      const communityId = this.data.communityId;
      const [settings, community] = await Promise.all([
        callQuiet('settings', 'get', { communityId }),
        callQuiet('community', 'get', { communityId }),
      ]);
      this.showProfile(community);
      this.showSettings(settings);
    },
    showProfile(c: CommunityInfo) {
      const profile = toProfileForm(c);
      this.setData({
        communityName: c.name,
        profile,
        savedProfile: toProfileForm(c),
        methods: methodOptions(profile.paymentMethods),
        profileErrors: NO_PROFILE_ERRORS,
      });
    },
    showSettings(s: DeploymentSettings) {
      this.setData({
        deploy: toDeployForm(s),
        rows: templateRows(s),
        deployErrors: NO_DEPLOY_ERRORS,
        tplErrors: {},
      });
    },

    // ------------------------------------------------------------ community profile
    onProfileField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field;
      if (!(field in NO_PROFILE_ERRORS) || field === 'paymentMethods') return;
      this.setData({
        [`profile.${field}`]: String(e.detail ?? ''),
        [`profileErrors.${field}`]: '',
      });
    },
    onMethod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: PaymentChannel }>) {
      const profile = this.data.profile;
      if (!profile) return;
      const m = e.currentTarget.dataset.value;
      const paymentMethods = profile.paymentMethods.includes(m)
        ? profile.paymentMethods.filter((x) => x !== m)
        : [...profile.paymentMethods, m];
      this.setData({
        'profile.paymentMethods': paymentMethods,
        methods: methodOptions(paymentMethods),
        'profileErrors.paymentMethods': '',
      });
    },
    async onSaveProfile() {
      const { profile, savedProfile, communityId } = this.data;
      if (!profile || !savedProfile) return;
      const change = profileChanges(savedProfile, profile);
      if (Object.keys(change).length === 0) {
        wx.showToast({ title: '小区信息没有改动', icon: 'none' });
        return;
      }
      await this.submit({
        busy: 'savingProfile',
        check: () => checkProfile(communityId, change),
        errors: 'profileErrors',
        toastFirstError: true,
        send: (input) => call('community', 'update', input, { loading: '正在保存' }),
        showError: (err) => {
          const next = err instanceof CloudError ? profileErrors(err.fields) : NO_PROFILE_ERRORS;
          this.setData({ profileErrors: next });
          return askToFix(Object.values(next).some(Boolean));
        },
        failTitle: '保存未成功',
        then: (saved) => this.showProfile(saved),
        toast: '小区信息已保存',
        reload: false,
      });
    },

    // ------------------------------------------------------------ deployment settings
    onDeployField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field;
      const errorKey = DEPLOY_FIELDS[field];
      if (!errorKey) return;
      this.setData({
        [`deploy.${field}`]: String(e.detail ?? ''),
        [`deployErrors.${errorKey}`]: '',
      });
    },
    onBindingReview(e: WechatMiniprogram.BaseEvent<Record<string, never>, { value: string }>) {
      const v = e.currentTarget.dataset.value === 'staff' ? 'staff' : 'auto';
      this.setData({ 'deploy.bindingReview': v, 'deployErrors.binding': '' });
    },
    onBackups() {
      wx.navigateTo({ url: '/admin/backups/index' });
    },
    onTemplateId(e: { detail: string; currentTarget: { dataset: { row: number } } }) {
      const row = e.currentTarget.dataset.row;
      this.setData({ [`rows[${row}].templateId`]: String(e.detail ?? '') });
      this.clearTemplateErrors(row);
    },
    onKeywordKey(e: { detail: string; currentTarget: { dataset: { row: number; kw: number } } }) {
      const { row, kw } = e.currentTarget.dataset;
      const key = String(e.detail ?? '');
      const type = typeOfKey(key);
      this.setData({
        [`rows[${row}].keywords[${kw}].key`]: key,
        // `amount2` names its type: follow it
        ...(type
          ? {
              [`rows[${row}].keywords[${kw}].type`]: type,
              [`rows[${row}].keywords[${kw}].typeText`]: KEYWORD_TYPE_TEXT[type],
            }
          : {}),
      });
      this.clearTemplateErrors(row);
    },
    onKeywordType(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { row: number; kw: number }>,
    ) {
      const { row, kw } = e.currentTarget.dataset;
      wx.showActionSheet({
        itemList: COMMON_TYPES.map((t) => `${KEYWORD_TYPE_TEXT[t]}（${t}）`),
        success: (res) => {
          const type = COMMON_TYPES[res.tapIndex];
          if (!type) return;
          this.setData({
            [`rows[${row}].keywords[${kw}].type`]: type,
            [`rows[${row}].keywords[${kw}].typeText`]: KEYWORD_TYPE_TEXT[type],
          });
          this.clearTemplateErrors(row);
        },
      });
    },
    onAddKeyword(e: WechatMiniprogram.BaseEvent<Record<string, never>, { row: number }>) {
      const row = e.currentTarget.dataset.row;
      const r = this.data.rows[row];
      if (!r || r.keywords.length >= 5) return;
      this.setData({
        [`rows[${row}].keywords`]: [
          ...r.keywords,
          keywordRow(`thing${r.keywords.length + 1}`, 'thing'),
        ],
      });
      this.clearTemplateErrors(row);
    },
    onRemoveKeyword(
      e: WechatMiniprogram.BaseEvent<Record<string, never>, { row: number; kw: number }>,
    ) {
      const { row, kw } = e.currentTarget.dataset;
      const r = this.data.rows[row];
      if (!r) return;
      this.setData({ [`rows[${row}].keywords`]: r.keywords.filter((_, i) => i !== kw) });
      this.clearTemplateErrors(row);
    },
    clearTemplateErrors(row: number) {
      const purpose = this.data.rows[row]?.purpose;
      if (purpose && this.data.tplErrors[purpose]) this.setData({ [`tplErrors.${purpose}`]: null });
    },
    async onSaveDeploy() {
      const { deploy, rows, communityId } = this.data;
      if (!deploy) return;
      const checked = deployInput(communityId, deploy, rows);
      if (!checked.ok) {
        this.showDeployErrors(checked.errors);
        askToFix(true);
        return;
      }
      await this.submit({
        busy: 'savingDeploy',
        send: () => call('settings', 'update', checked.input, { loading: '正在保存' }),
        showError: (err) => {
          const errors = fieldErrors(err);
          if (Object.keys(errors).length) this.showDeployErrors(errors);
          return askToFix(Object.keys(errors).length > 0);
        },
        failTitle: '保存未成功',
        then: (saved) => this.showSettings(saved),
        toast: '部署设置已保存',
        reload: false,
      });
    },
    showDeployErrors(errors: Record<string, string>) {
      const find = (prefix: string) =>
        Object.entries(errors).find(([f]) => f === prefix || f.startsWith(`${prefix}.`))?.[1] ?? '';
      this.setData({
        deployErrors: {
          subMchId: find('subMchId'),
          refund: find('refundApprovalFen'),
          charge: find('chargeApprovalFen'),
          quiet: find('quietHours'),
          binding: find('bindingReview'),
          keepDays: find('backupKeepDays'),
          windowDays: find('readingWindowDays'),
          smsCap: find('smsDailyCap'),
          smsSignature: find('smsSignature'),
          leadDays: find('noticeLeadDays'),
        },
        tplErrors: templateErrors(errors, this.data.rows),
      });
    },
  },
});
