// Where the wiring graph's boxes and lines go, computed by dagre (a maintained layered-graph
// layout): agents and topics are nodes, "publishes to" and "is read by" are edges, left to right.
// Boxes are as wide as their full label, so no topic loses its `ha/` prefix or its tail.
import { layout } from '@dagrejs/dagre';
import { Graph } from '@dagrejs/graphlib';
import type { TopicInfo } from '../../data/types.ts';

// dagre's bundled declarations import their own files without extensions, which NodeNext
// resolution cannot follow, so `layout` arrives untyped: typed here from graphlib's Graph.
const runLayout = layout as unknown as (g: Graph<object, NodeLabel, EdgeLabel>) => void;

interface NodeLabel {
  kind: 'agent' | 'topic';
  label: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
}

interface EdgeLabel {
  points?: { x: number; y: number }[];
}

export interface LaidNode {
  id: string;
  kind: 'agent' | 'topic';
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  points: { x: number; y: number }[];
}

export interface WiringLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

const BOX_HEIGHT = 28;
const PADDING_X = 20;

/** Text width in the graph's font; measured by the browser when it can, estimated otherwise. */
export type MeasureText = (text: string) => number;

export function layoutWiring(topics: TopicInfo[], measure: MeasureText): WiringLayout {
  const g = new Graph<object, NodeLabel, EdgeLabel>({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 56, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const add = (id: string, kind: LaidNode['kind'], label: string) => {
    if (!g.hasNode(id)) g.setNode(id, { kind, label, width: Math.ceil(measure(label)) + PADDING_X, height: BOX_HEIGHT });
  };
  for (const t of topics) {
    const topic = `topic:${t.topic}`;
    add(topic, 'topic', t.topic);
    for (const p of t.publishers) {
      add(`agent:${p}`, 'agent', p);
      g.setEdge(`agent:${p}`, topic);
    }
    for (const s of t.subscribers) {
      add(`agent:${s}`, 'agent', s);
      g.setEdge(topic, `agent:${s}`);
    }
  }
  runLayout(g);
  const nodes = g.nodes().map((id): LaidNode => {
    const n = g.node(id);
    return { id, kind: n.kind, label: n.label, x: n.x ?? 0, y: n.y ?? 0, width: n.width, height: n.height };
  });
  const edges = g.edges().map((e): LaidEdge => ({ from: e.v, to: e.w, points: g.edge(e)?.points ?? [] }));
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: graph.width ?? 0, height: graph.height ?? 0 };
}
