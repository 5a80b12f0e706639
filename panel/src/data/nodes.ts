// Nodes: edge runners online/offline with their agents, kept live by node.status events.
import { apiGet } from './api.ts';
import { createCollection } from './collection.ts';
import type { NodeInfo } from './types.ts';

export const nodesCollection = createCollection<NodeInfo[]>({
  topics: ['nodes'],
  fetch: (signal) => apiGet<NodeInfo[]>('api/nodes', signal),
  apply(nodes, e) {
    if (e.type !== 'node.status') return nodes;
    return nodes.some((n) => n.name === e.node) ? nodes.map((n) => (n.name === e.node ? { ...n, online: e.online } : n)) : 'refetch';
  },
});
