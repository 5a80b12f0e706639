// The demo home and a real HA client connected to it, for planner tests that read the house.
import type { DemoHome } from '../../../../server/src/ha/demo/demo-home.ts';
import type { LiveHaClient } from '../../../../server/src/ha/live-client.ts';
import { connectClient, startDemoHome } from '../../../helpers/ha.ts';

export interface DemoHa {
  home: DemoHome;
  ha: LiveHaClient;
  close(): Promise<void>;
}

export async function demoHa(): Promise<DemoHa> {
  const home = await startDemoHome();
  const ha = await connectClient(home);
  await ha.ready();
  return {
    home,
    ha,
    close: async () => {
      await ha.stop();
      await home.stop();
    },
  };
}
