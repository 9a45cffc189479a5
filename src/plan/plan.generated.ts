// Generated from grammars/plan.schema.json by `npm run gen:types`. Do not edit.

export type EntityId = string;

/**
 * What a planner proposes, the checks read and `hestia plan` prints: one object per request.
 */
export interface Plan {
  id: string;
  status: 'ok' | 'needs_confirmation' | 'rejected' | 'no_match' | 'busy' | 'timeout' | 'error';
  source: 'fast' | 'model' | 'none';
  /**
   * @maxItems 64
   */
  actions: Action[];
  /**
   * @maxItems 500
   */
  query_entity_ids: EntityId[];
  speech: string;
  timings_ms: {
    [k: string]: number | undefined;
  };
  error?: ErrorInfo;
  confirmation?: {
    question: string;
    expires_at?: string;
    /**
     * Answer with this in confirmation_id to pin the yes or no to this question.
     */
    id?: string;
    pin_required?: boolean;
  };
}
export interface Action {
  domain: string;
  service: string;
  /**
   * @minItems 1
   * @maxItems 500
   */
  entity_ids: [EntityId, ...EntityId[]];
  data: {
    [k: string]: string | number | boolean | number[] | undefined;
  };
}
export interface ErrorInfo {
  code: string;
  message: string;
}
