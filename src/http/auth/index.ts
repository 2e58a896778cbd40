export * from './apiKeys.js';
export * from './authenticator.js';
export * from './authHooks.js';
export * from './jwtVerifier.js';
export * from './principal.js';
