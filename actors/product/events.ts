export type ProductCreated = {
  readonly type: 'ProductCreated';
  readonly data: {
    readonly vendorId: string;
    readonly name: string;
    readonly price: number;
    readonly createdAt: string;
  };
};
export type ProductPriceChanged = {
  readonly type: 'ProductPriceChanged';
  readonly data: { readonly price: number; readonly previousPrice: number };
};
export type ProductDiscontinued = {
  readonly type: 'ProductDiscontinued';
  readonly data: { readonly reason: string; readonly discontinuedAt: string };
};

export type ProductEvent = ProductCreated | ProductPriceChanged | ProductDiscontinued;
