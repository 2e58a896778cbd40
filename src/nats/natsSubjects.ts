/** A subject token: no dots, wildcards or whitespace. */
const token = /^[^.*>\s]+$/;

export const isSubjectToken = (value: string): boolean => token.test(value);

/** `<prefix>.events.<streamType>.<eventType>` */
export const eventSubject = (prefix: string, streamType: string, eventType: string): string =>
  `${prefix}.events.${streamType}.${eventType}`;

/** Every event subject: what the JetStream stream captures. */
export const allEventsSubject = (prefix: string): string => `${prefix}.events.>`;

/** Every command subject: what the command entry listens on. */
export const allCommandsSubject = (prefix: string): string => `${prefix}.commands.>`;

/**
 * `<prefix>.commands.<sender>.<aggregateType>.<commandType>`: `sender` is the NATS user that
 * publishes it, which the server's permissions hold it to (docs/nats.md, "Authentication").
 */
export const commandSubject = (
  prefix: string,
  sender: string,
  aggregateType: string,
  commandType: string,
): string => `${prefix}.commands.${sender}.${aggregateType}.${commandType}`;

/** Every command subject of one sender: what the server lets that user publish on. */
export const senderCommandsSubject = (prefix: string, sender: string): string =>
  `${prefix}.commands.${sender}.>`;

export type CommandRoute = {
  readonly sender: string;
  readonly aggregateType: string;
  readonly commandType: string;
};

/** The sender, aggregate and command type a command subject names; undefined for any other shape. */
export const parseCommandSubject = (prefix: string, subject: string): CommandRoute | undefined => {
  const head = `${prefix}.commands.`;
  if (!subject.startsWith(head)) return undefined;
  const [sender, aggregateType, commandType, ...rest] = subject.slice(head.length).split('.');
  if (!sender || !aggregateType || !commandType || rest.length > 0) return undefined;
  return { sender, aggregateType, commandType };
};
