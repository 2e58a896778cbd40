/** How a customer pays for an order. */
export const paymentMethods = ['CARD', 'BANK_TRANSFER', 'WALLET'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

/** PENDING until an attempt succeeds (PAID); FAILED after a failed attempt, until the next one. */
export type PaymentStatus = 'PENDING' | 'PAID' | 'FAILED';

export type ShippingStatus =
  | 'WAITING_FOR_PAYMENT'
  | 'WAITING_FOR_SHIPMENT'
  | 'IN_TRANSIT'
  | 'DELIVERED'
  | 'CANCELLED';

/** The statuses a shipping update may set, in the order they must come. */
export const shippingUpdates = ['IN_TRANSIT', 'DELIVERED'] as const;
export type ShippingUpdate = (typeof shippingUpdates)[number];

/** OrderPlaced as version 1 stored it: before orders had a currency (all were in euros). */
export type OrderPlacedV1Data = {
  readonly customerId: string;
  readonly productId: string;
  readonly vendorId: string;
  readonly quantity: number;
  readonly totalPrice: number;
  readonly paymentMethod: PaymentMethod;
  /** The placing command's issuedAt (ISO 8601). */
  readonly placedAt: string;
};

/** OrderPlaced version 2, the current one: the currency of the amounts (ISO 4217 code, e.g. EUR). */
export type OrderPlacedData = OrderPlacedV1Data & { readonly currency: string };

export type OrderPlaced = { readonly type: 'OrderPlaced'; readonly data: OrderPlacedData };
export type OrderPaymentInitiated = {
  readonly type: 'OrderPaymentInitiated';
  readonly data: Readonly<Record<string, never>>;
};
export type OrderPaid = { readonly type: 'OrderPaid'; readonly data: Readonly<Record<string, never>> };
export type OrderPaymentFailed = {
  readonly type: 'OrderPaymentFailed';
  readonly data: { readonly reason: string };
};
export type OrderShippingStatusUpdated = {
  readonly type: 'OrderShippingStatusUpdated';
  readonly data: { readonly status: ShippingUpdate };
};
export type OrderCancelled = { readonly type: 'OrderCancelled'; readonly data: { readonly reason: string } };

export type OrderEvent =
  | OrderPlaced
  | OrderPaymentInitiated
  | OrderPaid
  | OrderPaymentFailed
  | OrderShippingStatusUpdated
  | OrderCancelled;
