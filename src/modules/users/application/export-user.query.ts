import type { EventView } from "../../../db/domain-events.queries";
import type { Page } from "../../../db/keyset-pagination";
import { PAGE_LIMIT_MAX } from "../../../gateway/schemas";
import type { DomainError } from "../../../kernel/domain-error";
import { err, ok, type Result } from "../../../kernel/result";
import { userNotFound } from "../domain/user.errors";
import type { UserId } from "../domain/user-id.value-object";
import type { RefreshTokenStore, SessionListing } from "./session-tokens";
import type { UserRepository } from "./user.repository";
import type { UserView } from "./user.view";

/** Everything the API holds about a person, in one document (GDPR Art. 15 and 20). */
export interface UserExport {
  readonly exportedAt: string;
  readonly user: UserView;
  readonly sessions: readonly SessionListing[];
  /** As the orders API shows them: they name the person by id only. */
  readonly orders: readonly unknown[];
  /** The user's whole log, oldest first, with the personal fields opened. */
  readonly events: readonly EventView[];
}

export interface ExportUserDeps {
  readonly repository: UserRepository;
  readonly refreshTokens: RefreshTokenStore;
  readonly ordersOf: (customerId: string) => Promise<readonly unknown[]>;
}

/** Every item of a paged list, a full page at a time. */
async function everyItem<T>(
  pageAfter: (cursor: string | undefined) => Promise<Result<Page<T>, DomainError>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await pageAfter(cursor);
    if (!page.ok) throw new Error(page.error.code);
    items.push(...page.value.items);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

const pageOf = (cursor: string | undefined) => ({
  limit: PAGE_LIMIT_MAX,
  ...(cursor === undefined ? {} : { cursor }),
});

export async function exportUser(
  deps: ExportUserDeps,
  id: UserId,
): Promise<Result<UserExport, DomainError>> {
  const user = await deps.repository.findById(id);
  if (!user) return err(userNotFound());
  const [sessions, orders, events] = await Promise.all([
    everyItem((cursor) => deps.refreshTokens.listActive(id, pageOf(cursor))),
    deps.ordersOf(id),
    everyItem((cursor) => deps.repository.eventsOf(id, pageOf(cursor))),
  ]);
  return ok({ exportedAt: new Date().toISOString(), user, sessions, orders, events });
}
