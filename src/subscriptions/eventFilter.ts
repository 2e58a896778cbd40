/** Which events a subscription reads; an absent list lets every value through. */
export type EventFilter = {
  readonly eventTypes?: readonly string[];
  readonly streamTypes?: readonly string[];
};

/** The filter as the two `?::text[]` parameters pairs of the read queries (null = no filter). */
export const filterParams = (filter: EventFilter): [string[] | null, string[] | null] => [
  filter.eventTypes ? [...filter.eventTypes] : null,
  filter.streamTypes ? [...filter.streamTypes] : null,
];
