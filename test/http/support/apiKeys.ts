import { SignJWT } from 'jose';
import type { ApiKeyEntry } from '../../../src/config/index.js';

/** One key per role the tests need; `limited` has its own small rate limit. */
export const keys = {
  admin: 'admin-key-00000000000001',
  reader: 'reader-key-0000000000001',
  sender: 'sender-key-0000000000001',
  orderSender: 'order-sender-key-00000001',
  paymentSender: 'payment-sender-key-000001',
  limited: 'limited-key-000000000001',
} as const;

export const LIMITED_RATE = 3;

export const apiKeyEntries: ApiKeyEntry[] = [
  { key: keys.admin, roles: ['admin'], name: 'admin' },
  { key: keys.reader, roles: ['read'], name: 'reader' },
  { key: keys.sender, roles: ['commands:send', 'read'], name: 'sender' },
  { key: keys.orderSender, roles: ['commands:send:order'], name: 'order-sender' },
  { key: keys.paymentSender, roles: ['commands:send:payment'], name: 'payment-sender' },
  { key: keys.limited, roles: ['read'], name: 'limited', rateLimit: LIMITED_RATE },
];

export const JWT_SECRET = 'tests-only-hs256-secret-0123456789abcdef';

/** A bearer token signed with the tests' HS256 secret. */
export const signToken = (subject: string, roles: string[]): Promise<string> =>
  new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));

/** The environment that gives an api pod these keys and the secret. */
export const authEnv = {
  CHRONICLE_API_KEYS: JSON.stringify(apiKeyEntries),
  CHRONICLE_JWT_SECRET: JWT_SECRET,
};
