/**
 * Versioned data migrations, run in order by `setup.run` and recorded in `app_config`
 * (`migration:<version>`), never by hand. Each must be idempotent: a run interrupted half-way is
 * simply run again.
 */
import type { DB } from 'wx-server-sdk';

export interface Migration {
  version: number;
  name: string;
  up: (db: DB.Database, now: Date) => Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'receipt counters carry their community and year',
    async up(db) {
      const _ = db.command;
      const res = await db
        .collection('counters')
        .where({ year: _.exists(false) })
        .limit(1000)
        .get();
      for (const c of res.data as { _id: string }[]) {
        const [, communityId, year] = c._id.split(':');
        if (communityId && year) {
          await db
            .collection('counters')
            .doc(c._id)
            .update({ data: { communityId, year: Number(year) } });
        }
      }
    },
  },
];
