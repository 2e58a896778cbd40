export type UserRegistered = {
  readonly type: 'UserRegistered';
  readonly data: { readonly email: string; readonly name: string; readonly registeredAt: string };
};
export type UserEmailChanged = {
  readonly type: 'UserEmailChanged';
  readonly data: { readonly email: string; readonly previousEmail: string };
};
export type UserDeactivated = {
  readonly type: 'UserDeactivated';
  readonly data: { readonly reason: string; readonly deactivatedAt: string };
};

/** The account is deleted (its owner asked, say): the user accepts nothing after it. */
export type UserDeleted = {
  readonly type: 'UserDeleted';
  readonly data: { readonly reason: string; readonly deletedAt: string };
};

export type UserEvent = UserRegistered | UserEmailChanged | UserDeactivated | UserDeleted;
