// Command-line arguments of the edge runner. The secret is read from a file (never a flag: flags
// show up in `ps` for every user on the Pi).
import { readFileSync } from 'node:fs';

export interface EdgeArgs {
  broker: string;
  name: string;
  secret: string;
  dataDir: string;
  root: string;
  username?: string;
  passwordFile?: string;
}

const NODE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function parseArgs(argv: readonly string[]): EdgeArgs {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      flags.set(a.slice(2), v);
      i++;
    }
  }
  const need = (k: string): string => {
    const v = flags.get(k);
    if (!v) throw new Error(`--${k} is required (usage: --broker mqtt://host:1883 --name rpi-kitchen --secret-file path --data-dir path [--root wactorz])`);
    return v;
  };
  const name = need('name');
  if (!NODE_NAME.test(name)) throw new Error(`--name "${name}" must look like rpi-kitchen (lowercase letters, digits, - and _)`);
  const secretFile = need('secret-file');
  const secret = readFileSync(secretFile, 'utf8').trim();
  if (secret.length < 16) throw new Error(`the secret in ${secretFile} is too short; deploy the node again to get a new one`);
  const username = flags.get('username');
  const passwordFile = flags.get('password-file');
  return {
    broker: need('broker'),
    name,
    secret,
    dataDir: need('data-dir'),
    root: flags.get('root') ?? 'wactorz',
    ...(username ? { username } : {}),
    ...(passwordFile ? { passwordFile } : {}),
  };
}
