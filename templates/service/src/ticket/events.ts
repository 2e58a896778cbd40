export type Priority = 'low' | 'normal' | 'high';

export type TicketOpened = {
  readonly type: 'TicketOpened';
  readonly data: {
    readonly title: string;
    readonly customer: string;
    readonly priority: Priority;
    readonly openedAt: string;
  };
};
export type TicketAssigned = {
  readonly type: 'TicketAssigned';
  readonly data: { readonly agent: string };
};
export type TicketResolved = {
  readonly type: 'TicketResolved';
  readonly data: { readonly resolution: string; readonly resolvedAt: string };
};

/** Everything that can happen to a ticket: its events are its history, and its state is their fold. */
export type TicketEvent = TicketOpened | TicketAssigned | TicketResolved;
