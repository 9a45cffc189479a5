// Intake: a raw request payload becomes a Request, or a coded error that can still be answered
// (with the id and site when they were readable). Nothing here throws on bad input: input is data.
import { Ajv, type JSONSchemaType } from 'ajv';
import { HestiaError } from '../errors.js';
import type { RequestMessage } from '../mqtt/wire.js';

/** One request, whatever it came through. Times are epoch milliseconds. */
export interface Request {
  id: string;
  text: string;
  site?: string;
  /** The speaker's area: the request's own area_id, or its site mapped to an area. */
  area_id?: string;
  conversation_id?: string;
  /** Answers this confirmation (from a needs_confirmation reply). */
  confirmation_id?: string;
  source: 'voice' | 'automation' | 'cli';
  receivedAt: number;
  /** Nothing is executed for the request after this instant. */
  deadline: number;
}

export interface IntakeLimits {
  maxPayloadBytes: number;
  maxTextLength: number;
}

export type IntakeResult =
  | { ok: true; message: RequestMessage }
  /** `id` is "unknown" when it could not be read; `site` only when it was valid. */
  | { ok: false; id: string; site?: string; error: HestiaError };

export const UNKNOWN_ID = 'unknown';

// A site names a reply topic level, so it must not contain MQTT separators or wildcards.
const SITE_PATTERN = '^[^/+#\\u0000]{1,64}$';

// Optional fields may also be null (treated as absent): some senders write null for "none".
const requestSchema: JSONSchemaType<RequestMessage> = {
  type: 'object',
  required: ['id', 'text'],
  additionalProperties: true,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    text: { type: 'string' },
    site: { type: 'string', pattern: SITE_PATTERN, nullable: true },
    area_id: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    conversation_id: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    source: { type: 'string', enum: ['voice', 'automation', 'cli'], nullable: true },
    confirmation_id: { type: 'string', minLength: 1, maxLength: 200, nullable: true },
    // A number or a string; read by readSentAt below (JSONSchemaType cannot spell the union).
    sent_at: { type: ['number', 'string'], nullable: true } as never,
  },
};
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(requestSchema);

export function parseRequestPayload(payload: Buffer | string, limits: IntakeLimits): IntakeResult {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > limits.maxPayloadBytes) {
    // Not parsed at all: reading a huge payload is the cost the limit exists to avoid.
    return fail(UNKNOWN_ID, undefined, 'HESTIA_PAYLOAD_TOO_LARGE', `payload is ${size} bytes; the limit is ${limits.maxPayloadBytes}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(payload.toString());
  } catch (err) {
    return fail(UNKNOWN_ID, undefined, 'HESTIA_BAD_REQUEST', `payload is not JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return fail(UNKNOWN_ID, undefined, 'HESTIA_BAD_REQUEST', 'payload must be a JSON object like {"id": "...", "text": "..."}');
  }
  const fields = json as Record<string, unknown>;
  const id = readableId(fields.id);
  const site = typeof fields.site === 'string' && new RegExp(SITE_PATTERN).test(fields.site) ? fields.site : undefined;
  if (!validate(fields)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field = e.instancePath.slice(1) || String((e.params as { missingProperty?: string }).missingProperty ?? 'payload');
      if (e.keyword === 'required') return `${field} is missing`;
      if (e.keyword === 'pattern' && field === 'site') return 'site must be 1 to 64 characters without /, + or #';
      return `${field} ${e.message ?? 'is invalid'}`;
    });
    return fail(id, site, 'HESTIA_BAD_REQUEST', problems.join('; '));
  }
  const text = fields.text as string;
  if (text.trim() === '') return fail(id, site, 'HESTIA_BAD_REQUEST', 'text is empty');
  const length = [...text].length;
  if (length > limits.maxTextLength) {
    return fail(id, site, 'HESTIA_TEXT_TOO_LONG', `text is ${length} characters; the limit is ${limits.maxTextLength}`);
  }
  const message: RequestMessage = { id: fields.id as string, text };
  for (const key of ['site', 'area_id', 'conversation_id', 'confirmation_id'] as const) {
    const value = fields[key];
    if (typeof value === 'string') message[key] = value;
  }
  if (typeof fields.source === 'string') message.source = fields.source as NonNullable<RequestMessage['source']>;
  if (fields.sent_at !== undefined && fields.sent_at !== null) {
    const sentAt = readSentAt(fields.sent_at);
    if (sentAt === undefined) return fail(id, site, 'HESTIA_BAD_REQUEST', 'sent_at must be epoch milliseconds or an ISO 8601 date-time');
    message.sent_at = sentAt;
  }
  return { ok: true, message };
}

/** Epoch milliseconds from a number (seconds are taken as such when too small to be ms) or an ISO string. */
function readSentAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

function readableId(value: unknown): string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : UNKNOWN_ID;
}

function fail(id: string, site: string | undefined, code: 'HESTIA_BAD_REQUEST' | 'HESTIA_TEXT_TOO_LONG' | 'HESTIA_PAYLOAD_TOO_LARGE', message: string): IntakeResult {
  return { ok: false, id, ...(site !== undefined ? { site } : {}), error: new HestiaError(code, message) };
}
