// Remote nodes: the signed command protocol, the spawner's RemoteNodes (EdgeNodes), verified node
// liveness (signed heartbeats only), node secrets, the edge bundle and the SSH deployer. runtime.ts builds one `nodes` object from these.
export { EdgeNodes, LOCAL_NODE, OFFLINE_AFTER_MS, type EdgeNodesOptions, type NodeReport } from './edge-nodes.ts';
export { EdgeDeployer, HostKeyNotConfirmed, type DeployOptions, type DeployTarget } from './deploy.ts';
export { edgeBundleFiles, writeEdgeBundle, currentBundle, readBuiltBundle, EDGE_BUNDLE_FILE, type EdgeBundle } from './bundle.ts';
export { NodeSecretStore, type NodeRecord } from './secrets.ts';
export { canonicalJson, signMessage, verifyMessage, NonceCache, MAX_COMMAND_AGE_MS } from './protocol.ts';
export { NodeHeartbeats, type DeployedNodes } from './heartbeats.ts';
export { createNodesArea, type NodesArea, type NodesAreaDeps, type DeployRequest } from './nodes-service.ts';
