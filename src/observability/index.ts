export * from './podServer.js';
