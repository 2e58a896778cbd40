/** What a state node is in a statechart: XState's own node types. */
export type StateNodeType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state of a machine; `path` is its dotted path from the root (`placed.payment.paid`). */
export type DescribedState = {
  readonly path: string;
  readonly key: string;
  readonly type: StateNodeType;
  /** The child entered first (compound states only). */
  readonly initial?: string;
  readonly states: readonly DescribedState[];
};

/** One transition: an event (or none, for an eventless `always` transition) from a state to others. */
export type DescribedTransition = {
  readonly source: string;
  /** Empty for a targetless transition (it only runs actions). */
  readonly targets: readonly string[];
  readonly event: string | null;
  readonly guard?: string;
};

/** A machine as data: its states (nested, parallel regions included) and its transitions. */
export type MachineDescription = {
  /** Whose machine: an aggregate's, or a process manager's. */
  readonly kind: 'aggregate' | 'process-manager';
  /** The stream type of its instances: the aggregate type, or the process manager's name. */
  readonly aggregateType: string;
  readonly machineId: string;
  readonly machineHash: string;
  readonly initial?: string;
  readonly states: readonly DescribedState[];
  readonly transitions: readonly DescribedTransition[];
  /** Every event type some transition accepts, sorted. */
  readonly events: readonly string[];
};
