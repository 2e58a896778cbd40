import type { AnyStateMachine } from 'xstate';
import type { Aggregate } from '../aggregate/index.js';
import type { CommandRequest } from '../messages/index.js';

/**
 * What a client can be typed by: a deployment (`typeof config`, the default export of
 * chronicle.config.ts) or a list of aggregates. A deployment is matched by its `aggregates` alone:
 * commands/ cannot import deployment/ (which imports process managers, which import the client).
 */
export type Domain = readonly Aggregate[] | { readonly aggregates: readonly Aggregate[] };

/** The aggregates of a domain. */
export type AggregatesOf<D extends Domain> = D extends {
  readonly aggregates: infer A extends readonly Aggregate[];
}
  ? A
  : D;

/** The envelope fields a sender may set whatever the command: ids, causation, the issuer. */
type RequestFields = Omit<CommandRequest, 'aggregateType' | 'type' | 'payload'>;

/** A payload `{}` satisfies may be left out: the envelope then carries `{}` (buildEnvelope). */
type PayloadField<Input> =
  Record<never, never> extends Input ? { readonly payload?: Input } : { readonly payload: Input };

/** Each command of one aggregate, as a request. Distributes over a union of aggregates. */
type RequestsOf<A> =
  A extends Aggregate<infer Type, AnyStateMachine, infer Inputs>
    ? {
        [Name in keyof Inputs & string]: RequestFields & {
          readonly aggregateType: Type;
          readonly type: Name;
        } & PayloadField<Inputs[Name]>;
      }[keyof Inputs & string]
    : never;

/**
 * The commands a domain takes, as a sender writes them: one member per aggregate type and command
 * type, with that command's payload. An aggregate whose types were erased (`Aggregate`) takes any
 * command, so a domain with one is untyped: `CommandRequest`.
 */
export type DomainRequest<Aggregates extends readonly Aggregate[]> = string extends Aggregates[number]['type']
  ? CommandRequest
  : RequestsOf<Aggregates[number]>;
