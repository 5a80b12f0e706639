// What brings an edge runner back after a reboot, as the Nodes view labels it (contract/nodes.ts:
// recorded at deploy). The local node has none: the add-on itself is supervised by Home Assistant.
import type { NodeInfo } from './types.ts';

export interface SupervisionLabel {
  text: string;
  tooltip: string;
  /** The runner comes back after a reboot or a crash. */
  survivesReboot: boolean;
}

const NOT_BACK = 'Will not come back after a reboot: see DOCS.md, Security, "Remote nodes" (deploy it again where systemd or cron is available).';

export function supervisionLabel(node: Pick<NodeInfo, 'supervision' | 'undeployed_at'>): SupervisionLabel | undefined {
  if (node.undeployed_at) return { text: 'removed', tooltip: `Removed on ${node.undeployed_at.slice(0, 10)}: the runner was stopped and its supervisor removed. ${NOT_BACK}`, survivesReboot: false };
  switch (node.supervision) {
    case 'systemd':
      return { text: 'systemd', tooltip: 'A systemd service: comes back after a reboot or a crash.', survivesReboot: true };
    case 'systemd-user':
      return { text: 'systemd --user', tooltip: 'A systemd user service (lingering): comes back after a reboot or a crash.', survivesReboot: true };
    case 'cron':
      return { text: 'cron', tooltip: 'A crontab @reboot entry: comes back after a reboot.', survivesReboot: true };
    case 'none':
      return { text: 'not supervised', tooltip: `Nothing supervises the runner. ${NOT_BACK}`, survivesReboot: false };
    case null:
    case undefined:
      return undefined;
  }
}
