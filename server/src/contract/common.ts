// Small schema pieces shared by the resource models. Times travel as ISO-8601 strings so the
// same JSON reads the same in the panel, in curl and in the MCP interface.
import { z } from 'zod';

export const IsoTime = z.string().describe('ISO-8601 time');

/** Agent, rule and plan names appear in URLs: keep them to a safe, readable alphabet. */
export const Slug = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);

/** Client-chosen ids (conversations) are opaque but bounded. */
export const ClientId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

export const Ok = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof Ok>;

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ErrorBody = z.infer<typeof ErrorBody>;
