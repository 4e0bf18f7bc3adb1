/**
 * 认证房屋 (业主认证): pick community → building → unit → room (no personal data travels), enter
 * the name and the mobile on record (or its last 4 digits), and see the outcome: bound at once,
 * waiting for the property's review, or a polite notice when the details do not match or too
 * many attempts failed. Nothing here ever shows what is on record.
 *
 * Opened from a household notice's mini-program code (`scene`), the room is filled in and the
 * code's one-time token stands in for the mobile (only the name is asked); from an SMS link
 * (`roomId`), the room is filled in. An owner already bound to the room goes to its bills.
 */
import { RELATION_LABELS } from '../../domain/community/vocabulary';
import { pageState } from '../../behaviors/page-state';
import { call, callQuiet, messageOf } from '../../services/cloud';
import {
  NO_FORM_ERRORS,
  bindRefusal,
  checkBindForm,
  type BindRefusal,
  type ContactMode,
} from '../../utils/binding-view';
import type { BindingStatus } from '../../domain/community/vocabulary';
import type { CommunityOption, MyBinding, ScannedRoom } from '../../domain/binding/contract';

type Step = 'room' | 'form' | 'result';

interface BuildingOption {
  code: string;
  name: string;
  units: string[];
}

interface RoomOption {
  roomId: string;
  number: string;
  floor: number | null;
  label: string;
}

interface ResultView {
  status: BindingStatus;
  roomLabel: string;
  communityName: string;
  relationText: string;
}

/** Answers to a pick that was overtaken by another pick are dropped. */
let pickSeq = 0;

Component({
  behaviors: [pageState],
  data: {
    step: 'room' as Step,
    communities: [] as CommunityOption[],
    community: null as CommunityOption | null,
    buildings: [] as BuildingOption[],
    building: null as BuildingOption | null,
    unit: '',
    rooms: [] as RoomOption[],
    room: null as RoomOption | null,
    listLoading: false,
    listError: '',
    name: '',
    mode: 'mobile' as ContactMode,
    mobile: '',
    last4: '',
    errors: NO_FORM_ERRORS,
    submitting: false,
    refusal: null as BindRefusal | null,
    /** Too many failed attempts: the submit button stays off until the page is opened again. */
    locked: false,
    result: null as ResultView | null,
    /** From a household code or an SMS link: what to look up, and the code's token. */
    scene: '',
    openRoomId: '',
    token: '',
    codeError: '',
  },
  methods: {
    prepare(query: Record<string, string | undefined>) {
      this.setData({ scene: query.scene ?? '', openRoomId: query.roomId ?? '' });
    },
    async load() {
      if (this.data.scene || this.data.openRoomId) {
        const opened = await this.openFromLink();
        if (opened) return;
      }
      const { communities } = await callQuiet('binding', 'communities', {});
      this.setData({ communities });
      // one community: straight to its buildings (that list shows its own loading)
      if (communities.length === 1) void this.chooseCommunity(communities[0]!);
    },

    /** The room a household code or SMS link names, filled in; false: pick it as usual. */
    async openFromLink(): Promise<boolean> {
      const where = this.data.scene ? { scene: this.data.scene } : { roomId: this.data.openRoomId };
      this.setData({ scene: '', openRoomId: '' });
      let r: ScannedRoom;
      try {
        r = await callQuiet('binding', 'scan', where);
      } catch (err) {
        this.setData({ codeError: messageOf(err) });
        return false;
      }
      if (r.bound) {
        wx.switchTab({ url: '/pages/bills/index' });
        return true;
      }
      this.setData({
        community: { communityId: r.communityId, name: r.communityName, address: '' },
        building: null,
        unit: r.unit,
        room: { roomId: r.roomId, number: r.number, floor: r.floor, label: r.roomLabel },
        step: 'form',
        token: r.token ?? '',
        mode: r.token ? 'code' : 'mobile',
      });
      return true;
    },

    // ------------------------------------------------------------ ① the room
    async chooseCommunity(community: CommunityOption) {
      const seq = ++pickSeq;
      this.setData({
        community,
        building: null,
        unit: '',
        room: null,
        buildings: [],
        rooms: [],
        listLoading: true,
        listError: '',
      });
      try {
        const { buildings } = await callQuiet('binding', 'buildings', {
          communityId: community.communityId,
        });
        if (seq !== pickSeq) return;
        this.setData({ buildings, listLoading: false });
      } catch (err) {
        if (seq !== pickSeq) return;
        this.setData({ listLoading: false, listError: messageOf(err) });
      }
    },
    async chooseUnit(unit: string) {
      const community = this.data.community;
      const building = this.data.building;
      if (!community || !building) return;
      const seq = ++pickSeq;
      this.setData({ unit, room: null, rooms: [], listLoading: true, listError: '' });
      try {
        const { rooms } = await callQuiet('binding', 'rooms', {
          communityId: community.communityId,
          building: building.code,
          unit,
        });
        if (seq !== pickSeq) return;
        this.setData({ rooms, listLoading: false });
      } catch (err) {
        if (seq !== pickSeq) return;
        this.setData({ listLoading: false, listError: messageOf(err) });
      }
    },
    onPickCommunity(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const c = this.data.communities[e.currentTarget.dataset.index];
      if (c) void this.chooseCommunity(c);
    },
    onPickBuilding(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const building = this.data.buildings[e.currentTarget.dataset.index];
      if (!building) return;
      this.setData({ building, unit: '', room: null, rooms: [], listError: '' });
      if (building.units.length === 1) void this.chooseUnit(building.units[0]!);
    },
    onPickUnit(e: WechatMiniprogram.BaseEvent<Record<string, never>, { unit: string }>) {
      void this.chooseUnit(String(e.currentTarget.dataset.unit));
    },
    onPickRoom(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index: number }>) {
      const room = this.data.rooms[e.currentTarget.dataset.index];
      if (!room) return;
      this.setData({ room, step: 'form', refusal: this.data.locked ? this.data.refusal : null });
      wx.pageScrollTo({ scrollTop: 0, duration: 0 });
    },
    /** 更改: go back to a level; everything below it is chosen again. */
    onChange(e: WechatMiniprogram.BaseEvent<Record<string, never>, { level: string }>) {
      const level = e.currentTarget.dataset.level;
      pickSeq++;
      if (level === 'community') {
        this.setData({
          community: null,
          building: null,
          unit: '',
          room: null,
          buildings: [],
          rooms: [],
          listLoading: false,
        });
      } else if (level === 'building') {
        this.setData({ building: null, unit: '', room: null, rooms: [], listLoading: false });
      } else if (level === 'unit') {
        this.setData({ unit: '', room: null, rooms: [], listLoading: false });
      }
      this.setData({ step: 'room', listError: '' });
    },
    onChangeRoom() {
      // Another room: the code's token belongs to this one only.
      if (this.data.token) void this.leaveCode();
      this.setData({
        step: 'room',
        room: null,
        refusal: this.data.locked ? this.data.refusal : null,
      });
    },

    // ------------------------------------------------------------ ② the details on record
    onField(e: { detail: string; currentTarget: { dataset: { field: string } } }) {
      const field = e.currentTarget.dataset.field;
      if (field !== 'name' && field !== 'mobile' && field !== 'last4') return;
      this.setData({ [field]: String(e.detail ?? ''), [`errors.${field}`]: '' });
    },
    async leaveCode() {
      this.setData({ token: '', mode: 'mobile' });
      if (this.data.communities.length === 0) {
        const { communities } = await callQuiet('binding', 'communities', {});
        this.setData({ communities });
        if (communities.length === 1) void this.chooseCommunity(communities[0]!);
      }
    },
    onMode(e: WechatMiniprogram.BaseEvent<Record<string, never>, { mode: ContactMode }>) {
      const mode = e.currentTarget.dataset.mode;
      if (mode === this.data.mode) return;
      this.setData({ mode, errors: NO_FORM_ERRORS });
    },
    async onSubmit() {
      const room = this.data.room;
      if (this.data.submitting || !room) return;
      if (this.data.locked) return;
      const checked = checkBindForm(
        {
          name: this.data.name,
          mode: this.data.mode,
          mobile: this.data.mobile,
          last4: this.data.last4,
          token: this.data.token,
        },
        room.roomId,
      );
      if (!checked.ok) {
        this.setData({ errors: checked.errors });
        return;
      }
      this.setData({ submitting: true, refusal: null });
      try {
        const b: MyBinding = await call(
          'binding',
          'request',
          { roomId: room.roomId, ...checked.input },
          { loading: '正在核对信息' },
        );
        this.setData({
          step: 'result',
          result: {
            status: b.status,
            roomLabel: b.roomLabel || room.label,
            communityName: b.communityName || this.data.community?.name || '',
            relationText: RELATION_LABELS[b.relation],
          },
        });
        wx.pageScrollTo({ scrollTop: 0, duration: 0 });
      } catch (err) {
        const refusal = bindRefusal(err);
        this.setData({ refusal, locked: refusal.kind === 'rate-limited' });
      } finally {
        this.setData({ submitting: false });
      }
    },

    // ------------------------------------------------------------ ③ the outcome, and elsewhere
    onDone() {
      if (getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
      else wx.redirectTo({ url: '/pages/rooms/index' });
    },
    onBills() {
      wx.switchTab({ url: '/pages/bills/index' });
    },
    onInviteCode() {
      wx.navigateTo({ url: '/pages/bind/join' });
    },
    onPrivacy() {
      wx.navigateTo({ url: '/pages/privacy/index' });
    },
  },
});
