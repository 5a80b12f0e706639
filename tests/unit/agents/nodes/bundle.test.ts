// The edge bundle a node receives: from the sources when the server runs from them, from
// dist/edge-bundle.json when it runs compiled (the add-on image has no sources). Both must give
// the node the same files, and a compiled server without the built file must say how to fix it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleFromSources, currentBundle, edgeBundleFiles, readBuiltBundle, REPO_ROOT, writeEdgeBundle } from '../../../../server/src/agents/nodes/bundle.ts';
import { makeTempDir } from '../../../helpers/tmp.ts';

describe('edge bundle', () => {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  afterEach(() => dir?.cleanup());

  it('carries the runner and its server imports, never the bus, with a package.json at the root', () => {
    const files = Object.keys(currentBundle().files);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'edge-runner/src/main.ts', 'server/src/sandbox/agent.ts', 'server/src/agents/nodes/protocol.ts']));
    expect(files).not.toContain('server/src/bus/mqtt-bus.ts');
    expect(files.filter((f) => f !== 'package.json').sort()).toEqual(edgeBundleFiles());
  });

  it('writes the same files from a built bundle file as from the sources', () => {
    dir = makeTempDir();
    const built = join(dir.path, 'edge-bundle.json');
    writeFileSync(built, JSON.stringify(bundleFromSources()));
    const written = writeEdgeBundle(join(dir.path, 'node'), readBuiltBundle(built));
    for (const f of written) {
      const source = f === 'package.json' ? 'edge-runner/package.json' : f;
      expect(readFileSync(join(dir.path, 'node', f), 'utf8'), f).toBe(readFileSync(join(REPO_ROOT, source), 'utf8'));
    }
  });

  it('refuses a missing or foreign bundle file with the command that makes it', () => {
    dir = makeTempDir();
    expect(() => readBuiltBundle(join(dir!.path, 'nope.json'))).toThrow(/missing or unreadable \(npm run build writes it\)/);
    const foreign = join(dir.path, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ format: 1, files: { 'x.ts': '' } }));
    expect(() => readBuiltBundle(foreign)).toThrow(/not an edge-runner bundle/);
  });

  it('never writes outside the directory it is given', () => {
    dir = makeTempDir();
    mkdirSync(join(dir.path, 'node'));
    expect(() => writeEdgeBundle(join(dir!.path, 'node'), { format: 1, files: { '../escape.ts': 'x' } })).toThrow(/escapes the bundle/);
    expect(existsSync(join(dir.path, 'escape.ts'))).toBe(false);
  });
});
