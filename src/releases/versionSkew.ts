import type { StoredAs } from '../eventSchemas/index.js';
import type { CommandEnvelope } from '../messages/index.js';
import type { ReleaseManifest } from './releaseManifest.js';

/** Whether a command this release cannot take is for a newer release that runs now. */
export type SkewVerdict =
  /** No other running release knows more: this release's answer stands (UNKNOWN_COMMAND at once). */
  | { readonly status: 'own' }
  /** Other running releases know it: left for their pods, never answered by this one. */
  | { readonly status: 'other-release'; readonly releases: readonly string[] };

type Asked = Pick<CommandEnvelope, 'aggregateType' | 'type'>;

/** Does `other` know what `mine` refused with `code`? Only the precheck's codes can be version skew. */
const knowsMore = (
  code: string,
  { aggregateType, type }: Asked,
  mine: ReleaseManifest,
  other: ReleaseManifest,
) => {
  const theirs = other.aggregates[aggregateType];
  switch (code) {
    case 'UNKNOWN_AGGREGATE':
      return theirs !== undefined;
    case 'UNKNOWN_COMMAND':
      return theirs?.commands[type] !== undefined;
    case 'VALIDATION': {
      // another payload schema (a new optional field, say) may take what ours refused
      const schema = theirs?.commands[type];
      return schema !== undefined && schema !== mine.aggregates[aggregateType]?.commands[type];
    }
    default:
      return false;
  }
};

/**
 * The verdict on a command `mine` refused with `code` (UNKNOWN_AGGREGATE, UNKNOWN_COMMAND or
 * VALIDATION) given the releases running now: skew when another release knows the aggregate, the
 * command, or has another payload schema for it. Any other code is the command's own answer.
 */
export const versionSkewOf = (
  code: string,
  asked: Asked,
  mine: ReleaseManifest,
  live: readonly ReleaseManifest[],
): SkewVerdict => {
  const releases = live
    .filter((other) => other.release !== mine.release && knowsMore(code, asked, mine, other))
    .map((other) => other.release);
  return releases.length > 0 ? { status: 'other-release', releases } : { status: 'own' };
};

/** The running releases that read an event stored as `stored` (its version is theirs or older). */
export const releasesReading = (live: readonly ReleaseManifest[], stored: StoredAs): string[] =>
  live
    .filter(
      (release) =>
        stored.schemaVersion <= (release.aggregates[stored.streamType]?.events[stored.eventType] ?? 1),
    )
    .map((release) => release.release);
