/**
 * The privacy notice (个人信息保护说明) shown from 我的: what is collected, why, on what basis, who
 * sees it and for how long (PIPL arts. 7, 17). Structured content only; the page renders it.
 * Keep it in step with what the functions actually store (docs/community.md lists the fields).
 */

export interface PrivacyDataItem {
  /** What is collected. */
  data: string;
  /** Why. */
  purpose: string;
  /** Lawful basis (PIPL art. 13). */
  basis: string;
  /** Who can see it, and how it is shown. */
  access: string;
  /** How long it is kept. */
  retention: string;
  /** Whether the owner must provide it. */
  required: boolean;
}

export interface PrivacySection {
  heading: string;
  paragraphs: string[];
}

export interface PrivacyNotice {
  title: string;
  /** Bump when the content changes, so the page can ask for a fresh acknowledgement. */
  version: string;
  effectiveDate: string;
  summary: string;
  items: PrivacyDataItem[];
  sections: PrivacySection[];
}

export const PRIVACY_NOTICE: PrivacyNotice = {
  title: '个人信息保护说明',
  version: '2026-11-1',
  effectiveDate: '2026-11-26',
  summary:
    '我们只收集提供物业服务与收费所必需的个人信息，在列表和导出中对手机号、身份证号做脱敏显示，' +
    '仅授权的物业工作人员可以查看，所有查看完整信息和导出的操作都会留下记录。',
  items: [
    {
      data: '微信身份标识（OpenID）',
      purpose: '识别您的账号，确认您只能查看自己绑定房屋的账单和信息',
      basis: '履行物业服务合同所必需',
      access: '仅系统使用，不向工作人员展示',
      retention: '账号使用期间；解绑全部房屋且无未结账单后 3 年内删除',
      required: true,
    },
    {
      data: '姓名、手机号',
      purpose: '核对业主身份、绑定房屋、发送缴费与服务通知、电话回访',
      basis: '履行物业服务合同所必需',
      access: '物业管理员、客服可见；列表与导出中脱敏（如 138****5678），查看完整号码会被记录',
      retention: '物业服务关系存续期间；房屋过户或合同终止后 3 年内删除',
      required: true,
    },
    {
      data: '房屋信息（楼栋、房号、面积、入住状态）',
      purpose: '计算物业费等费用、开具收据',
      basis: '履行物业服务合同所必需',
      access: '物业工作人员可见',
      retention: '物业服务关系存续期间，账务记录按会计档案要求保存',
      required: true,
    },
    {
      data: '身份证号',
      purpose: '仅在办理产权核验等确有需要的业务时登记',
      basis: '您的单独同意',
      access: '仅物业管理员可查看完整号码，每次查看都会被记录；不会向业主端展示',
      retention: '业务办结后 3 年内删除；您可随时要求删除',
      required: false,
    },
    {
      data: '特殊关怀标记（如独居老人、行动不便）',
      purpose: '改用电话或上门方式联系，提供更周到的服务',
      basis: '您或家属的同意',
      access: '物业管理员、客服可见',
      retention: '您要求取消或物业服务关系终止时删除',
      required: false,
    },
    {
      data: '缴费与账单记录',
      purpose: '收费、开具收据与发票、对账、向全体业主公示收支（公示不含个人信息）',
      basis: '履行合同及法定义务（会计档案）',
      access: '收费员、财务、管理员可见',
      retention: '按《会计档案管理办法》保存 30 年',
      required: true,
    },
  ],
  sections: [
    {
      heading: '我们如何保护您的信息',
      paragraphs: [
        '数据存放在物业公司自有的微信云开发环境中，小程序端无法直接读写数据库，所有访问都经过云函数校验身份和权限。',
        '工作人员按岗位授权（管理员、收费员、客服、财务），只能看到其所在小区、岗位所需的信息。',
        '查看完整手机号或身份证号、导出花名册、修改房屋和业主信息等操作都会写入不可修改的操作日志。',
      ],
    },
    {
      heading: '房屋绑定',
      paragraphs: [
        '绑定房屋时需填写物业登记的业主姓名及手机号（或手机号后 4 位）。信息不一致时，我们不会提示登记的内容；连续多次失败将暂时限制绑定，以防他人冒用。',
        '业主可邀请家庭成员或租户绑定，也可随时解除其绑定。',
      ],
    },
    {
      heading: '您的权利',
      paragraphs: [
        '您可以查阅、更正您的个人信息，撤回同意，或要求删除非必要的信息（如身份证号、特殊关怀标记）。',
        '请通过「我的」中的物业服务电话或到物业服务中心办理，我们将在 15 个工作日内答复。',
      ],
    },
    {
      heading: '不会做的事',
      paragraphs: [
        '不向第三方出售或提供您的个人信息；不把您的信息用于与物业服务无关的营销。',
        '催缴欠费不会采取停水、停电、停气等措施（《民法典》第九百四十四条）。',
      ],
    },
  ],
};
