import { describe, expect, it } from 'vitest';
import { causalOrder, type StoryStep } from './correlationStory.js';

const command = (id: string, causationId: string | null, at: string): StoryStep => ({
  kind: 'command',
  id,
  causationId,
  correlationId: 'c',
  aggregateType: 'order',
  aggregateId: 'o',
  type: id,
  status: 'accepted',
  at,
});
const event = (id: string, causationId: string, version: number, at: string): StoryStep => ({
  kind: 'event',
  id,
  causationId,
  correlationId: 'c',
  aggregateType: 'order',
  aggregateId: 'o',
  type: id,
  version,
  at,
});

describe('causalOrder', () => {
  it('puts every step after its cause, and otherwise in recorded order', () => {
    const steps = [
      command('place', null, '1'),
      event('placed', 'place', 1, '2'),
      command('request', 'placed', '3'),
      event('handled', 'placed', 1, '3'),
      event('requested', 'request', 1, '4'),
      command('initiate', 'requested', '5'),
    ];
    const shuffled = [steps[5], steps[3], steps[0], steps[4], steps[1], steps[2]] as StoryStep[];
    expect(causalOrder(shuffled).map((step) => step.id)).toEqual([
      'place',
      'placed',
      'request',
      'handled',
      'requested',
      'initiate',
    ]);
  });

  it('tells a later branch after an earlier one however deep, and an effect after its cause even if stamped earlier', () => {
    const steps = [
      command('place', null, '1'),
      event('placed', 'place', 1, '2'),
      event('timed-out', 'placed', 2, '8'),
      command('request', 'placed', '3'),
      event('requested', 'request', 1, '4'),
      // recorded by a pod whose clock runs behind: still after its cause
      command('initiate', 'requested', '0'),
    ];
    expect(causalOrder(steps).map((step) => step.id)).toEqual([
      'place',
      'placed',
      'request',
      'requested',
      'initiate',
      'timed-out',
    ]);
  });

  it('keeps steps whose cause is outside the story as roots, and never drops a step', () => {
    const steps = [event('late', 'elsewhere', 3, '9'), command('a', 'b', '1'), command('b', 'a', '2')];
    expect(causalOrder(steps).map((step) => step.id)).toEqual(['late', 'a', 'b']);
  });
});
