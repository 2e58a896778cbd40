export type * from './command.js';
export type * from './commandResult.js';
export type * from './event.js';
