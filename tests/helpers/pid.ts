// Whether a process is still there, by its PID (signal 0 checks without signalling): for tests
// that start processes outside Node's child_process bookkeeping (a runner a shell script launched).
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
