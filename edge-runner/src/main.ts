// Entry point of the edge runner on a Raspberry Pi:
//   node --no-node-snapshot edge-runner/src/main.ts --broker mqtt://192.168.1.10:1883 \
//     --name rpi-kitchen --secret-file ~/.wactorz/secret --data-dir ~/.wactorz/data
// One MQTT connection for the runner and all its agents. The node's status is also carried by a
// retained-free heartbeat, so the server sees it gone 30 s after the Pi is.
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import { topicFor } from '../../server/src/bus/topics.ts';
import { systemClock } from '../../server/src/core/clock.ts';
import { parseArgs } from './args.ts';
import { EdgeLink } from './link.ts';
import { EdgeRunner } from './runner.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const password = args.passwordFile ? readFileSync(args.passwordFile, 'utf8').trim() : undefined;
  const client = await mqtt.connectAsync(args.broker, {
    clientId: `wactorz-edge-${args.name}`,
    reconnectPeriod: 2_000,
    // No table of 65,536 pre-built number Buffers (~7 MB) on a small satellite (see the server's
    // bus/connection.ts).
    writeCache: false,
    ...(args.username ? { username: args.username } : {}),
    ...(password ? { password } : {}),
  });
  const link = new EdgeLink(client, args.root);
  const runner = new EdgeRunner({ name: args.name, secret: args.secret, dataDir: args.dataDir, link, clock: systemClock, version: pkg.version });
  await runner.start();
  const commands = (['nodeSpawn', 'nodeStop', 'nodeMigrate', 'nodeList'] as const).map((key) => topicFor(args.root, key, { node: args.name }));
  console.log(`edge ${args.name}: connected to ${args.broker}, listening on ${commands.join(', ')}`);
  const shutdown = () => {
    void runner
      .stop()
      .then(() => client.endAsync())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(`edge runner: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
