/**
 * community: the records staff keep for each community (settings, buildings, rooms, people on
 * record and their relations to rooms), roster import/export, and audited access to personal
 * data. Every action names its community and checks the caller's role there (`requireRole`);
 * lists mask mobiles and ID numbers. See docs/community.md.
 */
import { createRouter } from '../../_shared/router';
import { endRelation, linkPerson, listOwners, revealContact, saveOwner } from './actions/owners';
import { getRoomDetail, listRooms, saveRoom } from './actions/rooms';
import { exportRoster, importConfirm, importPreview, importTemplate } from './actions/roster';
import { getSettings, listBuildings, saveBuilding, updateSettings } from './actions/settings';
import { communityContracts } from '../../../miniprogram/domain/community/contract';

export const main = createRouter('community', communityContracts, {
  get: getSettings,
  update: updateSettings,
  buildings: listBuildings,
  saveBuilding,
  rooms: listRooms,
  room: getRoomDetail,
  saveRoom,
  owners: listOwners,
  saveOwner,
  linkPerson,
  endRelation,
  revealContact,
  importPreview,
  importConfirm,
  importTemplate,
  exportRoster,
});
