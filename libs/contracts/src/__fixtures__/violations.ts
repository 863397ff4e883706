import { ContractViolationError } from '../contract-violation.error';

/** Runs `action` and gives the ContractViolationError it throws; fails the test when it throws nothing or something else. */
export function violationOf(action: () => unknown): ContractViolationError {
  try {
    action();
  } catch (error) {
    if (error instanceof ContractViolationError) return error;
    throw error;
  }
  throw new Error('expected a ContractViolationError, but nothing was thrown');
}
