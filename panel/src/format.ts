// Small display helpers shared by the views.
export function ageMs(iso: string | null, now: number): number | undefined {
  return iso ? Math.max(0, now - Date.parse(iso)) : undefined;
}

export function relative(iso: string | null, now: number): string {
  const ms = ageMs(iso, now);
  if (ms === undefined) return 'never';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function dateTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function usd(v: number): string {
  return v < 0.01 && v > 0 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
