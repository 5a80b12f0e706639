// The state of a connection the process keeps (the MQTT broker, Home Assistant), as health
// reports and the panel show it.
import { z } from 'zod';

export const ConnectionState = z.enum(['connecting', 'connected', 'disconnected', 'failed', 'disabled']);
export type ConnectionState = z.infer<typeof ConnectionState>;
