// Nagle's algorithm off on the process's MQTT client socket, every socket mqtt.js opens for it
// (the first and each reconnect's), whatever the broker. With Nagle on, a small write waits for
// the ACK of the one before, and the broker's kernel holds that ACK up to 40 ms when it has nothing
// to send back: under a steady load every QoS 1 publish and the messages behind it queued for it
// (issue 21: rules at p50 20-24 ms at 800 changes/s). A broker's own setting (the embedded broker
// sets it, Mosquitto's set_tcp_nodelay defaults to false) only covers the broker's end of the link.
//
// mqtt.js has no socket option for it, so the socket is taken as mqtt.js sends its CONNECT: a new
// stream is built for every connection attempt and CONNECT is the first packet written on it
// ('packetsend' is documented; `manualConnect` lets us listen before the first attempt). Node
// keeps a no-delay asked for before the TCP handshake and applies it once connected. TLS sockets
// (mqtts://) are net.Sockets too. ws:// and wss:// streams wrap a WebSocket, whose library sets
// no-delay on its own socket; they have no setNoDelay here and are left as they are.
import type { MqttClient, Packet } from 'mqtt';

interface NoDelayCapable {
  setNoDelay(noDelay?: boolean): unknown;
}

function canSetNoDelay(stream: unknown): stream is NoDelayCapable {
  return typeof (stream as Partial<NoDelayCapable> | undefined)?.setNoDelay === 'function';
}

/** Sets TCP_NODELAY on each socket the client opens from now on; returns a function that stops. */
export function keepNoDelay(client: MqttClient): () => void {
  const onPacket = (packet: Packet) => {
    if (packet.cmd === 'connect' && canSetNoDelay(client.stream)) client.stream.setNoDelay(true);
  };
  client.on('packetsend', onPacket);
  return () => void client.off('packetsend', onPacket);
}
