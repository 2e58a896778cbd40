export * from "./runUntilSignal.js";
