// `npm run bench kernel`: the actor kernel (tell, ask, restart) and the MQTT bus (aedes and
// Mosquitto), each against a baseline measured in the same run.
import type { Bench } from './harness.ts';
import { actorBenches } from './kernel/actors.ts';
import { mqttBenches } from './kernel/mqtt.ts';

const bench: Bench = async () => [...(await actorBenches()), ...(await mqttBenches())];
export default bench;
