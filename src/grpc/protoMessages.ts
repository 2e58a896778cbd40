import type { RecordedEvent } from '../messages/index.js';
import type { AggregateStateAt, StoryStep } from '../queries/index.js';
import { toProtoStruct, toProtoValue } from './jsonValue.js';

/** How chronicle.proto's messages are built from what the queries answer (field names in camelCase). */

/** An empty string is an absent field: proto3 strings carry no presence. */
export const given = (value: string): string | undefined => (value === '' ? undefined : value);

export const eventMessage = (event: RecordedEvent) => ({
  eventId: event.eventId,
  aggregateType: event.streamType,
  aggregateId: event.streamId,
  version: event.version,
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: toProtoValue(event.data),
  metadata: toProtoStruct(event.metadata),
  globalPosition: event.globalPosition,
  transactionId: event.transactionId,
  recordedAt: event.recordedAt,
});

export const aggregateMessage = (state: AggregateStateAt & { readonly activePaths: readonly string[] }) => ({
  aggregateType: state.aggregateType,
  aggregateId: state.aggregateId,
  version: state.version,
  headVersion: state.headVersion,
  value: toProtoValue(state.value),
  context: toProtoValue(state.context),
  activePaths: state.activePaths,
  fromSnapshot: state.fromSnapshot,
});

export const storyStepMessage = (step: StoryStep) => ({
  kind: step.kind,
  id: step.id,
  causationId: step.causationId ?? '',
  correlationId: step.correlationId,
  aggregateType: step.aggregateType,
  aggregateId: step.aggregateId,
  type: step.type,
  at: step.at,
  ...(step.kind === 'command'
    ? { status: step.status, code: step.code ?? '', issuedBy: step.issuedBy ?? '' }
    : { version: step.version }),
});
