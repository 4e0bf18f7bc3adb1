/**
 * Every collection the product uses, with its indexes: the single declaration that the setup
 * step (and the local cloud) create. Unique indexes here are relied on by the code.
 */
export interface IndexDecl {
  name: string;
  keys: string[];
  unique?: boolean;
}

export interface CollectionDecl {
  name: string;
  indexes: IndexDecl[];
}

export const COLLECTIONS: CollectionDecl[] = [
  {
    name: 'communities',
    indexes: [],
  },
  {
    name: 'staff_roles',
    // One grant document per person per community.
    indexes: [
      { name: 'community_openid', keys: ['communityId', 'openid'], unique: true },
      { name: 'openid', keys: ['openid'] },
    ],
  },
  {
    name: 'rooms',
    indexes: [
      {
        name: 'community_building_unit_number',
        keys: ['communityId', 'building', 'unit', 'number'],
        unique: true,
      },
    ],
  },
  {
    name: 'room_bindings',
    indexes: [
      { name: 'room_openid', keys: ['roomId', 'openid'], unique: true },
      { name: 'openid', keys: ['openid'] },
    ],
  },
  {
    name: 'bills',
    indexes: [
      { name: 'room_period_key', keys: ['roomId', 'period', 'key'], unique: true },
      { name: 'community_period', keys: ['communityId', 'period'] },
    ],
  },
  {
    name: 'notices',
    indexes: [{ name: 'community_published', keys: ['communityId', 'publishedAt'] }],
  },
];
