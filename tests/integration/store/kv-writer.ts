// Child process for the crash-durability test: writes through the per-actor store as fast as it
// can and prints "ack <i>" only after each write returned. The parent kills it with SIGKILL.
import { openDatabase } from '../../../server/src/store/database.ts';
import { SqliteKeyValueStore } from '../../../server/src/store/kv.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kv-writer.ts <dataDir>');
const kv = new SqliteKeyValueStore(openDatabase({ dataDir }));
for (let i = 1; ; i++) {
  kv.set('writer', 'counter', i);
  kv.set('writer', `k${i}`, { i, text: 'x'.repeat(100) });
  process.stdout.write(`ack ${i}\n`);
}
