// Polls until check() holds (deliveries over a broker, isolate work, HA round trips). It never
// asserts on time: the limit only turns a hang into a failure that says what was awaited.
export async function eventually(check: () => boolean, what: string | (() => string), limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
