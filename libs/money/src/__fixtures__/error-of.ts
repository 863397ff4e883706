// Test-only helper: runs an attempt that must fail with a MoneyError and returns it, so a test can assert on
// its code and its whole message.
import { MoneyError } from '../money.error';

/** Returns the MoneyError `attempt` throws; fails the test if it throws something else or nothing. */
export function errorOf(attempt: () => unknown): MoneyError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError, nothing was thrown');
}
