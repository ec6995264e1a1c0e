import type { User } from "../domain/user.aggregate";
import type { UserRole } from "../domain/user-role";
import type { UserLifecycle, UserStatus } from "../domain/user-status";

/** A user as the API shows it and as the D1 read model stores it. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly status: UserStatus;
  readonly role: UserRole;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `emailIndex` is for D1's lookups; the API never shows it. Erased users show no one. */
export interface StoredUserView extends Omit<UserView, "status" | "email" | "name"> {
  readonly status: UserLifecycle;
  /** Null once erased. */
  readonly email: string | null;
  readonly name: string | null;
  readonly emailIndex: string | null;
}

export const toUserView = (user: User, version: number): StoredUserView => ({
  id: user.id,
  email: user.email,
  emailIndex: user.emailIndex,
  name: user.name,
  status: user.status,
  role: user.role,
  version,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});

/** The view as the API shows it: without the blind index. */
export const shownView = ({ emailIndex: _index, ...view }: StoredUserView): UserView =>
  // An erased view (nulls) is only ever the answer to an erasure, which shows no body.
  view as UserView;
