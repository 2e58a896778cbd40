import { createHash } from 'node:crypto';

/**
 * The id a command travels under (job id, ledger key, events' `commandId`) when a caller at the
 * edge (an API key, a JWT subject, a NATS user) chose `chosenId`: a uuid (version 8) hashed from the
 * principal and its id. Each principal has its own namespace of command ids, as payment APIs scope
 * idempotency keys to the account: no caller can name, and so read, re-run, block or answer for,
 * another's command. The same principal and id give the same command id, so a resend is still the
 * same command. Never equal to an id the API generates (uuid v7) or another sender chooses inside
 * the trust boundary (process managers, the CLI), which travel as they are.
 */
export const callerCommandId = (principal: string, chosenId: string): string => {
  const hash = createHash('sha256')
    .update(JSON.stringify([principal, chosenId]))
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80; // version 8: a custom, here hashed, uuid
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // the RFC 9562 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

/**
 * An answer as its caller sees it: named by the id the caller chose, not the one the command
 * travels under (`callerCommandId`), in the answer's `commandId` and its message.
 */
export const answerAs = <Answer extends { readonly commandId?: string; readonly message?: string }>(
  answer: Answer,
  travelsAs: string,
  seenAs: string,
): Answer => {
  if (travelsAs === seenAs || answer.commandId !== travelsAs) return answer;
  return {
    ...answer,
    commandId: seenAs,
    ...(answer.message !== undefined ? { message: answer.message.replaceAll(travelsAs, seenAs) } : {}),
  };
};
