/** PaymentRequested as version 1 stored it: before payments had a currency (all were in euros). */
export type PaymentRequestedV1Data = {
  readonly orderId: string;
  /** In the currency's minor unit is the caller's choice; the aggregate only compares amounts. */
  readonly amount: number;
  readonly method: string;
  /** The requesting command's issuedAt (ISO 8601). */
  readonly requestedAt: string;
};

/** PaymentRequested version 2, the current one: the currency of every amount of the payment (ISO 4217). */
export type PaymentRequestedData = PaymentRequestedV1Data & { readonly currency: string };

export type PaymentRequested = { readonly type: 'PaymentRequested'; readonly data: PaymentRequestedData };
export type PaymentAuthorized = {
  readonly type: 'PaymentAuthorized';
  readonly data: { readonly authorizationCode: string };
};
export type PaymentDeclined = {
  readonly type: 'PaymentDeclined';
  readonly data: { readonly reason: string };
};
export type PaymentCaptured = {
  readonly type: 'PaymentCaptured';
  readonly data: { readonly amount: number };
};
export type PaymentRefunded = {
  readonly type: 'PaymentRefunded';
  readonly data: { readonly amount: number; readonly reason: string };
};

export type PaymentEvent =
  | PaymentRequested
  | PaymentAuthorized
  | PaymentDeclined
  | PaymentCaptured
  | PaymentRefunded;
