/**
 * The local cloud's equality indexes and aggregation plan (tools/cloud/field-index.ts,
 * aggregate-plan.ts) only narrow what mingo looks at: every query and pipeline gives exactly
 * what a scan gives, in the same order, through inserts, updates that move a document between
 * values, values that are arrays or missing, and deletes.
 */
import { Aggregator, find } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { Store } from '../../tools/cloud/store';

function scan(store: Store, coll: string): AnyObject[] {
  return store.find(coll, {}); // no condition: every document in natural order
}

const OUT = {
  $cond: [{ $gt: [{ $subtract: ['$amountFen', 100] }, 0] }, { $subtract: ['$amountFen', 100] }, 0],
};

function seeded(): Store {
  const store = new Store({});
  store.createCollection('bills');
  store.createCollection('rooms');
  // a declared index is kept from the first write; other fields are indexed on first use
  store.createIndex('bills', { name: 'room_period', keys: ['roomId', 'period'] });
  const rooms = [];
  for (let i = 0; i < 60; i++)
    rooms.push({ _id: `r${i}`, building: String(i % 3), tags: i % 7 === 0 ? ['a', 'b'] : 'a' });
  store.insert('rooms', rooms);
  const bills = [];
  for (let i = 0; i < 600; i++) {
    bills.push({
      _id: `b${i}`,
      roomId: `r${i % 60}`,
      period: `2026-${String(1 + (i % 12)).padStart(2, '0')}`,
      status: i % 5 === 0 ? 'unpaid' : i % 11 === 0 ? ['odd'] : 'paid',
      amountFen: i,
      ...(i % 17 === 0 ? { when: new Date(Date.UTC(2026, 0, 1 + (i % 28))) } : {}),
      ...(i % 13 === 0 ? {} : { kind: i % 2 === 0 ? 'property' : 'parking' }),
    });
  }
  store.insert('bills', bills);
  return store;
}

const QUERIES: AnyObject[] = [
  { period: '2026-03' },
  { status: 'unpaid', period: { $in: ['2026-01', '2026-02'] } },
  { status: { $in: ['unpaid', 'odd'] } },
  { $and: [{ status: 'paid' }, { amountFen: { $gt: 300 } }] },
  { kind: 'property' },
  { kind: null },
  { status: { $eq: 'paid' }, roomId: 'r7' },
];

test('queries through the indexes return what a scan returns, in scan order, after writes', () => {
  const store = seeded();
  const check = () => {
    const all = scan(store, 'bills');
    for (const q of QUERIES) expect(store.find('bills', q)).toEqual(find(all, q).all());
  };
  check();
  store.update(
    'bills',
    { period: '2026-03' },
    { $set: { status: 'unpaid' } },
    { multi: true, replace: false, upsert: false },
  );
  store.update(
    'bills',
    { _id: 'b1' },
    { $set: { period: '2026-03', kind: ['x'] } },
    { multi: false, replace: false, upsert: false },
  );
  store.remove('bills', { roomId: 'r7' }, { multi: true });
  store.insert('bills', [
    { _id: 'b1000', roomId: 'r1', period: '2026-03', status: 'unpaid', amountFen: 1 },
  ]);
  check();
});

test('pipelines with a leading match, field lookups and a distinct group equal mingo over the whole collections', () => {
  const store = seeded();
  const bills = scan(store, 'bills');
  const rooms = scan(store, 'rooms');
  const pipelines: AnyObject[][] = [
    [
      { $match: { status: 'unpaid' } },
      { $group: { _id: '$roomId', n: { $sum: 1 } } },
      { $lookup: { from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' } },
      { $sort: { _id: 1 } },
    ],
    [{ $group: { _id: '$period' } }, { $sort: { _id: -1 } }],
    [{ $group: { _id: '$kind' } }, { $sort: { _id: 1 } }],
    [
      { $match: { period: '2026-02' } },
      { $lookup: { from: 'rooms', localField: 'roomId', foreignField: '_id', as: 'r' } },
      { $unwind: '$r' },
      {
        $lookup: { from: 'rooms', localField: 'r.building', foreignField: 'building', as: 'same' },
      },
      { $project: { n: { $size: '$same' } } },
    ],
    [
      { $lookup: { from: 'rooms', localField: 'roomId', foreignField: 'tags', as: 'x' } },
      { $limit: 5 },
    ],
    // compiled $project and $group (tools/cloud/fast-stages.ts), and shapes left to mingo
    [
      { $project: { roomId: 1, kind: 1, out: OUT, late: { $gt: ['$amountFen', 300] } } },
      { $match: { out: { $gt: 0 } } },
      {
        $group: {
          _id: { roomId: '$roomId' },
          fen: { $sum: '$out' },
          n: { $sum: 1 },
          late: { $sum: { $cond: [{ $and: ['$late', { $in: ['$kind', ['property']] }] }, 1, 0] } },
          low: { $min: '$out' },
          high: { $max: '$out' },
          first: { $first: '$out' },
          ids: { $push: '$_id' },
        },
      },
      { $sort: { _id: 1 } },
    ],
    [{ $group: { _id: '$kind', n: { $sum: 1 }, p: { $max: '$period' } } }, { $sort: { _id: 1 } }],
    [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
    [{ $group: { _id: null, due: { $sum: { $add: ['$amountFen', 1] } }, at: { $min: '$when' } } }],
    [{ $project: { when: 1, d: { $ifNull: ['$kind', 'none'] }, m: { $max: [1, '$amountFen'] } } }],
    [
      {
        $project: {
          bucket: {
            $switch: {
              branches: [
                { case: { $gte: ['$period', '2026-10'] }, then: 'new' },
                { case: { $gte: ['$period', '2026-05'] }, then: 'mid' },
              ],
              default: 'old',
            },
          },
        },
      },
      { $group: { _id: '$bucket', n: { $sum: 1 }, kinds: { $addToSet: '$bucket' } } },
      { $sort: { _id: 1 } },
    ],
  ];
  for (const p of pipelines) {
    const expected = new Aggregator(p, {
      collectionResolver: (n: string) => (n === 'rooms' ? rooms : bills),
    }).run(bills);
    expect(store.aggregate('bills', p)).toEqual(expected);
  }
});
