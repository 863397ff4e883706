import { IsCurrencyCode, IsDecimalString, isDecimalString, rule, type PresenceOptions } from './validation/rules';

/**
 * An amount of money: a decimal string with its currency, never a float.
 * This library only checks the form; arithmetic, rounding and VAT live in `libs/money`.
 */
export class Money {
  /** Up to 4 fraction digits, optional minus sign: `"12.50"`, `"-4.21"`, `"0.0825"`. Matches `^-?\d+(\.\d{1,4})?$`. */
  @IsDecimalString({ maxFractionDigits: 4 })
  amount!: string;

  /** ISO 4217, three upper-case letters. Within one event every amount uses the event's `currency`. */
  @IsCurrencyCode()
  currency!: string;
}

/** What an event's money amounts must be written like, for error messages about a whole `Money` value. */
export const MONEY_EXPECTATION = 'an amount object like {"amount": "12.50", "currency": "EUR"}';

/**
 * Rejects a `Money` whose amount is below zero; `hint` tells the producer what to change.
 * Only the sign is checked here: a malformed amount is reported by `Money` itself.
 */
export function IsNonNegativeAmount(hint: string, presence?: PresenceOptions): PropertyDecorator {
  return rule(
    'isNonNegativeAmount',
    `zero or more (${hint})`,
    (value) => {
      const amount = (value as Partial<Money> | null | undefined)?.amount;
      return !isDecimalString(amount) || isDecimalString(amount, { nonNegative: true, maxFractionDigits: Infinity });
    },
    presence,
  );
}
