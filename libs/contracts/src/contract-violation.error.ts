/** Stable codes of {@link ContractViolationError}; never renamed, because parked rows and alerts key on them. */
export type ContractViolationCode = 'CONTRACT_EVENT_INVALID' | 'CONTRACT_EVENT_TYPE_UNKNOWN' | 'CONTRACT_EVENT_MALFORMED';

/** What {@link ContractViolationError} is built from. */
export interface ContractViolationInit {
  code: ContractViolationCode;
  /** One entry per bad field: `<path>: <what is wrong and what to change>`. */
  problems: string[];
  eventType?: string;
  eventId?: string;
  schemaVersion?: number;
  /** The business object, e.g. `order 727 (tenant "acme", store "nordic-shop")`, when it can be read. */
  subject?: string;
}

/**
 * Raised when an event does not match its canonical contract: the caller gets every problem at once,
 * each with its property path and the change that would fix it.
 *
 * It is always `permanent`: retrying the same bytes cannot succeed, so a consumer parks the event and a
 * person replays it after the producer (or this service) is fixed.
 */
export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
  readonly kind = 'permanent' as const;
  readonly code: ContractViolationCode;
  readonly problems: string[];
  readonly eventType?: string;
  readonly eventId?: string;
  readonly schemaVersion?: number;
  /** Text for the console's parked-event view: what failed, on which object, and what to do about it. */
  readonly operatorMessage: string;

  constructor(init: ContractViolationInit) {
    const label = eventLabel(init.eventType, init.eventId);
    super(init.problems.map((problem) => `${label} ${problem}`).join('\n'));
    this.code = init.code;
    this.problems = [...init.problems];
    this.eventType = init.eventType;
    this.eventId = init.eventId;
    this.schemaVersion = init.schemaVersion;
    this.operatorMessage = operatorMessageFor(init, label);
  }
}

function eventLabel(type: string | undefined, id: string | undefined): string {
  return `${type ?? 'event of unknown type'} ${id ?? '(no id)'}`;
}

function operatorMessageFor(init: ContractViolationInit, label: string): string {
  const about = init.subject ? ` for ${init.subject}` : '';
  const version = init.schemaVersion === undefined ? '' : ` v${init.schemaVersion}`;
  const details = init.problems.join('; ');
  switch (init.code) {
    case 'CONTRACT_EVENT_INVALID':
      return (
        `Event ${label}${about} does not match its contract${version} and was not processed: ${details}. ` +
        `The service that produced it built an invalid event; fix that service's mapping, then replay the event under Parked events.`
      );
    case 'CONTRACT_EVENT_TYPE_UNKNOWN':
      return (
        `Event ${label}${about} was not processed: ${details}. ` +
        `Deploy a version of this service that knows this event type and version, then replay the event under Parked events.`
      );
    case 'CONTRACT_EVENT_MALFORMED':
      return (
        `A message that is not a Ledgerline event envelope was received and not processed: ${details}. ` +
        `Find its producer from the topic and offset on the parked row; services publish only envelopes built by @ledgerline/contracts.`
      );
  }
}
