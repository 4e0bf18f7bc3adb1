/**
 * Fee calculation: standards, periods and cycles, proration, tiers, discounts, late fees and the
 * bill of a room for a period. Pure: plain data and dates in, plain data out (see fee/*).
 */
export * from './types';
export * from './period';
export * from './rounding';
export * from './versions';
export * from './proration';
export * from './tiers';
export * from './meter';
export * from './late-fee';
export * from './standard';
export * from './line';
export * from './discounts';
export * from './compute-bill';
