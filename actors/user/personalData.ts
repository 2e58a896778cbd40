import { eventVersions } from 'chronicle-runtime';
import type { UserEmailChanged, UserRegistered } from './events.js';

/** What readers see in a user's personal fields once the user is forgotten. */
export const FORGOTTEN = '[forgotten]';

/**
 * A user's email and name are personal data of that user (the stream's id is the subject): stored
 * encrypted with the user's own key, and read as FORGOTTEN once `chronicle forget <userId>` ran.
 */
export const userEvents = {
  UserRegistered: eventVersions<UserRegistered['data']>().personal({
    fields: ['email', 'name'],
    redacted: FORGOTTEN,
  }),
  UserEmailChanged: eventVersions<UserEmailChanged['data']>().personal({
    fields: ['email', 'previousEmail'],
    redacted: FORGOTTEN,
  }),
};
