// MQTT topics as the Topics view shows them: the declared contract, the schema observed on the
// wire, and who publishes and subscribes (the wiring graph).
import { z } from 'zod';
import { IsoTime } from './common.ts';

/** A JSON Schema document, passed through as data. */
export const JsonSchemaDoc = z.record(z.string(), z.unknown());

export const TopicInfo = z.object({
  topic: z.string(),
  description: z.string().nullable(),
  contract: JsonSchemaDoc.nullable(),
  observed_schema: JsonSchemaDoc.nullable(),
  publishers: z.array(z.string()),
  subscribers: z.array(z.string()),
  message_count: z.number().int(),
  last_seen: IsoTime.nullable(),
});
export type TopicInfo = z.infer<typeof TopicInfo>;
