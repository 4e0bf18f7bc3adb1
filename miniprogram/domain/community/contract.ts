import { PAYMENT_CHANNELS, type PaymentChannel } from '../payment/channels';
import {
  areaCentiM2,
  buildingCode,
  communityId,
  contract,
  date,
  docId,
  fileId,
  freeText,
  idNumber,
  mobile,
  pageCursor,
  pageLimit,
  personName,
  reasonText,
  roomNumber,
  text,
  unitCode,
  z,
  type Page,
} from '../kernel/contract';
import {
  type BindingStatus,
  OCCUPANCIES,
  type Occupancy,
  RELATIONS,
  ROOM_USE_TYPES,
  type Relation,
  type RoomUseType,
} from './vocabulary';
import { type RowError } from './roster';
import { spaceContracts } from './spaces.contract';
import { endOccupancyInput, roomLedgerInput, type RoomAccount } from './account.contract';

// ---------------------------------------------------------------- community records, binding, staff
// See docs/community.md. Every staff action names its community; the function checks the caller's
// role there (admin implies every role). Personal data leaves the functions masked unless the
// action says otherwise (revealContact, unmasked export: admin only, always audited).

export interface CommunityInfo {
  communityId: string;
  name: string;
  address: string;
  servicePhone: string;
  serviceHours: string;
  frontDesk: string;
  paymentMethods: PaymentChannel[];
}

export interface BuildingInfo {
  buildingId: string;
  communityId: string;
  /** "1", "A": what rooms and import files use. */
  code: string;
  /** "1栋" unless named otherwise. */
  name: string;
  units: string[];
  floors: number | null;
  roomCount: number;
}

/** The primary owner of a room as lists show them: masked. */
export interface MaskedPerson {
  ownerId: string;
  /** "王**" */
  name: string;
  /** "138****5678" */
  mobile: string;
  specialCare: boolean;
}

export interface RoomListItem {
  roomId: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  /** "1栋1单元1501" */
  label: string;
  floor: number | null;
  /** 0.01 m² as stored; `buildingArea` is the same as text ("89.47"). */
  buildingAreaCentiM2: number;
  buildingArea: string;
  innerAreaCentiM2: number | null;
  innerArea: string | null;
  useType: RoomUseType;
  occupancy: Occupancy;
  moveInDate: string | null;
  owner: MaskedPerson | null;
  /** Any active person on record (owner, co-owner, family, tenant) needs special care. */
  specialCare: boolean;
  verifiedBindings: number;
}

/** A person on record (owners), as staff see them: mobile and ID number masked. */
export interface PersonRecord {
  ownerId: string;
  /** Full in a room's record (single-record view), masked in the owner list. */
  name: string;
  mobile: string;
  idNumber: string;
  hasIdNumber: boolean;
  specialCare: boolean;
  careNote: string | null;
}

/** A person on record for a room (room_owners), as staff see them. */
export interface RoomPerson extends PersonRecord {
  relationId: string;
  relation: Relation;
  since: string | null;
  until: string | null;
  active: boolean;
}

export interface StaffBindingView {
  bindingId: string;
  roomId: string;
  roomLabel: string;
  relation: Relation;
  status: BindingStatus;
  /** How the request matched the record: 'mobile', 'last4', 'invite', 'staff', 'seed'. */
  method: string;
  /** The applicant's name as entered, masked. */
  applicantName: string;
  requestedAt: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface RoomDetail extends RoomListItem {
  people: RoomPerson[];
  bindings: StaffBindingView[];
}

/** 房屋账户: the room's record and its account (account.contract.ts). */
export interface RoomLedger extends RoomAccount {
  room: RoomDetail;
}

export interface OwnerListItem extends PersonRecord {
  communityId: string;
  rooms: { roomId: string; label: string; relation: Relation; active: boolean }[];
}

export interface ImportFieldChange {
  /** Column header, e.g. "建筑面积(㎡)", "业主". */
  field: string;
  before: string;
  after: string;
}

export interface ImportRowChange {
  row: number;
  roomLabel: string;
  status: 'added' | 'changed';
  fields: ImportFieldChange[];
}

export interface ImportCounts {
  /** Rooms new to the community. */
  added: number;
  /** Rooms (or their owners on record) with at least one difference. */
  changed: number;
  unchanged: number;
  ownersAdded: number;
  ownersChanged: number;
  relationsAdded: number;
  relationsEnded: number;
}

export type ImportStatus = 'invalid' | 'ready' | 'applying' | 'applied';

/** What a file would do: every row validated; nothing written by a preview. */
export interface ImportReport {
  /** Pass to importConfirm. Keyed by community and file content (SHA-256). */
  importId: string;
  contentHash: string;
  format: 'xlsx' | 'csv';
  status: ImportStatus;
  dataRows: number;
  /** Problems with the file as a whole; any of these rejects it. */
  fileErrors: string[];
  /** Per-row errors (first 500); any of these rejects the whole file. */
  errors: RowError[];
  errorCount: number;
  warnings: string[];
  counts: ImportCounts;
  /** Added and changed rows (first 500), with masked personal values. */
  changes: ImportRowChange[];
  changesTruncated: boolean;
}

export interface ImportResult {
  importId: string;
  status: 'applying' | 'applied';
  /** False when the time budget ran out: call importConfirm again to continue (idempotent). */
  done: boolean;
  /** The differences found when applying started (what this import changed). */
  counts: ImportCounts;
  /** Writes still to do when `done` is false. */
  remaining: number;
  /** True when this import had already been applied: nothing was written again. */
  replayed: boolean;
}

export interface ExportedFile {
  /** Temporary link (half an hour); the file itself is never readable by id from a client. */
  tempFileURL: string;
  fileName: string;
  rowCount: number;
  masked: boolean;
}

const roomFields = {
  floor: z.optional(z.nullable(z.int().check(z.minimum(-20), z.maximum(300)))),
  buildingAreaCentiM2: areaCentiM2,
  innerAreaCentiM2: z.optional(z.nullable(areaCentiM2)),
  useType: z._default(z.enum(ROOM_USE_TYPES), 'residential'),
  occupancy: z._default(z.enum(OCCUPANCIES), 'occupied'),
  moveInDate: z.optional(z.nullable(date)),
};

/** A keyword search: a room number fragment, a surname, mobile digits. */
const keyword = z.optional(text(20));

export const communityContracts = {
  /** Any staff role of the community: its settings. */
  get: contract<CommunityInfo>()(z.strictObject({ communityId }), { idempotent: true }),
  /** Admin: change settings (audited). */
  update: contract<CommunityInfo>()(
    z
      .strictObject({
        communityId,
        name: z.optional(text(50)),
        // Owners reach the office by these: once set, they may change but never be blanked.
        address: z.optional(text(200, 1, '请填写地址（不能清空）')),
        servicePhone: z.optional(
          z
            .string()
            .check(
              z.trim(),
              z.regex(/^[0-9+\-\s()]{5,30}$/, '服务电话格式不正确'),
              z.maxLength(30),
            ),
        ),
        serviceHours: z.optional(text(50, 1, '请填写服务时间（不能清空）')),
        frontDesk: z.optional(text(100, 1, '请填写服务中心位置（不能清空）')),
        paymentMethods: z.optional(
          z
            .array(z.enum(PAYMENT_CHANNELS))
            .check(z.minLength(1, '请至少选择一种缴费方式'), z.maxLength(10)),
        ),
      })
      .check(z.refine((v) => Object.keys(v).length > 1, { message: '至少修改一项设置' })),
  ),
  /** Any staff role: buildings with their units and room counts. */
  buildings: contract<{ buildings: BuildingInfo[] }>()(z.strictObject({ communityId })),
  /** Admin: create or change a building and its units (audited). */
  saveBuilding: contract<BuildingInfo>()(
    z.strictObject({
      communityId,
      code: buildingCode,
      name: z.optional(text(20)),
      units: z.array(unitCode).check(
        z.minLength(1),
        z.maxLength(50),
        z.refine((u) => new Set(u).size === u.length, { message: '单元重复' }),
      ),
      floors: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(300)))),
    }),
  ),
  /** Any staff role: rooms, filtered; owners masked. */
  rooms: contract<Page<RoomListItem>>()(
    z.strictObject({
      communityId,
      building: z.optional(buildingCode),
      unit: z.optional(unitCode),
      /** A room number fragment, or an owner's surname / last 4 mobile digits. */
      keyword,
      occupancy: z.optional(z.enum(OCCUPANCIES)),
      specialCare: z.optional(z.boolean()),
      limit: pageLimit,
      cursor: pageCursor,
    }),
    { idempotent: true },
  ),
  /** Any staff role: one room with everyone on record and its bindings. */
  room: contract<RoomDetail>()(z.strictObject({ communityId, roomId: docId }), {
    idempotent: true,
  }),
  /** Cashier, finance, service, admin: one room's account (bills, payments…), newest first. */
  roomLedger: contract<RoomLedger>()(roomLedgerInput, { idempotent: true }),
  /**
   * Admin: the room's occupancy ends on `endDate` (vacated, sold, demolished): billing stops after
   * that day, the last month prorated by its days (inclusive). Audited.
   */
  endOccupancy: contract<RoomLedger>()(endOccupancyInput),
  /** Admin: create (no roomId) or change a room (audited). */
  saveRoom: contract<RoomListItem>()(
    z.strictObject({
      communityId,
      roomId: z.optional(docId),
      building: buildingCode,
      unit: unitCode,
      number: roomNumber,
      ...roomFields,
    }),
  ),
  /** Any staff role: owners and other people on record, masked. */
  owners: contract<Page<OwnerListItem>>()(
    z.strictObject({
      communityId,
      keyword,
      specialCare: z.optional(z.boolean()),
      limit: pageLimit,
      cursor: pageCursor,
    }),
  ),
  /** Admin: correct a person's details (audited, masked before/after). */
  saveOwner: contract<OwnerListItem>()(
    z
      .strictObject({
        communityId,
        ownerId: docId,
        name: z.optional(personName),
        mobile: z.optional(mobile),
        idNumber: z.optional(z.nullable(idNumber)),
        specialCare: z.optional(z.boolean()),
        careNote: z.optional(z.nullable(freeText(100))),
      })
      .check(z.refine((v) => Object.keys(v).length > 2, { message: '至少修改一项' })),
  ),
  /** Admin: put a person on record for a room (owner, co-owner, family, tenant) (audited). */
  linkPerson: contract<RoomDetail>()(
    z
      .strictObject({
        communityId,
        roomId: docId,
        relation: z.enum(RELATIONS),
        /** An existing person… */
        ownerId: z.optional(docId),
        /** …or a new one. */
        person: z.optional(
          z.strictObject({
            name: personName,
            mobile,
            idNumber: z.optional(idNumber),
            specialCare: z.optional(z.boolean()),
            careNote: z.optional(freeText(100)),
          }),
        ),
        since: z.optional(date),
      })
      .check(
        z.refine((v) => (v.ownerId === undefined) !== (v.person === undefined), {
          message: '请提供 ownerId 或 person 其中之一',
          path: ['ownerId'],
        }),
      ),
  ),
  /** Admin: end a relation on record (sold, moved out) (audited). */
  endRelation: contract<RoomDetail>()(
    z.strictObject({ communityId, relationId: docId, until: z.optional(date) }),
  ),
  /**
   * Admin (mobile, ID number) or service (mobile): the unmasked value, e.g. to phone a
   * special-care owner. Always audited with the reason.
   */
  revealContact: contract<{ ownerId: string; field: 'mobile' | 'idNumber'; value: string }>()(
    z.strictObject({
      communityId,
      ownerId: docId,
      field: z.enum(['mobile', 'idNumber']),
      reason: reasonText(100, '请填写查看原因'),
    }),
  ),
  /** Admin: validate an uploaded .xlsx/.csv (cloud fileID) and report what it would change. */
  importPreview: contract<ImportReport>()(z.strictObject({ communityId, fileID: fileId })),
  /** Admin: apply a previewed, valid file. Idempotent; resumable when `done` is false. */
  importConfirm: contract<ImportResult>()(
    z.strictObject({ communityId, importId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  ),
  /** Admin: an empty workbook with the expected headers and an example row. */
  importTemplate: contract<ExportedFile>()(z.strictObject({ communityId })),
  /**
   * Admin, finance, service: the room/owner roster as .xlsx, masked; `unmasked: true` is admin
   * only. Every export is audited.
   */
  exportRoster: contract<ExportedFile>()(
    z.strictObject({
      communityId,
      unmasked: z._default(z.boolean(), false),
      building: z.optional(buildingCode),
    }),
  ),
  /** Parking spaces and storerooms (docs/spaces.md). */
  ...spaceContracts,
};
