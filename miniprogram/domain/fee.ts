/**
 * Fee calculation: standards, periods and cycles, proration, tiers, discounts, late fees and the
 * bill of a room for a period. Pure: plain data and dates in, plain data out (see fee/*).
 */
export * from './fee/types';
export * from './fee/period';
export * from './fee/rounding';
export * from './fee/versions';
export * from './fee/proration';
export * from './fee/tiers';
export * from './fee/meter';
export * from './fee/late-fee';
export * from './fee/standard';
export * from './fee/line';
export * from './fee/discounts';
export * from './fee/compute-bill';
