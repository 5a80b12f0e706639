// Waiting on the real HA: its REST round trips have no event to wait on, so tests poll until a
// condition holds, with a patience that suits a real process on a loaded machine.
export async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, what: string, limitMs: number): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
