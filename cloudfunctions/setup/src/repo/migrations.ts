/**
 * Versioned data migrations, run in order by `setup.run` and recorded in `app_config`
 * (`migration:<version>`), never by hand. Each must be idempotent: a run interrupted half-way is
 * simply run again.
 */
import type { DB } from 'wx-server-sdk';
import { deskOrder, type DeskInputs } from '../../../../miniprogram/domain/complaint/desk-order';
import { OPEN_STATUSES } from '../../../../miniprogram/domain/complaint/rules';
import { READ_PAGE, slices } from '../../../_shared/paging';
import {
  SIGNOFFS,
  signoffData,
  signoffId,
  type PublicCollection,
  type Signoff,
} from '../../../_shared/signoffs';

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
  {
    version: 2,
    name: 'who published a notice or prepared, reviewed and published a disclosure leaves those public documents for staff_signoffs',
    async up(db) {
      const _ = db.command;
      type Old = Record<string, unknown> & { _id: string; communityId: string };
      // A returned review had a name but no reviewedBy; it stays a return.
      const act = (d: Old, who: string, at: string, comment?: string): Signoff | null =>
        d[`${who}By`] || d[`${who}ByName`]
          ? {
              by: String(d[`${who}By`] ?? ''),
              byName: String(d[`${who}ByName`] ?? ''),
              at: d[at] as Date,
              ...(comment && d[comment] ? { comment: String(d[comment]) } : {}),
            }
          : null;
      const move = async (
        collection: PublicCollection,
        fields: string[],
        acts: (d: Old) => Parameters<typeof signoffData>[3],
      ) => {
        const stale = _.or(fields.map((f) => ({ [f]: _.exists(true) })));
        for (;;) {
          const res = await db.collection(collection).where(stale).limit(100).get();
          if (res.data.length === 0) return;
          for (const d of res.data as Old[]) {
            await db
              .collection(SIGNOFFS)
              .doc(signoffId(collection, d._id))
              .set({ data: signoffData(collection, d.communityId, d._id, acts(d)) });
            await db
              .collection(collection)
              .doc(d._id)
              .update({ data: Object.fromEntries(fields.map((f) => [f, _.remove()])) });
          }
        }
      };
      await move('notices', ['publishedBy', 'publishedByName'], (d) => ({
        published: act(d, 'published', 'publishedAt'),
      }));
      await move(
        'disclosures',
        [
          'preparedBy',
          'preparedByName',
          'preparedAt',
          'reviewedBy',
          'reviewedByName',
          'reviewedAt',
          'reviewComment',
          'publishedBy',
          'publishedByName',
        ],
        (d) => ({
          prepared: act(d, 'prepared', 'preparedAt'),
          reviewed: ((r) => r && (d.reviewedBy ? r : { ...r, returned: true }))(
            act(d, 'reviewed', 'reviewedAt', 'reviewComment'),
          ),
          published: act(d, 'published', 'publishedAt'),
        }),
      );
    },
  },
  {
    version: 3,
    name: 'complaint tickets carry the order the staff desk sorts and counts by (deskRank, deadlineAt, nearAt)',
    async up(db) {
      const _ = db.command;
      const tickets = db.collection('complaints');
      const missing = { deskRank: _.exists(false) };
      const fields = {
        status: true,
        clockStartAt: true,
        firstResponseAt: true,
        firstResponseDueAt: true,
        resolutionDueAt: true,
      };
      // A page of tickets without the order at a time (a ticket changed meanwhile got it from
      // that change, so every write is conditional on it still missing): the finished ones, most
      // of them, in bulk; each open one with its own deadline.
      for (;;) {
        const docs = (await tickets.where(missing).field(fields).limit(READ_PAGE).get())
          .data as (DeskInputs & { _id: string })[];
        const open = docs.filter((d) => OPEN_STATUSES.includes(d.status));
        const finished = docs.filter((d) => !OPEN_STATUSES.includes(d.status)).map((d) => d._id);
        await Promise.all(
          slices(finished, 100).map((ids) =>
            tickets
              .where({ ...missing, _id: _.in(ids) })
              .update({ data: { deskRank: 1, deadlineAt: null, nearAt: null } }),
          ),
        );
        for (const part of slices(open, 20)) {
          await Promise.all(
            part.map((d) =>
              tickets.where({ ...missing, _id: d._id }).update({ data: { ...deskOrder(d) } }),
            ),
          );
        }
        if (docs.length < READ_PAGE) return;
      }
    },
  },
];
