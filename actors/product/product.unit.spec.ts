import { specDefaults, specFor } from 'chronicle-runtime/testing';
import { describe, it } from 'vitest';
import type { ProductEvent } from './events.js';
import { product } from './index.js';

const created: ProductEvent = {
  type: 'ProductCreated',
  data: { vendorId: 'vendor-1', name: 'Teapot', price: 25, createdAt: '2025-01-01T09:00:00.000Z' },
};

const spec = specFor(product);

describe('product', () => {
  it('is created on sale', () => {
    spec
      .when({ type: 'CreateProduct', data: { vendorId: 'vendor-1', name: 'Teapot', price: 25 } })
      .then([{ ...created, data: { ...created.data, createdAt: specDefaults.issuedAt } }])
      .thenState({ value: 'onSale', context: { price: 25 } });
  });

  it('changes its price, recording the previous one', () => {
    spec
      .given([created])
      .when({ type: 'ChangePrice', data: { price: 30 } })
      .then([{ type: 'ProductPriceChanged', data: { price: 30, previousPrice: 25 } }])
      .thenState({ context: { price: 30 } });
  });

  it('rejects a price that does not change, or is negative', () => {
    spec
      .given([created])
      .when({ type: 'ChangePrice', data: { price: 25 } })
      .thenRejected('PRICE_UNCHANGED');
    spec
      .given([created])
      .when({ type: 'ChangePrice', data: { price: -1 } })
      .thenRejected('VALIDATION', 'price');
  });

  it('cannot change price once discontinued', () => {
    spec
      .given([
        created,
        {
          type: 'ProductDiscontinued',
          data: { reason: 'recalled', discontinuedAt: '2025-02-01T00:00:00.000Z' },
        },
      ])
      .when({ type: 'ChangePrice', data: { price: 10 } })
      .thenRejected(
        'INVALID_TRANSITION',
        'product in state discontinued does not accept ProductPriceChanged',
      );
  });

  it('cannot be discontinued before it exists', () => {
    spec
      .when({ type: 'DiscontinueProduct', data: { reason: 'x' } })
      .thenRejected('INVALID_TRANSITION', 'product in state none does not accept ProductDiscontinued');
  });
});
