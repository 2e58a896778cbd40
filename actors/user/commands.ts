import { type CommandDefinitions, reject } from 'chronicle';
import { z } from 'zod';
import type { userMachine } from './machine.js';

export const RegisterUser = z.strictObject({ email: z.email(), name: z.string().trim().min(1) });
export const ChangeEmail = z.strictObject({ email: z.email() });
export const DeactivateUser = z.strictObject({ reason: z.string().min(1) });

export const userSchemas = { RegisterUser, ChangeEmail, DeactivateUser };

/** Emails are kept lower-case, so the same address is the same user whatever its spelling. */
const normalise = (email: string): string => email.toLowerCase();

export const userCommands = {
  RegisterUser: {
    schema: RegisterUser,
    decide: ({ data, metadata }) => [
      {
        type: 'UserRegistered',
        data: { email: normalise(data.email), name: data.name, registeredAt: metadata.issuedAt },
      },
    ],
  },
  ChangeEmail: {
    schema: ChangeEmail,
    decide: ({ data }, { context }) => {
      const email = normalise(data.email);
      if (context.email === email) reject('EMAIL_UNCHANGED', `the user's email is already ${email}`);
      return [{ type: 'UserEmailChanged', data: { email, previousEmail: context.email ?? '' } }];
    },
  },
  DeactivateUser: {
    schema: DeactivateUser,
    decide: ({ data, metadata }) => [
      { type: 'UserDeactivated', data: { reason: data.reason, deactivatedAt: metadata.issuedAt } },
    ],
  },
} satisfies CommandDefinitions<typeof userMachine, typeof userSchemas>;
