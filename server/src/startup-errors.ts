// What a person reads when the server cannot start: the cause and what to do about it, instead
// of a bare "fetch failed" (undici hides the real reason in `cause`) or a port error code.

export interface StartupFacts {
  /** SUPERVISOR_TOKEN is set: the server believes it runs as a Home Assistant add-on. */
  supervisorToken: boolean;
}

export function explainStartupError(err: unknown, facts: StartupFacts): string {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e.code === 'EADDRINUSE' && e.syscall === 'listen') {
    return `Wactorz failed to start: port ${e.port ?? ''} is already in use. Stop what holds it, or set WACTORZ_PORT (or --port) to a free port.`;
  }
  if (!(err instanceof Error)) return `Wactorz failed to start: ${String(err)}`;
  const cause = networkCause(err);
  if (cause === undefined) return `Wactorz failed to start: ${err.message}`;
  const lines = [`Wactorz failed to start: a request failed (${cause}).`];
  if (facts.supervisorToken && /\bsupervisor\b/i.test(cause)) {
    lines.push(
      'SUPERVISOR_TOKEN is set, so Wactorz runs as a Home Assistant add-on and asks the Supervisor (http://supervisor) for MQTT and Home Assistant, but no Supervisor answers here.',
      'Outside Home Assistant OS, unset SUPERVISOR_TOKEN; to use a real Home Assistant set HA_URL and HA_TOKEN, and MQTT_URL for its broker.',
    );
  } else if (facts.supervisorToken) {
    lines.push('SUPERVISOR_TOKEN is set, so Wactorz expects the Supervisor of Home Assistant OS; outside it, unset SUPERVISOR_TOKEN.');
  } else {
    lines.push('Check the URLs in the configuration (HA_URL, MQTT_URL, the LLM endpoint) and that the machine can reach them.');
  }
  return lines.join('\n');
}

/** For fetch's "fetch failed" TypeError: the real reason (DNS, refused, timeout) with the host. */
function networkCause(err: Error): string | undefined {
  if (!(err instanceof TypeError) || err.message !== 'fetch failed') return undefined;
  const cause = err.cause as (NodeJS.ErrnoException & { hostname?: string }) | undefined;
  if (!cause) return 'fetch failed';
  if (cause.code === 'ENOTFOUND') return `cannot resolve host ${cause.hostname ?? ''}`.trim();
  return cause.message || String(cause.code ?? 'fetch failed');
}
