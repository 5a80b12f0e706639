// Child process for the crash-durability test: an actor persists on every task, and the process
// prints "ack <i>" only once the ask for write i was answered. The parent kills it with SIGKILL.
import { Actor } from '../../../server/src/core/actor.ts';
import type { Message } from '../../../server/src/core/messages.ts';
import { ActorSystem } from '../../../server/src/core/system.ts';
import { openDatabase } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';

class Writer extends Actor {
  protected handle(msg: Message): unknown {
    if (msg.type !== 'task') return undefined;
    const i = msg.payload as number;
    this.persist('counter', i);
    this.persist(`k${i}`, { i, text: 'x'.repeat(100) });
    return i;
  }
}

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kv-writer.ts <dataDir>');
const system = new ActorSystem({ store: new SqliteKeyValueStore(openDatabase({ dataDir })) });
await system.spawn(new Writer({ name: 'writer' }));
for (let i = 1; ; i++) {
  await system.ask('writer', i);
  process.stdout.write(`ack ${i}\n`);
}
