export * from './eventSchemaError.js';
export * from './eventSchemas.js';
export * from './eventVersions.js';
export * from './personalData.js';
