// The prebuilt images: config.yaml's `image:` must name what the workflow publishes (the same
// name, one per architecture the manifest lists, the tag being config.yaml's version), and the
// workflow must use Home Assistant's current builder actions, not the retired builder.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');
const config = read('config.yaml');
const workflow = read('.github/workflows/images.yaml');

describe('prebuilt images', () => {
  it('config.yaml names the per-architecture image the workflow publishes', () => {
    const image = /^image: (\S+)$/m.exec(config)?.[1];
    const name = /^ {2}IMAGE_NAME: (\S+)$/m.exec(workflow)?.[1];
    expect(image).toBe(`ghcr.io/waldiez/{arch}-${name}`);
    expect(config).toMatch(/^url: https:\/\/github\.com\/waldiez\//m);
  });

  it('builds exactly the architectures config.yaml lists', () => {
    const arches = [...(/^arch:\n((?: {2}- \S+\n)+)/m.exec(config)?.[1] ?? '').matchAll(/- (\S+)/g)].map((m) => m[1]).sort();
    const built = (JSON.parse(/^ {2}ARCHITECTURES: '(.+)'$/m.exec(workflow)?.[1] ?? '[]') as string[]).sort();
    expect(built).toEqual(arches);
    expect(built).toEqual(['aarch64', 'amd64']);
  });

  it('uses the composable builder actions and tags the config.yaml version', () => {
    expect(workflow).not.toMatch(/uses: home-assistant\/builder@/);
    for (const action of ['prepare-multi-arch-matrix', 'build-image', 'publish-multi-arch-manifest']) expect(workflow).toMatch(new RegExp(`uses: home-assistant/builder/actions/${action}@\\d{4}\\.\\d{2}\\.\\d+`));
    expect(workflow).toContain(`yq -r '.version' config.yaml`);
    expect(workflow).toMatch(/image-tags: \|\n\s+\$\{\{ needs\.init\.outputs\.version \}\}/);
  });
});

describe('the companion integration for HACS', () => {
  it('hacs.json at the root names the zip the release workflow attaches, and the pinned HA as the minimum', () => {
    const hacs = JSON.parse(read('hacs.json')) as { name: string; zip_release: boolean; filename: string; homeassistant: string };
    const release = read('.github/workflows/integration-release.yaml');
    expect(hacs).toMatchObject({ name: 'Wactorz', zip_release: true, filename: 'wactorz.zip' });
    expect(release).toContain('gh release upload "${TAG}" wactorz.zip');
    expect(release).toContain('addon/integration/custom_components/wactorz');
    const pin = /HA_VERSION = '(\d{4}\.\d+)\.\d+'/.exec(read('scripts/real-ha/pin.ts'))?.[1];
    expect(hacs.homeassistant.startsWith(`${pin}.`)).toBe(true);
  });
});
