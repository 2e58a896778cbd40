import { commandFor, reject } from 'chronicle-runtime';
import { z } from 'zod';
import type { userMachine } from './machine.js';

export const RegisterUser = z.strictObject({ email: z.email(), name: z.string().trim().min(1) });
export const ChangeEmail = z.strictObject({ email: z.email() });
export const DeactivateUser = z.strictObject({ reason: z.string().min(1) });
export const DeleteUser = z.strictObject({ reason: z.string().trim().min(1).max(500) });

/** Emails are kept lower-case, so the same address is the same user whatever its spelling. */
const normalise = (email: string): string => email.toLowerCase();

const command = commandFor<typeof userMachine>();

export const userCommands = {
  RegisterUser: command(RegisterUser, ({ data, metadata }) => [
    {
      type: 'UserRegistered',
      data: { email: normalise(data.email), name: data.name, registeredAt: metadata.issuedAt },
    },
  ]),
  ChangeEmail: command(ChangeEmail, ({ data }, { context }) => {
    const email = normalise(data.email);
    if (context.email === email) reject('EMAIL_UNCHANGED', `the user's email is already ${email}`);
    return [{ type: 'UserEmailChanged', data: { email, previousEmail: context.email ?? '' } }];
  }),
  DeactivateUser: command(DeactivateUser, ({ data, metadata }) => [
    { type: 'UserDeactivated', data: { reason: data.reason, deactivatedAt: metadata.issuedAt } },
  ]),
  DeleteUser: command(DeleteUser, ({ data, metadata }) => [
    { type: 'UserDeleted', data: { reason: data.reason, deletedAt: metadata.issuedAt } },
  ]),
};
