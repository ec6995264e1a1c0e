import type { User } from "../domain/user.aggregate";
import type { UserRole } from "../domain/user-role";
import type { UserStatus } from "../domain/user-status";

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

export const toUserView = (user: User, version: number): UserView => ({
  id: user.id,
  email: user.email,
  name: user.name,
  status: user.status,
  role: user.role,
  version,
  createdAt: user.createdAt,
  updatedAt: user.updatedAt,
});
