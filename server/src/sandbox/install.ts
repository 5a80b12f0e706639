// `install` in a spawn block. Sandboxed agents cannot load packages: giving them Node's require
// would hand them the file system, the network and the process. Bundling pure-JS packages into
// the isolate may come later; until then the answer is a clear no.

export interface InstallResult {
  ok: false;
  message: string;
}

export function installPackages(packages: readonly string[]): InstallResult | undefined {
  const names = packages.map((p) => p.trim()).filter((p) => p !== '');
  if (names.length === 0) return undefined;
  return {
    ok: false,
    message: `Packages cannot be installed for sandboxed agents (asked for: ${names.join(', ')}). Agent code runs without require() or npm; use the agent SDK instead: agent.http.fetch for web APIs, agent.llm.chat for language tasks, agent.persist/recall for storage, plain JavaScript (Math, JSON, Date, Intl) for the rest.`,
  };
}
