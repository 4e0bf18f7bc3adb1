import {
  holdCovers,
  isHeld,
  pausesForBill,
  type HoldDoc,
} from '../../cloudfunctions/_shared/holds';

const base: HoldDoc = {
  _id: 'h1',
  communityId: 'c1',
  roomId: 'r1',
  billIds: [],
  reason: 'complaint',
  refId: 't1',
  from: '2026-03-05',
  to: null,
  active: true,
  note: '',
  createdBy: 'o_staff',
  createdAt: new Date(0),
};

test('an open hold covers every bill of the room from its first day on', () => {
  expect(holdCovers(base, 'b1', '2026-03-04')).toBe(false);
  expect(holdCovers(base, 'b1', '2026-03-05')).toBe(true);
  expect(holdCovers(base, 'b9', '2027-01-01')).toBe(true);
});

test('a hold naming bills covers only those bills', () => {
  const h = { ...base, billIds: ['b1'] };
  expect(isHeld([h], 'b1', '2026-03-10')).toBe(true);
  expect(isHeld([h], 'b2', '2026-03-10')).toBe(false);
});

test('a released hold covers its dates inclusive and nothing after', () => {
  const h = { ...base, active: false, to: '2026-03-20' };
  expect(isHeld([h], 'b1', '2026-03-20')).toBe(true);
  expect(isHeld([h], 'b1', '2026-03-21')).toBe(false);
  expect(pausesForBill([h], 'b1')).toEqual([{ from: '2026-03-05', to: '2026-03-20' }]);
});

test('a promise-to-pay hold lapses by itself after the promised day', () => {
  const h = { ...base, reason: 'promise' as const, to: '2026-04-01' };
  expect(isHeld([h], 'b1', '2026-04-01')).toBe(true);
  expect(isHeld([h], 'b1', '2026-04-02')).toBe(false);
});
