export * from './specFor.js';
