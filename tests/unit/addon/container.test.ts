// The container side of the add-on: the Dockerfile, the s6-overlay service that starts the
// server, and the AppArmor profile. Docker cannot run here, so these tests read the files and
// check them against each other, against config.yaml and against what the server expects.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config/load.ts';
import { OPTIONS } from '../../../server/src/config/options.ts';
import { requireBinary } from '../../helpers/tools.ts';
import { parseYaml } from './yaml-lite.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const config = parseYaml(read('config.yaml')) as Record<string, unknown>;
const pkg = JSON.parse(read('package.json')) as { version: string };
const SERVICE = 'addon/rootfs/etc/s6-overlay/s6-rc.d/wactorz';
const APP_DIR = '/opt/wactorz';

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions, continuation lines joined and comments dropped, split into stages. */
function dockerfile(): { global: Instruction[]; stages: Instruction[][] } {
  const joined = read('Dockerfile')
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const global: Instruction[] = [];
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const ins = { op: op.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (ins.op === 'FROM') stages.push([]);
    (stages.at(-1) ?? global).push(ins);
  }
  return { global, stages };
}

const { global, stages } = dockerfile();
const [build = [], runtime = []] = stages;
const all = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).map((i) => i.args);
const runs = (stage: Instruction[]) => all(stage, 'RUN').join(' && ');

/** `export NAME=value` lines of a shell script. */
function exports(script: string): Record<string, string> {
  return Object.fromEntries([...script.matchAll(/^export ([A-Z_][A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
}

describe('Dockerfile', () => {
  it('builds on the Home Assistant base image, defaulted in the Dockerfile', () => {
    expect(all(global, 'ARG')).toContainEqual(expect.stringMatching(/^BUILD_FROM=ghcr\.io\/home-assistant\/base:\d+\.\d+$/));
    expect(stages).toHaveLength(2);
    expect(runtime[0]).toEqual({ op: 'FROM', args: '${BUILD_FROM}' });
  });

  it('compiles the server, the panel and the native addons in a Node 24 Alpine stage', () => {
    expect(all(global, 'ARG')).toContainEqual(expect.stringMatching(/^NODE_IMAGE=node:24-alpine/));
    expect(build[0].args).toMatch(/^\$\{NODE_IMAGE\} AS build$/);
    const steps = runs(build);
    expect(steps).toMatch(/apk add --no-cache python3 make g\+\+/);
    expect(steps).toMatch(/npm ci --ignore-scripts/);
    expect(steps).toMatch(/npm rebuild better-sqlite3 isolated-vm/);
    expect(steps).toMatch(/npm run build/);
    expect(steps).toMatch(/npm prune --omit=dev/);
    // The `node` devDependency (a glibc Node binary) must not reach the image.
    expect(steps).toMatch(/rm -rf node_modules\/node node_modules\/\.bin\/node/);
    expect(steps).toMatch(/test ! -e node_modules\/node/);
    expect(steps.indexOf('npm ci')).toBeLessThan(steps.indexOf('npm run build'));
    expect(steps.indexOf('npm run build')).toBeLessThan(steps.indexOf('npm prune'));
  });

  it('gives the runtime stage Node 24 and exactly what the server reads', () => {
    expect(runs(runtime)).toMatch(/apk add --no-cache libstdc\+\+ libgcc/);
    const copies = all(runtime, 'COPY');
    expect(copies).toContain('--from=build /usr/local/bin/node /usr/local/bin/node');
    expect(all(runtime, 'WORKDIR')).toEqual([APP_DIR]);
    for (const path of ['package.json', 'node_modules', 'dist', 'panel/dist', 'recipes']) {
      expect(copies, path).toContainEqual(expect.stringMatching(new RegExp(`^--from=build /app/${path} \\./${path}$`)));
    }
    expect(copies).toContain('addon/rootfs/ /');
    // The server finds the panel and package.json relative to its compiled files.
    expect(read('server/src/http/app.ts')).toContain("'../../../panel/dist'");
    expect(read('server/src/version.ts')).toContain("'../../package.json'");
  });

  it('ships every package the server imports: none is a devDependency, pruned from the image', () => {
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const runtimeDeps = new Set(Object.keys(manifest.dependencies));
    for (const dep of Object.keys(manifest.dependencies)) {
      const depPkg = JSON.parse(read(`node_modules/${dep}/package.json`)) as { dependencies?: Record<string, string> };
      for (const sub of Object.keys(depPkg.dependencies ?? {})) runtimeDeps.add(sub);
    }
    const sources = execFileSync(requireBinary('git'), ['ls-files', '--cached', '--others', '--exclude-standard', 'server/src'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.ts'));
    for (const file of sources) {
      // Type-only imports are erased from the JavaScript the container runs.
      for (const [, spec = ''] of read(file).matchAll(/^(?:import|export) (?!type )[^;]*? from '([^.'][^']*)'/gm)) {
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        expect(Object.keys(manifest.devDependencies), `${file} imports the devDependency ${name}`).not.toContain(name);
        expect(runtimeDeps.has(name), `${file} imports ${name}, which is not a runtime dependency`).toBe(true);
      }
    }
  });

  it('copies only sources that exist and keeps host builds out of the context', () => {
    for (const stage of stages) {
      for (const args of all(stage, 'COPY').filter((a) => !a.startsWith('--from'))) {
        for (const src of args.split(' ').slice(0, -1)) expect(existsSync(new URL(src, root)), src).toBe(true);
      }
    }
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const path of ['node_modules', 'dist', 'panel/dist', 'data', '.git']) expect(ignored, path).toContain(path);
  });

  it('checks health on the ingress port and carries the add-on labels', () => {
    const [health] = all(runtime, 'HEALTHCHECK');
    expect(health).toMatch(/CMD curl --fail .*http:\/\/127\.0\.0\.1:8099\/api\/health/);
    expect(config.ingress_port ?? 8099).toBe(8099);
    const labels = all(runtime, 'LABEL').join(' ');
    const label = (name: string) => new RegExp(`${name.replace(/\./g, '\\.')}="([^"]*)"`).exec(labels)?.[1];
    expect(label('io.hass.type')).toBe('addon');
    expect(label('io.hass.version')).toBe('${BUILD_VERSION}');
    expect(label('io.hass.arch')).toBe('${BUILD_ARCH}');
    expect(label('io.hass.name')).toBe(config.name);
    expect(label('io.hass.description')).toBe(config.description);
    const args = all(runtime, 'ARG');
    expect(args).toContain(`BUILD_VERSION=${pkg.version}`);
    expect(args).toContainEqual(expect.stringMatching(/^BUILD_ARCH=(aarch64|amd64)$/));
  });
});

describe('the s6-overlay service', () => {
  const run = read(`${SERVICE}/run`);
  const finish = read(`${SERVICE}/finish`);

  it('is a long-running service of the default bundle', () => {
    expect(read(`${SERVICE}/type`).trim()).toBe('longrun');
    expect(existsSync(new URL(`${SERVICE}/dependencies.d/base`, root))).toBe(true);
    expect(existsSync(new URL('addon/rootfs/etc/s6-overlay/s6-rc.d/user/contents.d/wactorz', root))).toBe(true);
    // With s6-overlay as PID 1, Docker's init must be off.
    expect(config.init).toBe(false);
  });

  it('has executable, syntactically valid scripts that run with the container environment', () => {
    const bash = requireBinary('bash');
    for (const name of ['run', 'finish']) {
      const path = new URL(`${SERVICE}/${name}`, root);
      expect(statSync(path).mode & 0o111, `${name} is executable`).toBe(0o111);
      expect(read(`${SERVICE}/${name}`).split('\n')[0]).toBe('#!/command/with-contenv bashio');
      execFileSync(bash, ['-n', path.pathname]);
    }
    expect(finish).toContain('/run/s6-linux-init-container-results/exitcode');
    expect(finish).toContain('exec /run/s6/basedir/bin/halt');
  });

  it('starts the compiled server from the application directory', () => {
    expect(run).toContain(`cd ${APP_DIR} ||`);
    const tsconfig = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist/server', rootDir: 'server/src' });
    expect(existsSync(new URL('server/src/main.ts', root))).toBe(true);
    expect(run).toMatch(/^exec node --no-node-snapshot --max-semi-space-size=\d+ --optimize-for-size dist\/server\/main\.js$/m);
  });

  it('maps the add-on to the server: /data, the options file, all interfaces, the ingress port', () => {
    const env = exports(run);
    expect(env).toMatchObject({
      WACTORZ_DATA_DIR: '/data',
      WACTORZ_OPTIONS_FILE: '/data/options.json',
      WACTORZ_HOST: '0.0.0.0',
      WACTORZ_PORT: '8099',
    });
    const known = new Set<string>([...Object.values(OPTIONS).map((spec) => spec.env), 'NODE_ENV']);
    for (const name of Object.keys(env)) expect(known.has(name), `${name} is an option the server reads`).toBe(true);

    const cfg = loadConfig({ env: { ...env, SUPERVISOR_TOKEN: 'token' }, optionsFile: '/nonexistent/options.json' });
    expect(cfg).toMatchObject({ dataDir: '/data', host: '0.0.0.0', port: 8099, inAddon: true });
    expect(cfg.mqtt).toEqual({ mode: 'supervisor' });
    expect(cfg.ha).toMatchObject({ mode: 'supervisor' });
  });
});

describe('apparmor.txt', () => {
  const profile = read('apparmor.txt');

  it('is a profile named after the slug with a confined child profile for the server', () => {
    expect(profile).toMatch(new RegExp(`^profile ${String(config.slug)} flags=\\(attach_disconnected,mediate_deleted\\) \\{$`, 'm'));
    expect(profile).toContain('/usr/local/bin/node cx -> node,');
    expect(profile).toMatch(/^ {2}profile node flags=\(attach_disconnected,mediate_deleted\) \{$/m);
    expect(profile.split('{').length).toBe(profile.split('}').length);
  });

  it('lets the server read its code, write only /data, /tmp and its integration in HA\'s config, and use the network', () => {
    const node = profile.slice(profile.indexOf('profile node'));
    expect(node).toContain(`signal (receive) peer=*_${String(config.slug)},`);
    expect(node).toContain(`${APP_DIR}/** r,`);
    expect(node).toContain('/data/** rwk,');
    expect(node).toContain('/tmp/** rwk,');
    for (const family of ['inet stream', 'inet6 stream', 'inet dgram', 'inet6 dgram']) expect(node).toContain(`network ${family},`);
    expect(node).toContain(`deny ${APP_DIR}/** w,`);
    const writable = [...node.matchAll(/^\s*(\/\S+)\s+[a-z]*w[a-z]*,$/gm)].map((m) => m[1]);
    // Of HA's configuration (mapped at /homeassistant), only custom_components/wactorz and the
    // staging folders the installer renames it through.
    const ha = writable.filter((p) => p?.startsWith('/homeassistant/'));
    expect(ha.every((p) => p === '/homeassistant/custom_components/' || /^\/homeassistant\/custom_components\/(wactorz|\.wactorz-installing|\.wactorz-previous)\/(\*\*)?$/.test(p ?? ''))).toBe(true);
    expect(writable.filter((p) => !p?.startsWith('/homeassistant/'))).toEqual(['/data/**', '/tmp/**', '/dev/null', '/dev/tty']);
  });

  it("lets the server read, never write, the owner's recipes in /share, and nothing else there", () => {
    const node = profile.slice(profile.indexOf('profile node'));
    const share = [...node.matchAll(/^\s*(deny\s+)?(\/share\S*)\s+([a-z]+),$/gm)].map((m) => `${m[2]} ${m[3]}`);
    expect(share).toEqual(['/share/wactorz/recipes/ r', '/share/wactorz/recipes/** r']);
  });
});
