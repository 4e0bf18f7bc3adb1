/** What the generated benchmark communities share: ids, the rooms' numbering, the two sizes. */
import type { BenchResult } from './types';

export const COMMUNITY = 'c_bench';
export const ADMIN = 'o_bench_admin';

export type BenchRoom = {
  _id: string;
  communityId: string;
  building: string;
  unit: string;
  number: string;
  buildingAreaCentiM2: number;
  innerAreaCentiM2: number | null;
  useType: 'residential';
  occupancy: 'occupied';
  moveInDate: string;
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
    buildingAreaCentiM2: 6000 + ((i * 7919) % 9000),
    innerAreaCentiM2: null,
    useType: 'residential',
    occupancy: 'occupied',
    moveInDate: '2020-05-01',
  };
}

/** Measures a community of 2,000 rooms, then one of 20,000 (the figures should grow linearly). */
export async function smallThenLarge(
  measure: (rooms: number) => Promise<BenchResult[]>,
): Promise<BenchResult[]> {
  const small = await measure(2_000);
  const large = await measure(20_000);
  return [...small, ...large];
}
