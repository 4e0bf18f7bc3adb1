/**
 * How the local cloud runs an aggregation without scanning whole collections (issue 16: the
 * collection report over 480,000 bills in ≤ 2 s). mingo evaluates every stage; around it:
 *
 * - a leading `$match` is answered by the store's query path, which narrows through equality
 *   indexes (./field-index.ts) before testing the condition;
 * - a `$lookup` with `localField`/`foreignField` joins only the foreign documents whose field
 *   holds one of the local values met (fetched through the same indexes) instead of hashing the
 *   whole foreign collection for every request;
 * - a `$group` whose `_id` is one field and that accumulates nothing (the distinct values, e.g.
 *   a community's periods) is a plain pass over the documents;
 * - `$group` and `$project` of the usual shapes run as compiled JavaScript (./fast-stages.ts).
 *
 * Each is the same result mingo gives for the whole pipeline: the stages still run in mingo, on
 * the documents that can take part.
 */
import { Aggregator } from 'mingo';
import type { AnyObject } from 'mingo/types';
import { Fallback, fastGroup, fastProject } from './fast-stages';

export interface PipelineSource {
  /** The collection's documents matching `match` (all of them for null). */
  source(match: AnyObject | null): AnyObject[];
  /** Documents of `collection` whose `field` equals one of `values`. */
  foreign(collection: string, field: string, values: unknown[]): AnyObject[];
  /** A whole collection (for stages this plan does not narrow). */
  collection(name: string): AnyObject[];
}

type Stage = AnyObject;

function isLeadingMatch(stage: Stage | undefined): stage is { $match: AnyObject } {
  return !!stage && Object.keys(stage).length === 1 && '$match' in stage;
}

interface FieldLookup {
  from: string;
  localField: string;
  foreignField: string;
  as: string;
}

function fieldLookup(stage: Stage): FieldLookup | null {
  const lk = stage.$lookup as AnyObject | undefined;
  if (!lk || Object.keys(stage).length !== 1) return null;
  const simple =
    typeof lk.from === 'string' &&
    typeof lk.localField === 'string' &&
    typeof lk.foreignField === 'string' &&
    typeof lk.as === 'string' &&
    lk.pipeline === undefined &&
    lk.let === undefined;
  return simple ? (lk as unknown as FieldLookup) : null;
}

/** `{$group: {_id: '$field'}}` and nothing else: the distinct values of one field. */
function distinctField(stage: Stage): string | null {
  const g = stage.$group as AnyObject | undefined;
  if (!g || Object.keys(stage).length !== 1 || Object.keys(g).length !== 1) return null;
  const id = g._id;
  return typeof id === 'string' && /^\$[A-Za-z_][\w]*$/.test(id) ? id.slice(1) : null;
}

/** The values at a dotted path, arrays along the way flattened (as `$lookup` compares them). */
function valuesAt(doc: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(doc) ? doc : [doc];
  if (Array.isArray(doc)) return doc.flatMap((d) => valuesAt(d, path));
  if (doc === null || typeof doc !== 'object') return [undefined];
  return valuesAt((doc as AnyObject)[path[0]!], path.slice(1));
}

/** Every value of `field` is a string, number, boolean or missing (compared by value in a Set). */
function plainValues(docs: AnyObject[], field: string): boolean {
  return docs.every((d) => {
    const v = (d as AnyObject)[field];
    return v === undefined || v === null || ['string', 'number', 'boolean'].includes(typeof v);
  });
}

/** A `$group` or `$project` compiled to plain JavaScript, when it has a shape ./fast-stages.ts knows. */
function fastStage(stage: Stage): ((docs: AnyObject[]) => AnyObject[]) | null {
  if (Object.keys(stage).length !== 1) return null;
  if (stage.$group) return fastGroup(stage.$group as AnyObject);
  if (stage.$project) return fastProject(stage.$project as AnyObject);
  return null;
}

export function runPipeline(pipeline: Stage[], io: PipelineSource): AnyObject[] {
  const options = { collectionResolver: (name: string) => io.collection(name) };
  const first = pipeline[0];
  let docs = isLeadingMatch(first) ? io.source(first.$match) : io.source(null);
  const rest = isLeadingMatch(first) ? pipeline.slice(1) : pipeline;
  let pending: Stage[] = [];
  const flush = () => {
    if (pending.length) docs = new Aggregator(pending, options).run(docs) as AnyObject[];
    pending = [];
  };
  for (const stage of rest) {
    const lookup = fieldLookup(stage);
    const distinct = distinctField(stage);
    const fast = distinct ? null : fastStage(stage);
    if (fast) {
      flush();
      try {
        docs = fast(docs);
      } catch (e) {
        if (!(e instanceof Fallback)) throw e;
        docs = new Aggregator([stage], options).run(docs) as AnyObject[];
      }
    } else if (lookup) {
      flush();
      const path = lookup.localField.split('.');
      const values = [...new Set(docs.flatMap((d) => valuesAt(d, path)).map((v) => v ?? null))];
      const from = io.foreign(lookup.from, lookup.foreignField, values);
      docs = new Aggregator([{ $lookup: { ...lookup, from } }], options).run(docs) as AnyObject[];
    } else if (distinct && (flush(), plainValues(docs, distinct))) {
      const seen = new Set<unknown>();
      for (const d of docs) seen.add((d as AnyObject)[distinct] ?? null);
      docs = [...seen].map((v) => ({ _id: v }));
    } else {
      pending.push(stage);
    }
  }
  flush();
  return docs;
}
