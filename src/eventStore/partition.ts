/** One of `count` slices of the event stream, by a stable hash of the stream id. */
export type PartitionRef = { readonly index: number; readonly count: number };

export const wholeStream: PartitionRef = { index: 0, count: 1 };
