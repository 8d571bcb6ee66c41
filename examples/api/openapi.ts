/**
 * Completes the OpenAPI document generated from the routes' zod schemas with what the shared
 * error handler (errors.ts) answers on every route, so the document lists every status the API
 * gives: 400 for a bad path, query or body, 415 for a body that is not JSON, 503 when Temporal is
 * unreachable. A request body is marked required only when its schema (input side) has required
 * fields: a body whose fields all have defaults may be left out, and the routes accept that.
 */
import { errorBody, openapi } from './schemas.js';

interface Operation {
  parameters?: unknown[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: string[] } }> };
  responses?: Record<string, unknown>;
  tags?: string[];
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: openapi(errorBody) } },
});

/** The document with the error handler's statuses and honest `requestBody.required`. */
export function completeDocument<T extends object>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const methods of Object.values(paths)) {
    for (const op of Object.values(methods)) {
      const responses = (op.responses ??= {});
      const add = (status: string, description: string) => {
        responses[status] ??= errorResponse(description);
      };
      if (op.requestBody) {
        const schemas = Object.values(op.requestBody.content ?? {}).map((c) => c.schema);
        op.requestBody.required = schemas.some((s) => (s?.required?.length ?? 0) > 0);
        add('400', 'Invalid body (issues name the fields)');
        add('415', 'The body is not application/json');
      }
      if (op.parameters?.length) add('400', 'Invalid path or query parameter (issues name it)');
      add('503', 'Temporal is unreachable');
    }
  }
  return doc;
}
