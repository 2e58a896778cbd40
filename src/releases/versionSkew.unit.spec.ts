import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ReleaseManifest } from './releaseManifest.js';
import { payloadSchemaFingerprint } from './releaseManifest.js';
import { releasesReading, versionSkewOf } from './versionSkew.js';

const Open = z.strictObject({ title: z.string() });
const OpenWithPriority = z.strictObject({ title: z.string(), priority: z.string().optional() });

const v1: ReleaseManifest = {
  release: 'r1',
  aggregates: {
    ticket: { commands: { OpenTicket: payloadSchemaFingerprint(Open), AddNote: 'n' }, events: {} },
  },
};
const v2: ReleaseManifest = {
  release: 'r2',
  aggregates: {
    ticket: {
      commands: { OpenTicket: payloadSchemaFingerprint(OpenWithPriority), AddNote: 'n', CloseTicket: 'c' },
      events: { TicketOpened: 2 },
    },
    board: { commands: { Pin: 'p' }, events: {} },
  },
};
const asked = (aggregateType: string, type: string) => ({ aggregateType, type });

describe('version skew: what an old release leaves to a newer one', () => {
  it('given a newer release running, leaves it the commands, aggregates and payload schemas only it knows', () => {
    const skew = { status: 'other-release', releases: ['r2'] };
    expect(versionSkewOf('UNKNOWN_COMMAND', asked('ticket', 'CloseTicket'), v1, [v1, v2])).toEqual(skew);
    expect(versionSkewOf('UNKNOWN_AGGREGATE', asked('board', 'Pin'), v1, [v1, v2])).toEqual(skew);
    expect(versionSkewOf('VALIDATION', asked('ticket', 'OpenTicket'), v1, [v1, v2])).toEqual(skew);
  });

  it('answers itself what no other release knows better', () => {
    const own = { status: 'own' };
    // nobody knows it
    expect(versionSkewOf('UNKNOWN_COMMAND', asked('ticket', 'Reopen'), v1, [v1, v2])).toEqual(own);
    // the same payload schema: the payload is invalid everywhere
    expect(versionSkewOf('VALIDATION', asked('ticket', 'AddNote'), v1, [v1, v2])).toEqual(own);
    // no other release runs
    expect(versionSkewOf('UNKNOWN_COMMAND', asked('ticket', 'CloseTicket'), v1, [v1])).toEqual(own);
    // a domain's own rejection is never skew
    expect(versionSkewOf('INVALID_TRANSITION', asked('ticket', 'CloseTicket'), v1, [v1, v2])).toEqual(own);
  });

  it('fingerprints a payload schema by its shape: a new optional field changes it', () => {
    expect(payloadSchemaFingerprint(Open)).toBe(
      payloadSchemaFingerprint(z.strictObject({ title: z.string() })),
    );
    expect(payloadSchemaFingerprint(Open)).not.toBe(payloadSchemaFingerprint(OpenWithPriority));
  });

  it('names the running releases that read an event of a version', () => {
    const opened = { streamType: 'ticket', eventType: 'TicketOpened' };
    expect(releasesReading([v1, v2], { ...opened, schemaVersion: 2 })).toEqual(['r2']);
    expect(releasesReading([v1, v2], { ...opened, schemaVersion: 1 })).toEqual(['r1', 'r2']);
    expect(releasesReading([v1, v2], { ...opened, schemaVersion: 3 })).toEqual([]);
  });
});
