import { ChronicleError, isChronicleError, type RejectionCode } from './chronicleError.js';

/**
 * A business answer, not a failure: thrown by `decide` (through `reject`) or by the runtime when a
 * command is invalid. The worker completes the job with a `rejected` result carrying this code.
 */
export class CommandRejection extends ChronicleError<string> {
  override readonly name = 'CommandRejection';
  constructor(
    code: RejectionCode | (string & {}),
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message);
  }
}

/** By name as well as class: works across duplicated package copies. */
export const isCommandRejection = (error: unknown): error is CommandRejection =>
  error instanceof CommandRejection || (isChronicleError(error) && error.name === 'CommandRejection');

/**
 * Rejects the command being decided with a domain code.
 * @example
 * if (state.context.quantity === 0) reject('EMPTY_ORDER', 'an order needs at least one item');
 */
export const reject = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new CommandRejection(code, message, details);
};
