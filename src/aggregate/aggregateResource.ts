import type { AnyStateMachine } from 'xstate';
import { ChronicleError } from '../errors/index.js';
import { initialSnapshot } from './eventFold.js';

/** How an aggregate is served as a resource (`/v1/<plural>`); every field has a default. */
export type ResourceOptions<CommandType extends string = string> = {
  /** The collection's path segment. Default: the type made plural (order → orders, company → companies). */
  readonly plural?: string;
  /**
   * The command `POST /v1/<plural>` sends with a new id. Default: the command `<Verb><Noun>` whose
   * event `<Noun><Verb>ed` (or `…d`) the machine's initial state accepts; `false`: no such route.
   */
  readonly creates?: CommandType | false;
  /** A command's path segment under `/v1/<plural>/:id/`, where the kebab-case default does not fit. */
  readonly commandPaths?: { readonly [Type in CommandType]?: string };
};

/** The resource routes of one aggregate, as the API serves them. */
export type AggregateResource = {
  readonly plural: string;
  /** The creating command, when there is one. */
  readonly creates: string | undefined;
  /** Path segment by command type. */
  readonly commandPaths: Readonly<Record<string, string>>;
};

const SEGMENT = /^[a-z][a-z0-9-]{0,62}$/;

/** order → orders, address → addresses, company → companies, day → days. */
export const pluralOf = (type: string): string => {
  if (/(s|x|z|ch|sh)$/.test(type)) return `${type}es`;
  if (/[^aeiou]y$/.test(type)) return `${type.slice(0, -1)}ies`;
  return `${type}s`;
};

const words = (name: string): string[] => name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [];

/**
 * A command's default path segment: its name in kebab-case without the aggregate type's words
 * (CancelOrder on `order` → `cancel`, UpdateShippingStatus → `update-shipping-status`); the whole
 * name when those words are all it has.
 */
export const commandPathOf = (aggregateType: string, commandType: string): string => {
  const name = words(commandType).map((word) => word.toLowerCase());
  const own = aggregateType.split(/[-_]/);
  const at = name.findIndex((_, index) => own.every((word, offset) => name[index + offset] === word));
  const rest = at < 0 ? name : [...name.slice(0, at), ...name.slice(at + own.length)];
  return (rest.length > 0 ? rest : name).join('-');
};

/** The event types the machine's initial state accepts. */
const initialEvents = (machine: AnyStateMachine): Set<string> =>
  new Set(initialSnapshot(machine)._nodes.flatMap((node) => node.ownEvents));

/** `PlaceOrder` creates when the initial state accepts `OrderPlaced` (`RegisterUser`: `UserRegistered`). */
const createsBy = (commandType: string, accepted: Set<string>): boolean => {
  const [verb, ...noun] = words(commandType);
  if (!verb || noun.length === 0) return false;
  const subject = noun.join('');
  return accepted.has(`${subject}${verb}ed`) || accepted.has(`${subject}${verb}d`);
};

const inferCreates = (type: string, machine: AnyStateMachine, commands: readonly string[]) => {
  const accepted = initialEvents(machine);
  const found = commands.filter((command) => createsBy(command, accepted));
  if (found.length > 1)
    throw new ChronicleError(
      'CONFIGURATION',
      `aggregate "${type}": ${found.join(' and ')} could each create it; name one in resource.creates`,
    );
  return found[0];
};

/**
 * The plural, creating command and command paths of an aggregate, from its options and defaults.
 * Throws CONFIGURATION for a path that is not a lower-case segment, a command that is not the
 * aggregate's, two commands on one path, or a creating command that cannot be told.
 */
export const aggregateResource = (
  type: string,
  machine: AnyStateMachine,
  commands: readonly string[],
  options: ResourceOptions = {},
): AggregateResource => {
  const fail = (problem: string): never => {
    throw new ChronicleError('CONFIGURATION', `aggregate "${type}": ${problem}`);
  };
  const plural = options.plural ?? pluralOf(type);
  if (!SEGMENT.test(plural)) fail(`resource.plural "${plural}" must match ${SEGMENT}`);
  const named = [options.creates, ...Object.keys(options.commandPaths ?? {})];
  const unknown = named.find((name) => typeof name === 'string' && !commands.includes(name));
  if (unknown !== undefined) fail(`resource names "${unknown}", which is not one of its commands`);
  const commandPaths: Record<string, string> = {};
  const byPath = new Map<string, string>();
  for (const command of commands) {
    const path = options.commandPaths?.[command] ?? commandPathOf(type, command);
    if (!SEGMENT.test(path)) fail(`the path "${path}" of ${command} must match ${SEGMENT}`);
    const other = byPath.get(path);
    if (other) fail(`${other} and ${command} are both at /${plural}/:id/${path}; set resource.commandPaths`);
    byPath.set(path, command);
    commandPaths[command] = path;
  }
  const creates =
    options.creates === false ? undefined : (options.creates ?? inferCreates(type, machine, commands));
  return { plural, creates, commandPaths };
};
