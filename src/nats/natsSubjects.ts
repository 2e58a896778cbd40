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

/** `<prefix>.commands.<aggregateType>.<commandType>` */
export const commandSubject = (prefix: string, aggregateType: string, commandType: string): string =>
  `${prefix}.commands.${aggregateType}.${commandType}`;

/** The aggregate and command type a command subject names; undefined for any other shape. */
export const parseCommandSubject = (
  prefix: string,
  subject: string,
): { readonly aggregateType: string; readonly commandType: string } | undefined => {
  const head = `${prefix}.commands.`;
  if (!subject.startsWith(head)) return undefined;
  const [aggregateType, commandType, ...rest] = subject.slice(head.length).split('.');
  if (!aggregateType || !commandType || rest.length > 0) return undefined;
  return { aggregateType, commandType };
};
