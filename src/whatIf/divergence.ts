import type { StateValue } from 'xstate';

/** An outcome of a command: the events it appended, or its rejection (a candidate's may also fail). */
export type CommandOutcome =
  | {
      readonly status: 'accepted';
      readonly events: readonly { readonly type: string; readonly data: unknown }[];
    }
  | { readonly status: 'rejected'; readonly code: string; readonly message: string }
  /** The candidate's decide threw something that is not a rejection: a bug it would ship. */
  | { readonly status: 'failed'; readonly message: string };

type Where = { readonly streamType: string; readonly streamId: string };

/**
 * One thing the candidate would do otherwise than production did, as one JSON line:
 * - `event-refused`: the first stored event of the stream the candidate machine does not accept,
 *   in the state it reached (its later events and commands are not checked);
 * - `fold-failed`: folding a stored event threw (an assigner of the candidate);
 * - `event-unreadable`: a stored event the candidate's event schemas cannot read (upcast);
 * - per recorded command, decided again on the state before it: `other-events` (accepted, other
 *   events), `now-rejected` (was accepted), `now-accepted` (was rejected), `other-rejection`
 *   (rejected with another code), `decide-failed` (the candidate's decide threw).
 */
export type Divergence = Where &
  (
    | {
        readonly kind: 'event-refused';
        readonly version: number;
        readonly state: StateValue;
        readonly event: string;
      }
    | {
        readonly kind: 'fold-failed';
        readonly version: number;
        readonly event: string;
        readonly message: string;
      }
    | { readonly kind: 'event-unreadable'; readonly message: string }
    | {
        readonly kind: 'other-events' | 'now-rejected' | 'now-accepted' | 'other-rejection' | 'decide-failed';
        readonly commandId: string;
        readonly command: string;
        /** The stream version it was decided on. */
        readonly version: number;
        readonly stored: CommandOutcome;
        readonly candidate: CommandOutcome;
      }
  );

export type DivergenceKind = Divergence['kind'];
