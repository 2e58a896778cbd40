/** Which events a subscription reads; an absent list lets every value through. */
export type EventFilter = {
  readonly eventTypes?: readonly string[];
  readonly streamTypes?: readonly string[];
};
