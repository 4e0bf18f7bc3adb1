/**
 * community: the records staff keep for each community (settings, buildings, rooms, people on
 * record and their relations to rooms), parking spaces and storerooms, roster import/export, and audited access to personal
 * data. Every action names its community and checks the caller's role there (`requireRole`);
 * lists mask mobiles and ID numbers. See docs/community.md.
 */
import { communityContracts } from '../../../miniprogram/domain/community/contract';
import { createRouter } from '../../_shared/router';
import { listBuildings, saveBuilding } from './actions/buildings';
import { endRelation, linkPerson, listOwners, revealContact, saveOwner } from './actions/owners';
import { getSettings, updateSettings } from './actions/profile';
import { getRoomDetail, listRooms, saveRoom } from './actions/rooms';
import { exportRoster, importTemplate } from './actions/roster-export';
import { importConfirm, importPreview } from './actions/roster-import';
import { endSpace, listSpaces, saveSpace } from './actions/spaces';
import { exportSpaces, importSpaces } from './actions/spaces-file';
import { endOccupancy } from './actions/occupancy';
import { roomLedger } from './actions/room-ledger';

export const main = createRouter('community', communityContracts, {
  get: getSettings,
  update: updateSettings,
  buildings: listBuildings,
  saveBuilding,
  rooms: listRooms,
  room: getRoomDetail,
  saveRoom,
  roomLedger,
  endOccupancy,
  owners: listOwners,
  saveOwner,
  linkPerson,
  endRelation,
  revealContact,
  importPreview,
  importConfirm,
  importTemplate,
  exportRoster,
  spaces: listSpaces,
  saveSpace,
  endSpace,
  importSpaces,
  exportSpaces,
});
