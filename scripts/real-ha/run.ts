// Runs one provisioning command to completion. Output goes to the provisioning log (these commands
// print thousands of lines); a failure throws with the command and the last lines it printed, so
// the person or the test that asked sees why without opening the log.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Appended with everything the command prints. */
  logFile: string;
  cwd?: string;
}

export function run(cmd: string, args: readonly string[], { env, logFile, cwd }: RunOptions): Promise<string> {
  appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      appendFileSync(logFile, text);
      out = (out + text).slice(-200_000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', (err) => reject(new Error(`cannot run ${cmd}: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.slice(0, 6).join(' ')} failed (${signal ?? `exit ${code}`}); last output:\n${out.split('\n').slice(-25).join('\n')}\n(full log: ${logFile})`));
    });
  });
}

/** A clean environment for commands inside the Debian root: nothing of the host leaks in. */
export function chrootEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8', ...extra };
}
