export * from './releaseManifest.js';
export * from './releaseRegistry.js';
export * from './versionSkew.js';
