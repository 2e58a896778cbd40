import { describe, expect, it } from 'vitest';
import { isValidId } from '../messages/index.js';
import { answerAs, callerCommandId } from './callerCommandId.js';

describe('callerCommandId', () => {
  it('gives one principal and id the same command id, every time', () => {
    expect(callerCommandId('key:a', 'order-1')).toBe(callerCommandId('key:a', 'order-1'));
  });

  it('gives another principal, or another id, another command id', () => {
    const ids = [
      callerCommandId('key:a', 'order-1'),
      callerCommandId('key:b', 'order-1'),
      callerCommandId('key:a', 'order-2'),
      // the pair is encoded whole: moving characters between its parts is another pair
      callerCommandId('key:a:order', '1'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a version 8 uuid, a valid command id that no generated (v7) id equals', () => {
    const id = callerCommandId('jwt:svc', 'x');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isValidId(id)).toBe(true);
  });
});

describe('answerAs', () => {
  it('names the command by the id its caller chose, in the answer and its message', () => {
    const travels = callerCommandId('key:a', 'mine');
    expect(
      answerAs(
        { status: 'rejected', commandId: travels, code: 'X', message: `command id ${travels} was used` },
        travels,
        'mine',
      ),
    ).toEqual({ status: 'rejected', commandId: 'mine', code: 'X', message: 'command id mine was used' });
  });

  it('leaves an answer about another id alone', () => {
    const answer = { status: 'rejected', commandId: '', code: 'VALIDATION', message: 'body: not JSON' };
    expect(answerAs(answer, 'travels', 'seen')).toBe(answer);
  });
});
