import {
  type EventPageRequest,
  type EventView,
  pageOfExistingLog,
} from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { userNotFound } from "../domain/user.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

export async function getUser(
  repository: UserRepository,
  id: UserId,
): Promise<Result<UserView, DomainError>> {
  const user = await repository.findById(id);
  return user ? ok(user) : err(userNotFound());
}

export async function getUserEvents(
  repository: UserRepository,
  id: UserId,
  request: EventPageRequest,
): Promise<Result<Page<EventView>, DomainError>> {
  return pageOfExistingLog(await repository.eventsOf(id, request), request, userNotFound);
}
