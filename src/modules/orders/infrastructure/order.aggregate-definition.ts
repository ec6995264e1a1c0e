import type { ProjectionStatement } from "../../../db/statement-template";
import { upsertNewer } from "../../../db/upsert-newer";
import type { AggregateDefinition, Effect } from "../../../eventlog/aggregate-definition";
import type { CommandOutcome } from "../../../eventlog/event-log.contract";
import type { Money } from "../../../kernel/money";
import {
  type CommitReservation,
  PRODUCT_AGGREGATE,
  type ProductView,
  type ReleaseStock,
  type ReserveStock,
} from "../../products";
import { type OrderView, toOrderView } from "../application/order.view";
import { type OrderState, type OwedStep, orderDecider, owedSteps } from "../domain/order.aggregate";
import type { OrderCommand } from "../domain/order.commands";
import type { OrderEvent } from "../domain/order.events";
import type { RefusalReason } from "../domain/order-status";
import { projectHold } from "./d1-order-holds";
import { orders } from "./orders.table";

export const ORDER_AGGREGATE = "order";

type ProductCommand = ReserveStock | ReleaseStock | CommitReservation;

const productCommand = (step: OwedStep, order: NonNullable<OrderState>): ProductCommand => {
  switch (step.verb) {
    case "reserve":
      return {
        type: "ReserveStock",
        orderId: order.id,
        quantity: step.line.quantity,
        // No known currency (no product was in the catalogue): any product that does exist
        // refuses it as a currency mismatch.
        currency: order.currency ?? "",
        placedAt: order.placedAt,
      };
    case "release":
      return { type: "ReleaseStock", orderId: order.id };
    case "commit":
      return { type: "CommitReservation", orderId: order.id };
  }
};

// The products module's refusal codes, as the orders API words them per line.
const REFUSALS: Record<string, RefusalReason> = {
  "PRODUCT.NOT_FOUND": "unknown_product",
  "PRODUCT.ARCHIVED": "archived",
  "PRODUCT.INSUFFICIENT_STOCK": "insufficient_stock",
  "PRODUCT.CURRENCY_MISMATCH": "currency_mismatch",
};

const verbOf = (effect: Effect) => effect.key.split(":")[0] as OwedStep["verb"];

/** The command that records a product's answer in the order's log. */
const answer = (effect: Effect, outcome: CommandOutcome): OrderCommand => {
  const productId = effect.aggregateId;
  switch (verbOf(effect)) {
    case "reserve": {
      if (outcome.ok) {
        const product = outcome.value.view as ProductView;
        const unitPrice: Money = product.price;
        return {
          type: "RecordReservation",
          productId,
          sku: product.sku,
          name: product.name,
          unitPrice,
        };
      }
      const { code, details } = outcome.error;
      const available = code === "PRODUCT.INSUFFICIENT_STOCK" ? details?.currentStock : undefined;
      return {
        type: "RefuseLine",
        productId,
        reason: REFUSALS[code] ?? "unavailable",
        ...(typeof available === "number" ? { available } : {}),
      };
    }
    // Whatever the product says (even "no such product"), it holds nothing for the order now.
    case "release":
      return { type: "RecordRelease", productId };
    case "commit":
      return { type: "RecordCommit", productId };
  }
};

/** How the event log runs, shows, projects and drives (as a saga) an order. */
export const orderAggregate: AggregateDefinition<OrderState, OrderCommand, OrderEvent, OrderView> =
  {
    type: ORDER_AGGREGATE,
    ...orderDecider,
    view: (state, version) => (state ? toOrderView(state, version) : null),
    claims: () => [],
    claimTaken: () => {
      throw new Error("Orders claim no unique values");
    },
    projectView: (db, { total, ...view }): ProjectionStatement[] => [
      upsertNewer(
        db,
        orders,
        { ...view, totalAmount: total?.amount ?? null },
        { key: orders.id, version: orders.version, keep: [orders.placedAt] },
      ),
      ...projectHold(db, view),
    ],
    snapshotTag: "order/1",
    effects: (state) =>
      state
        ? owedSteps(state).map((step) => ({
            key: `${step.verb}:${step.line.productId}`,
            aggregateType: PRODUCT_AGGREGATE,
            aggregateId: step.line.productId,
            command: productCommand(step, state),
            // Units must always be given back or committed; only a reservation may be given up.
            mayGiveUp: step.verb === "reserve",
          }))
        : [],
    answer,
    giveUp: (effect) => ({
      type: "RefuseLine",
      productId: effect.aggregateId,
      reason: "unavailable",
    }),
    // Read outside the queue, so a payment may get in first: ExpireOrder checks again in turn.
    due: (state) =>
      state?.status === "confirmed" && state.paymentDueAt !== undefined
        ? { at: Date.parse(state.paymentDueAt), command: { type: "ExpireOrder" } }
        : undefined,
  };
