import { type DomainError, invalid } from "./domain-error";
import { err, ok, type Result } from "./result";

/** An amount in a currency's minor units (cents for USD), never a float. */
export interface Money {
  readonly amount: number;
  /** ISO 4217 alphabetic code, upper-case. */
  readonly currency: string;
}

// The ISO 4217 codes the runtime's ICU data knows, rather than a list of our own to maintain;
// read on first use rather than at start-up (ADR 0032).
let currencies: ReadonlySet<string> | undefined;

export const isCurrency = (code: string): boolean => {
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(code);
};

export function parseCurrency(raw: string, field = "currency"): Result<string, DomainError> {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) && isCurrency(code)
    ? ok(code)
    : err(invalid("MONEY.UNKNOWN_CURRENCY", field, "must be an ISO 4217 currency code"));
}

export function parseMoney(
  raw: { amount: number; currency: string },
  field = "price",
): Result<Money, DomainError> {
  if (!Number.isSafeInteger(raw.amount) || raw.amount < 0) {
    return err(
      invalid(
        "MONEY.INVALID_AMOUNT",
        `${field}.amount`,
        "must be a whole number of minor units ≥ 0",
      ),
    );
  }
  const currency = parseCurrency(raw.currency, `${field}.currency`);
  if (!currency.ok) return currency;
  return ok({ amount: raw.amount, currency: currency.value });
}

export const sameMoney = (a: Money, b: Money): boolean =>
  a.amount === b.amount && a.currency === b.currency;
