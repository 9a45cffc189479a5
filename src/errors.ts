// Every error Hestia reports carries a stable code; replies and logs use the code, people read
// the message. The catalogue below is the complete list (a test checks that README documents it).

export const ERROR_CODES = {
  HESTIA_BAD_REQUEST: 'The request is not valid JSON or misses or mistypes a field.',
  HESTIA_TEXT_TOO_LONG: 'The request text is longer than the limit.',
  HESTIA_PAYLOAD_TOO_LARGE: 'The MQTT payload is larger than the limit.',
  HESTIA_NO_MATCH: 'No planner understood the request.',
  HESTIA_PLAN_INVALID: 'A plan failed schema validation.',
  HESTIA_UNKNOWN_ENTITY: 'A plan names an entity the catalog does not have or does not expose.',
  HESTIA_BAD_SERVICE: 'A plan calls a service that does not exist for the entity\'s domain.',
  HESTIA_BAD_DATA: 'A plan passes a data field the service does not take, or a value outside its limits.',
  HESTIA_NEEDS_CONFIRMATION: 'The plan contains a sensitive action and was not executed.',
  HESTIA_POLICY_DENIED: 'The safety policy does not allow this action (from this source).',
  HESTIA_NOTHING_TO_CONFIRM: 'A yes or no arrived with no confirmation pending (none asked, expired, already answered, or another one).',
  HESTIA_WRONG_PIN: 'The PIN given to confirm an action was missing or wrong; nothing was executed.',
  HESTIA_RATE_LIMITED: 'Too many requests from this source in the last minute.',
  HESTIA_EXECUTION_FAILED: 'An action could not be delivered.',
  HESTIA_TIMEOUT: 'The request passed its deadline before it could be completed.',
  HESTIA_BUSY: 'Too many requests are waiting, or Hestia is stopping.',
  HESTIA_BROKER_UNREACHABLE: 'The MQTT broker cannot be reached, or refuses what Hestia needs (login, subscription).',
  HESTIA_BAD_CONFIG: 'The configuration is invalid.',
  HESTIA_BAD_HOME: 'The home snapshot file is invalid.',
  HESTIA_MODEL_UNAVAILABLE: 'A model was asked for but cannot be used.',
  HESTIA_INTERNAL: 'An unexpected internal error.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class HestiaError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HestiaError';
    this.code = code;
  }
}

export function errorInfo(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof HestiaError) return { code: err.code, message: err.message };
  return { code: 'HESTIA_INTERNAL', message: err instanceof Error ? err.message : String(err) };
}
