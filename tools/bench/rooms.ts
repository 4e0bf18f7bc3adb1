/** What the generated benchmark communities share: their ids and the rooms' numbering. */

export const COMMUNITY = 'c_bench';
export const ADMIN = 'o_bench_admin';

export type BenchRoom = {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
};

/** Room `i` of a generated community: 400 rooms a building, 4 units of 100 rooms. */
export function benchRoom(i: number): BenchRoom {
  const building = String(1 + Math.floor(i / 400));
  return {
    _id: `r_${building.padStart(3, '0')}_${String(i).padStart(6, '0')}`,
    communityId: COMMUNITY,
    building,
    unit: String(1 + (Math.floor(i / 100) % 4)),
    number: String(101 + (i % 100)),
  };
}
